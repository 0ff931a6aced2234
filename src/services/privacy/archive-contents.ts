/**
 * What the "Download my data" archive holds: the account's data as JSON (the user, memberships,
 * sessions, consent choices, email preferences, contact-page messages, copies of the mail sent to
 * them, audit entries about them, recently viewed records, which of their calendar feeds are on, their
 * reminders) and, when the requester is an owner or admin, the workspace's contacts, companies, deals
 * and notes as JSON and CSV (the export serializers, docs/export-format.md), its timeline, its tasks and
 * its logged calls, meetings and emails; plus manifest.json describing every file.
 *
 * Memory holds one R2 part (5 MiB) and one page of records (1,000); a workspace part costs two
 * queries per 1,000 records of each kind, so a build fits a Queue invocation's 1,000 queries up to
 * about 150,000 of each (larger workspaces' admins download each list at /app/export instead).
 */
import { trashPages } from "../trash/archive";
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { consentRecords, emailOutbox, memberships, sessions, supportMessages, tenants, users } from "../../db/schema";
import { usagePages } from "../usage/archive";
import { apiKeysForExport } from "../api/keys";
import type { R2ZipWriter } from "../../lib/zip-r2";
import { getEmailPreferences } from "../account/email-preferences";
import { calendarFeedsOfUser } from "../calendar/feed-secrets";
import { describeDevice } from "../account/sessions";
import { exportChunks } from "../export/stream";
import { isoTime } from "../export/serialise";
import { accountDocument, counted, DATA_EXPORT_FORMAT_ID, type ManifestFile } from "./archive-documents";
import { ACCOUNT_FILES, WORKSPACE_FILES } from "./archive-files";
import {
  activityPages,
  auditPages,
  interactionPages,
  recentViewRows,
  reminderPages,
  taskPages,
  withoutTokens,
} from "./archive-readers";

/** Copies of mail in one archive at most (the mail period keeps far fewer). */
const MAIL_COPIES_LIMIT = 1000;

const time = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** The pages of `pages` on each database in turn. */
async function* chained<T>(dbs: Database[], pages: (db: Database) => AsyncGenerator<T>): AsyncGenerator<T> {
  for (const db of dbs) yield* pages(db);
}

