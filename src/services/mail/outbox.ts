/**
 * The email outbox. A change that causes an email inserts the outbox row in its own batch, so the
 * email exists exactly when the change does. Delivery claims due rows atomically, sends them, and
 * retries with backoff; after the last attempt the row is marked failed and stays for an operator.
 */
import { and, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { inJsonList } from "../../db/sql";
import type { Database } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import { SEND_TIMEOUT_MS, type Sender } from "../../mail/senders";
import { newId } from "../../lib/ids";
import { errorText } from "../../lib/error-text";

/** Delays before attempts 2, 3, ...; after the last, the mail is marked failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed message is reserved for its sender before another sweep may take it over. */
const LEASE_MS = 5 * 60_000;
/** Messages per delivery run: well within a Worker's subrequest limit. */
const BATCH_SIZE = 40;

export interface RenderedMail {
  kind: string;
  essential: boolean;
  subject: string;
  text: string;
  html: string;
  /**
   * Extra headers for the sender. Non-essential mail carries List-Unsubscribe and
   * List-Unsubscribe-Post (RFC 8058) here; essential mail carries none.
   */
  headers?: Record<string, string>;
}

export interface QueueMailInput extends RenderedMail {
  to: string;
  tenantId: string | null;
  userId: string | null;
}

/** A subject on one line whatever a typed name holds: a line break could read as a header of its own at the provider. */
export function oneLineSubject(subject: string): string {
  return subject.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/**
 * An outbox insert to put in the same batch as the change that causes the mail; `row` is the same row for
 * `insertWhere` when the mail must follow a condition in the batch.
 */
export function queueMail(db: Database, mail: QueueMailInput, now: number) {
  const id = newId();
  const values: typeof emailOutbox.$inferInsert = {
    id,
    tenantId: mail.tenantId,
    userId: mail.userId,
    toAddress: mail.to,
    kind: mail.kind,
    essential: mail.essential,
    subject: oneLineSubject(mail.subject),
    textBody: mail.text,
    htmlBody: mail.html,
    headers: mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null,
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
  return { id, query: db.insert(emailOutbox).values(values), row: { table: emailOutbox, values } };
}

/** queueMail for mail about a person's account: to one address of theirs, belonging to no workspace. */
export function queueAccountMail(db: Database, to: string, userId: string, mail: RenderedMail, now: number) {
  return queueMail(db, { to, tenantId: null, userId, ...mail }, now);
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Delivers due mail (or only `ids`, right after they were queued). Safe to run concurrently and
 * repeatedly: each message is claimed by one conditional update before it is sent.
 */
export async function deliverDue(
  db: Database,
  sender: Sender | null,
  now: number,
  opts: { ids?: string[] } = {},
): Promise<DeliveryReport> {
  const report = { sent: 0, retrying: 0, failed: 0 };
  if (!sender) return report;
  const due = or(
    and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)),
    and(eq(emailOutbox.status, "sending"), lte(emailOutbox.nextAttemptAt, now)),
  );
  const candidates = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    // The ids as one JSON parameter: a digest run queues up to 100, past D1's 100 bound parameters.
    .where(opts.ids ? and(due, inJsonList(emailOutbox.id, opts.ids)) : due)
    .orderBy(emailOutbox.nextAttemptAt)
    .limit(BATCH_SIZE);
  const claimed = await db
    .update(emailOutbox)
    .set({
      status: "sending",
      attempts: sql`${emailOutbox.attempts} + 1`,
      // From the clock, not the cron's scheduled time: a run that starts late would hold a lease already half spent.
      nextAttemptAt: Math.max(now, Date.now()) + LEASE_MS,
      updatedAt: now,
    })
    .where(and(inArray(emailOutbox.id, candidates), due))
    .returning();

  const started = Date.now();
  for (const mail of claimed) {
    // Past most of the lease, the rest wait for it to end and the next sweep: sent now, one could go out twice.
    if (Date.now() - started > LEASE_MS - SEND_TIMEOUT_MS * 2) break;
    try {
      const headers = mail.headers ? (JSON.parse(mail.headers) as Record<string, string>) : undefined;
      await sender.send({
        id: mail.id,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
        headers,
      });
    } catch (err) {
      const giveUp = mail.attempts >= MAX_ATTEMPTS;
      const message = errorText(err);
      await db
        .update(emailOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          nextAttemptAt: giveUp ? now : now + RETRY_DELAYS_MS[Math.min(mail.attempts, RETRY_DELAYS_MS.length) - 1]!,
          lastError: message,
          updatedAt: now,
        })
        .where(eq(emailOutbox.id, mail.id));
      if (giveUp) report.failed += 1;
      else report.retrying += 1;
      console.error(
        JSON.stringify({
          type: "mail_error",
          id: mail.id,
          kind: mail.kind,
          attempts: mail.attempts,
          giveUp,
          error: message,
        }),
      );
      continue;
    }
    // The provider took it: whatever happens to this update, the mail is never put back to be sent again. Left
    // "sending", a sweep after the lease sends it once more with the same idempotency key, which the provider drops.
    report.sent += 1;
    try {
      await db
        .update(emailOutbox)
        .set({ status: "sent", sentAt: now, updatedAt: now, lastError: null })
        .where(eq(emailOutbox.id, mail.id));
    } catch (err) {
      console.error(
        JSON.stringify({ type: "mail_sent_unrecorded", id: mail.id, kind: mail.kind, error: errorText(err) }),
      );
    }
  }
  return report;
}

/** The newest outbox rows (the development mail viewer). */
export async function listRecentMail(db: Database, limit = 50) {
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}

/** One outbox row by id. */
export async function getMail(db: Database, id: string) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id)).limit(1);
  return row ?? null;
}

/** Mail the mailer gave up on, for operators: metadata and the error, not the bodies. */
export async function listFailedMail(db: Database, limit = 200) {
  return db
    .select({
      id: emailOutbox.id,
      kind: emailOutbox.kind,
      to: emailOutbox.toAddress,
      tenantId: emailOutbox.tenantId,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      updatedAt: emailOutbox.updatedAt,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.status, "failed"))
    .orderBy(desc(emailOutbox.updatedAt))
    .limit(limit);
}
