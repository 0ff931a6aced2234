/**
 * @mentions in notes. A note stores a mention as `@[Name](user:<id>)` (views/lib/markdown.ts); saving a
 * note tells each member it newly mentions, by a bell entry and, unless they turned "mentions" off, a
 * mail. Only current members of the workspace are told: an id of a removed member or of another
 * workspace's user is text and nothing else. The statements go into the note's own batch, and each is
 * guarded by the membership as it is inside that batch.
 */
import { type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType } from "../../db/schema";
import { newId } from "../../lib/ids";
import { mentionMail, mentionTitle } from "../../mail/mention-messages";
import { mentionedUserIds } from "../../../views/lib/markdown";
import { DEFAULT_EMAIL_PREFERENCES, renderListMail } from "../account/email-preferences";
import { mailLink, taskPath } from "../reminders/links";

/** "@bea@example.com" typed without the suggestions (no JavaScript): a member's address becomes their mention. */
const EMAIL_MENTION = /(^|[\s(])@([^\s@()[\]]+@[^\s@()[\]]+\.[a-z]{2,})/gi;

/** The body with each "@<member's email>" written as that member's mention; other text as it was. */
export async function resolveEmailMentions(t: TenantDb, body: string): Promise<string> {
  const emails = [...new Set([...body.matchAll(EMAIL_MENTION)].map((m) => m[2]!.toLowerCase()))].slice(0, 20);
  if (emails.length === 0) return body;
  const rows = await t.db.all<{ id: string; email: string; name: string }>(sql`
    SELECT u.id, u.email, coalesce(nullif(trim(u.name), ''), u.email) AS name
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = ${t.tenantId} AND u.email IN (SELECT value FROM json_each(${JSON.stringify(emails)}))`);
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  return body.replace(EMAIL_MENTION, (whole, before: string, email: string) => {
    const member = byEmail.get(email.toLowerCase());
    return member ? `${before}@[${member.name.replace(/[[\]\n]/g, " ").slice(0, 100)}](user:${member.id})` : whole;
  });
}

/** At most this many people are told about one save (a pasted team list is not a broadcast). */
export const MENTIONS_PER_NOTE = 20;

/** What telling people needs: who writes, where, and the mail's origin and unsubscribe key. */
export interface MentionContext {
  authorId: string;
  workspace: string;
  subject: { type: SubjectType; id: number };
  /** APP_URL (or the request's origin) and UNSUBSCRIBE_KEY: without the key, the bell only. */
  baseUrl: string;
  secret: string | undefined;
}

interface Recipient {
  id: string;
  email: string;
  verified: number | null;
  wants_mail: number;
}

/** Members `body` mentions that `previousBody` did not (an edit tells only the new ones), never the author. */
export async function newlyMentioned(
  t: TenantDb,
  body: string,
  previousBody: string,
  authorId: string,
): Promise<Recipient[]> {
  const before = new Set(mentionedUserIds(previousBody));
  const ids = mentionedUserIds(body)
    .filter((id) => !before.has(id) && id !== authorId)
    .slice(0, MENTIONS_PER_NOTE);
  if (ids.length === 0) return [];
  return t.db.all<Recipient>(sql`
    SELECT u.id, u.email, u.email_verified_at AS verified, coalesce(p.mentions, 1) AS wants_mail
    FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN email_preferences p ON p.user_id = u.id
    WHERE m.tenant_id = ${t.tenantId} AND m.user_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
}

/**
 * The bell entries and mails for `recipients`, for the note's batch. `noteId` is the note's id, or an
 * expression giving it inside the batch (a note being added has no id until its insert has run).
 */
export async function mentionStatements(
  t: TenantDb,
  recipients: Recipient[],
  ctx: MentionContext,
  noteId: number | SQL,
  now: number,
  /** Written only while this holds as the batch runs (the note or its record still there). */
  when: SQL = sql`1`,
): Promise<{ statements: SQL[]; mailIds: string[] }> {
  if (recipients.length === 0) return { statements: [], mailIds: [] };
  // Only a save that tells someone pays for the author's name. A staff member writing in the support view (their id
  // is no user's) is named as support, as their notes are (src/services/records/notes.ts).
  const [author] = await t.db.all<{ name: string }>(sql`
    SELECT coalesce(nullif(trim(name), ''), email) AS name FROM users WHERE id = ${ctx.authorId}
    UNION ALL SELECT 'Support · ' || name || ' (CustomerTrackr)' FROM staff WHERE id = ${ctx.authorId}`);
  const authorName = author?.name ?? "A colleague";
  const title = mentionTitle(authorName, ctx.subject.type);
  const link = mailLink(ctx.baseUrl, t.tenantId, taskPath(ctx.subject.type, ctx.subject.id));
  const mails = [];
  for (const r of recipients) {
    if (!r.wants_mail || r.verified === null) continue;
    const mail = await renderListMail(
      {
        to: r.email,
        userId: r.id,
        tenantId: t.tenantId,
        list: "mentions",
        baseUrl: ctx.baseUrl,
        secret: ctx.secret,
        render: (unsubscribeUrl) =>
          mentionMail({
            author: authorName,
            subjectType: ctx.subject.type,
            workspace: ctx.workspace,
            link,
            unsubscribeUrl,
          }),
      },
      { ...DEFAULT_EMAIL_PREFERENCES, mentions: true },
    );
    if (mail) {
      const headers = mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null;
      mails.push({
        id: newId(),
        user: r.id,
        to: mail.to,
        kind: mail.kind,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers,
      });
    }
  }
  const member = (userExpr: SQL) =>
    sql`EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${userExpr})`;
  const users = JSON.stringify(recipients.map((r) => r.id));
  const statements = [
    sql`INSERT INTO notifications (tenant_id, user_id, note_id, title, created_at)
        SELECT ${t.tenantId}, j.value, ${noteId}, ${title}, ${now} FROM json_each(${users}) j
        WHERE ${member(sql`j.value`)} AND ${when}`,
  ];
  if (mails.length)
    statements.push(sql`INSERT INTO email_outbox (id, tenant_id, user_id, to_address, kind, essential, subject,
          text_body, html_body, headers, status, attempts, next_attempt_at, created_at, updated_at)
        SELECT json_extract(j.value, '$.id'), ${t.tenantId}, json_extract(j.value, '$.user'),
          json_extract(j.value, '$.to'), json_extract(j.value, '$.kind'), 0, json_extract(j.value, '$.subject'),
          json_extract(j.value, '$.text'), json_extract(j.value, '$.html'), json_extract(j.value, '$.headers'),
          'pending', 0, ${now}, ${now}, ${now}
        FROM json_each(${JSON.stringify(mails)}) j
        WHERE ${member(sql`json_extract(j.value, '$.user')`)} AND ${when}`);
  return { statements, mailIds: mails.map((m) => m.id) };
}

/** Inside a note's batch, after its insert: the id it got (notes ids come from AUTOINCREMENT). */
export const insertedNoteId = sql`(SELECT seq FROM sqlite_sequence WHERE name = 'notes')`;

/** The workspace's members one can mention: their id, the name they go by (else their email), and email. */
export async function mentionableMembers(t: TenantDb): Promise<{ id: string; name: string; email: string }[]> {
  return t.db.all(sql`
    SELECT u.id, coalesce(nullif(trim(u.name), ''), u.email) AS name, u.email
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = ${t.tenantId} ORDER BY name LIMIT 500`);
}