/** Writes the whole archive for a requester in the workspace of `t`; returns its manifest's file list. */
export async function writeDataExport(
  t: TenantDb,
  zip: R2ZipWriter,
  who: { userId: string; includesWorkspace: boolean },
  now: number,
  userDbs: Database[] = [t.control],
): Promise<ManifestFile[]> {
  // The account's own rows are on the control database; its reminders, recent records and audit entries also on
  // each database holding one of its workspaces (userDbs); the workspace's records on the workspace's (t.db).
  const db = t.control;
  const files: ManifestFile[] = [];
  const [[user], memberRows, sessionRows, consentRows, prefs, [tenant]] = await Promise.all([
    db.select().from(users).where(eq(users.id, who.userId)).limit(1),
    db
      .select({
        tenantId: memberships.tenantId,
        name: tenants.name,
        role: memberships.role,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, who.userId))
      .orderBy(memberships.createdAt),
    db
      .select({
        createdAt: sessions.createdAt,
        lastActiveAt: sessions.lastActiveAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
        workspace: tenants.name,
      })
      .from(sessions)
      .leftJoin(tenants, eq(tenants.id, sessions.tenantId))
      .where(eq(sessions.userId, who.userId))
      .orderBy(desc(sessions.lastActiveAt)),
    db.select().from(consentRecords).where(eq(consentRecords.userId, who.userId)).orderBy(desc(consentRecords.id)),
    getEmailPreferences(db, who.userId),
    db.select({ id: tenants.id, name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1),
  ]);
  if (!user || !tenant) throw new Error("data export: the user or the workspace is gone");

  const add = async (name: string, description: string, doc: (into: { records: number }) => AsyncIterable<string>) => {
    const into = { records: 0 };
    await zip.addFile(name, doc(into));
    files.push({ name, format: name.endsWith(".csv") ? "csv" : "json", records: into.records, description });
  };
  // An account file of the rows given at once; its document kind is its name with underscores.
  const addRows = (file: keyof typeof ACCOUNT_FILES, rows: unknown[]) =>
    add(`account/${file}.json`, ACCOUNT_FILES[file], (into) =>
      accountDocument(file.replaceAll("-", "_"), now, [rows], into),
    );

  await addRows("user", [
    {
      id: user.id,
      email: user.email,
      name: user.name,
      time_zone: user.timeZone,
      locale: user.locale,
      email_verified_at: time(user.emailVerifiedAt),
      age_confirmed_at: time(user.ageConfirmedAt),
      terms_accepted_at: time(user.termsAcceptedAt),
      privacy_notice_seen: user.privacySeenVersion,
      created_at: time(user.createdAt),
      updated_at: time(user.updatedAt),
    },
  ]);
  await addRows(
    "memberships",
    memberRows.map((m) => ({
      workspace_id: m.tenantId,
      workspace: m.name,
      role: m.role,
      since: isoTime(m.createdAt),
    })),
  );
  await addRows(
    "sessions",
    sessionRows.map((s) => ({
      workspace: s.workspace,
      created_at: isoTime(s.createdAt),
      last_active_at: isoTime(s.lastActiveAt),
      ip: s.ip,
      user_agent: s.userAgent,
      device: describeDevice(s.userAgent),
    })),
  );
  await addRows(
    "consent",
    consentRows.map((r) => ({
      analytics: r.analytics,
      policy_version: r.policyVersion,
      created_at: isoTime(r.createdAt),
    })),
  );
  await addRows("email-preferences", [
    {
      weekly_digest: prefs.digest,
      product_news: prefs.news,
      task_reminders: prefs.reminders,
      daily_agenda: prefs.agenda,
      mentions: prefs.mentions,
      changed_at: time(prefs.updatedAt),
    },
  ]);
  // What was written to the address rather than the account is theirs only once they proved they hold it: anyone
  // may sign up with another person's address. Mail to the address for another account is never theirs.
  const ownsAddress = user.emailVerifiedAt !== null;
  const [messageRows, mailRows] = await db.batch([
    db
      .select()
      .from(supportMessages)
      .where(and(eq(supportMessages.email, user.email), sql`${ownsAddress ? 1 : 0} = 1`))
      .orderBy(supportMessages.createdAt),
    db
      .select()
      .from(emailOutbox)
      .where(
        or(
          eq(emailOutbox.userId, user.id),
          and(eq(emailOutbox.toAddress, user.email), isNull(emailOutbox.userId), sql`${ownsAddress ? 1 : 0} = 1`),
        ),
      )
      .orderBy(emailOutbox.createdAt)
      .limit(MAIL_COPIES_LIMIT),
  ]);
  await addRows(
    "contact-messages",
    messageRows.map((m) => ({
      name: m.name,
      email: m.email,
      message: m.message,
      created_at: isoTime(m.createdAt),
    })),
  );
  await addRows(
    "emails",
    mailRows.map((m) => ({
      to: m.toAddress,
      kind: m.kind,
      essential: m.essential,
      subject: m.bodyClearedAt === null ? m.subject : null,
      text: m.bodyClearedAt === null ? withoutTokens(m.textBody) : null,
      status: m.status,
      created_at: isoTime(m.createdAt),
      sent_at: time(m.sentAt),
    })),
  );
  await add("account/audit-log.json", ACCOUNT_FILES["audit-log"], (into) =>
    accountDocument(
      "audit_log",
      now,
      chained(userDbs, (d) =>
        auditPages(
          d,
          memberRows.map((m) => m.tenantId),
          who.userId,
        ),
      ),
      into,
    ),
  );
  const recent = (await Promise.all(userDbs.map((d) => recentViewRows(d, who.userId)))).flat();
  await addRows("recently-viewed", recent);
  const feeds = await calendarFeedsOfUser(db, who.userId);
  await addRows(
    "calendar-feed",
    feeds.map((f) => ({
      workspace: f.workspace,
      workspace_id: f.tenantId,
      on: true,
      turned_on_at: isoTime(f.createdAt),
      last_read_at: time(f.lastReadAt),
    })),
  );
  await add("account/reminders.json", ACCOUNT_FILES.reminders, (into) =>
    accountDocument(
      "reminders",
      now,
      chained(userDbs, (d) => reminderPages(d, who.userId)),
      into,
    ),
  );
  await add("account/usage.json", ACCOUNT_FILES.usage, (into) =>
    accountDocument("usage", now, usagePages(db, who.userId), into),
  );

  if (who.includesWorkspace) {
    for (const f of WORKSPACE_FILES) {
      await add(`workspace/${f.kind}.${f.format}`, f.description, (into) =>
        counted(exportChunks(t.db, t.tenantId, f.kind, f.format, { now }), f.format, into),
      );
    }
    await add(
      "workspace/activity.json",
      "The timeline of every record: creations, each change with its values before and after, notes added, " +
        "and who did it.",
      (into) => accountDocument("activity", now, activityPages(t), into),
    );
    await add(
      "workspace/tasks.json",
      "Every task: title, description, type, priority, due date and time, reminder, assignee, linked record, " +
        "recurrence, whether and when it was done.",
      (into) => accountDocument("tasks", now, taskPages(t), into),
    );
    await add(
      "workspace/interactions.json",
      "Every logged call, meeting and email: the record it is on, when it happened, how long, the outcome, " +
        "the notes and who logged it.",
      (into) => accountDocument("interactions", now, interactionPages(t), into),
    );
    await add(
      "workspace/trash.json",
      "Every record in the trash (deleted in the last 30 days, still restorable): what it is, who deleted it and " +
        "when, when it goes for good, and every row a restore would bring back.",
      (into) => accountDocument("trash", now, trashPages(t), into),
    );
    const keys = await apiKeysForExport(t);
    await add(
      "workspace/api-keys.json",
      "The workspace's API keys by name, with when each was made, expires, was last used and was revoked. " +
        "Never a key itself: we keep only a hash of it, and leave that out too.",
      (into) => accountDocument("api_keys", now, [keys], into),
    );
  }

  const manifest = {
    format: DATA_EXPORT_FORMAT_ID,
    exported_at: isoTime(now),
    account: { id: user.id, email: user.email },
    workspace: { id: tenant.id, name: tenant.name },
    includes_workspace_records: who.includesWorkspace,
    files: [
      ...files,
      {
        name: "manifest.json",
        format: "json",
        records: files.length + 1,
        description: "This list of the archive's files.",
      },
    ],
  };
  await zip.addFile("manifest.json", [`${JSON.stringify(manifest, null, 2)}\n`]);
  return manifest.files as ManifestFile[];
}
