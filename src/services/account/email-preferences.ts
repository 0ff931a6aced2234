/**
 * Non-essential email: the weekly activity digest, task reminders and @mentions (on unless turned off), product
 * news and the daily agenda (off unless turned on). Each such mail is queued through `queueListMail`, which checks the user's
 * choice, and carries a signed one-click unsubscribe link, in its footer and in the
 * List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058).
 *
 * The unsubscribe token is `<list>.<user id>.<mac>`: mac = HMAC-SHA256 under UNSUBSCRIBE_KEY of
 * "unsubscribe/v1", the user id and the list. It never expires (a link in an old email must keep
 * working) and cannot be made for another user or list without the key. Changing the key retires
 * every link sent before; "v1" lets the message format change later without that.
 */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { emailPreferences } from "../../db/schema";
import { queueMail, type QueueMailInput, type RenderedMail } from "../mail/outbox";

export const MAIL_LISTS = ["digest", "news", "reminders", "agenda", "mentions"] as const;
export type MailList = (typeof MAIL_LISTS)[number];

/** What each list is, in the words pages and mails use. */
export const MAIL_LIST_LABELS: Record<MailList, string> = {
  digest: "the weekly activity digest",
  news: "product news",
  reminders: "task reminders by email",
  agenda: "the daily agenda",
  mentions: "mentions in notes by email",
};

export type EmailPreferenceValues = Record<MailList, boolean>;

/** The defaults, for a user who never chose: the digest, reminders and mentions on, news and the agenda off. */
export const DEFAULT_EMAIL_PREFERENCES: EmailPreferenceValues = {
  digest: true,
  news: false,
  reminders: true,
  agenda: false,
  mentions: true,
};

/** The user's choices, with the defaults where they never chose; `updatedAt` null when they never did. */
export async function getEmailPreferences(
  db: Database,
  userId: string,
): Promise<EmailPreferenceValues & { updatedAt: number | null }> {
  const [row] = await db.select().from(emailPreferences).where(eq(emailPreferences.userId, userId)).limit(1);
  return row
    ? {
        digest: row.digest,
        news: row.news,
        reminders: row.reminders,
        agenda: row.agenda,
        mentions: row.mentions,
        updatedAt: row.updatedAt,
      }
    : { ...DEFAULT_EMAIL_PREFERENCES, updatedAt: null };
}

/** Stores the user's choices (every list). */
export async function setEmailPreferences(
  db: Database,
  userId: string,
  values: EmailPreferenceValues,
  now: number,
): Promise<void> {
  const choice = {
    digest: values.digest,
    news: values.news,
    reminders: values.reminders,
    agenda: values.agenda,
    mentions: values.mentions,
  };
  await db
    .insert(emailPreferences)
    .values({ userId, ...choice, updatedAt: now })
    // agendaNextAt 0: the agenda sweep looks at the user again at its next run (the agenda may just have been turned on).
    .onConflictDoUpdate({ target: emailPreferences.userId, set: { ...choice, agendaNextAt: 0, updatedAt: now } });
}

/**
 * Turns one list off for a user (what the unsubscribe link does). Writes only if the user still
 * exists; doing it again changes nothing. Returns whether the user exists.
 */
export async function unsubscribeFromList(db: Database, userId: string, list: MailList, now: number): Promise<boolean> {
  const off = { [list]: false } as Partial<EmailPreferenceValues>;
  // A first choice: this list off, the others at their defaults.
  const first = { ...DEFAULT_EMAIL_PREFERENCES, ...off };
  const bit = (on: boolean) => (on ? 1 : 0);
  const rows = await db
    .insert(emailPreferences)
    .select(
      sql`SELECT id, ${bit(first.digest)}, ${bit(first.news)}, NULL, ${bit(first.reminders)}, ${bit(first.agenda)},
        ${bit(first.mentions)}, NULL, 0, ${now} FROM users WHERE id = ${userId}`,
    )
    .onConflictDoUpdate({ target: emailPreferences.userId, set: { ...off, updatedAt: now } })
    .returning({ userId: emailPreferences.userId });
  return rows.length > 0;
}

// ---- signed links -----------------------------------------------------------------------------------

const encoder = new TextEncoder();

async function macKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

const macInput = (userId: string, list: MailList) => encoder.encode(`unsubscribe/v1\n${userId}\n${list}`);

/** The unsubscribe token for a user and list. */
export async function unsubscribeToken(secret: string, userId: string, list: MailList): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret, "sign"), macInput(userId, list));
  return `${list}.${userId}.${encodeBase64urlNoPadding(new Uint8Array(mac))}`;
}

const USER_ID = /^[a-z0-9]{1,64}$/;

/** The user and list a token was made for, or null when it is malformed or its MAC does not verify. */
export async function readUnsubscribeToken(
  secret: string | undefined,
  token: string,
): Promise<{ userId: string; list: MailList } | null> {
  if (!secret || token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [list, userId, macText] = parts as [string, string, string];
  if (
    !(MAIL_LISTS as readonly string[]).includes(list) ||
    !USER_ID.test(userId) ||
    !/^[A-Za-z0-9_-]{43}$/.test(macText)
  )
    return null;
  let mac: Uint8Array;
  try {
    mac = decodeBase64urlIgnorePadding(macText);
  } catch {
    return null;
  }
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify(
    "HMAC",
    await macKey(secret, "verify"),
    mac,
    macInput(userId, list as MailList),
  );
  return ok ? { userId, list: list as MailList } : null;
}

/** The link a mail of `list` carries for `userId`. */
export async function unsubscribeUrl(baseUrl: string, secret: string, userId: string, list: MailList): Promise<string> {
  return `${baseUrl}/unsubscribe/${await unsubscribeToken(secret, userId, list)}`;
}

/**
 * RFC 8058 one-click headers for an unsubscribe URL. Only for https links: mail providers (and
 * Cloudflare Email Service) accept no other, so a plain-http development server sends none and
 * relies on the link in the footer.
 */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  if (!url.startsWith("https://")) return {};
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

export interface ListMailInput {
  to: string;
  userId: string;
  tenantId: string | null;
  list: MailList;
  /** The origin links point to (APP_URL). */
  baseUrl: string;
  /** UNSUBSCRIBE_KEY. Without it no non-essential mail is sent: it could not carry a working link. */
  secret: string | undefined;
  /** Renders the mail around its unsubscribe link. */
  render: (unsubscribeUrl: string) => RenderedMail;
}

/**
 * A non-essential mail ready for the outbox, with its unsubscribe link in the text and HTML and the
 * RFC 8058 headers; or null when it must not be sent: the user's `choice` has the list off, or there
 * is no key to sign its link with. For senders that insert many at once (the reminder sweep).
 */
export async function renderListMail(
  input: ListMailInput,
  choice: EmailPreferenceValues,
): Promise<QueueMailInput | null> {
  if (!input.secret || !choice[input.list]) return null;
  const url = await unsubscribeUrl(input.baseUrl, input.secret, input.userId, input.list);
  const rendered = input.render(url);
  if (rendered.essential) throw new Error("queueListMail: a list mail is never essential");
  return {
    ...rendered,
    headers: { ...rendered.headers, ...listUnsubscribeHeaders(url) },
    to: input.to,
    tenantId: input.tenantId,
    userId: input.userId,
  };
}

/**
 * The outbox insert of a non-essential mail (for a batch), or null when it must not be sent: the
 * user turned the list off (or never turned it on), or there is no key to sign its link with.
 * `prefs` may be passed when the caller has read them already.
 */
export async function queueListMail(
  db: Database,
  input: ListMailInput,
  now: number,
  prefs?: EmailPreferenceValues,
): Promise<{ id: string; query: ReturnType<typeof queueMail>["query"] } | null> {
  if (!input.secret) return null;
  const mail = await renderListMail(input, prefs ?? (await getEmailPreferences(db, input.userId)));
  return mail ? queueMail(db, mail, now) : null;
}
