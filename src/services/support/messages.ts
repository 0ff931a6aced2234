/** Messages from the contact page: stored, mailed to support, acknowledged to the sender. */
import type { Database } from "../../db/client";
import { supportMessages } from "../../db/schema";
import { hit, LIMITS } from "../../auth/rate-limit";
import { newId } from "../../lib/ids";
import { supportAckMail, supportMessageMail } from "../../mail/support-messages";
import { queueMail } from "../mail/outbox";

export interface SupportMessageInput {
  name: string;
  email: string;
  message: string;
}

export interface SupportContext {
  /** The client's IP: counted against the per-IP limit, never stored. */
  ip: string | null;
  /** HMAC of the IP (src/lib/ip-hash.ts), or null. */
  ipHash: string | null;
  /** Where the message is mailed (SUPPORT_EMAIL); null: stored only. */
  supportEmail: string | null;
  now: number;
}

export type SupportResult = { ok: true; id: string; mailIds: string[] } | { ok: false; retryAfter: number };

/**
 * Stores a message and queues its two emails in one batch, so the message exists exactly when its
 * mail does. Limited per IP (LIMITS.contactPerIp); the acknowledgement is also limited per
 * recipient, and beyond that the message is still stored and sent to support, without one.
 */
export async function submitSupportMessage(
  db: Database,
  input: SupportMessageInput,
  ctx: SupportContext,
): Promise<SupportResult> {
  const perIp = await hit(db, LIMITS.contactPerIp, ctx.ip ?? "unknown", ctx.now);
  if (!perIp.allowed) return { ok: false, retryAfter: perIp.retryAfter };
  const ackAllowed = (await hit(db, LIMITS.contactAckPerEmail, input.email, ctx.now)).allowed;

  const id = newId();
  const mails = [];
  if (ctx.supportEmail)
    mails.push(
      queueMail(
        db,
        { ...supportMessageMail({ ...input, id }), to: ctx.supportEmail, tenantId: null, userId: null },
        ctx.now,
      ),
    );
  if (ackAllowed)
    mails.push(queueMail(db, { ...supportAckMail({ id }), to: input.email, tenantId: null, userId: null }, ctx.now));
  await db.batch([
    db.insert(supportMessages).values({
      id,
      name: input.name,
      email: input.email,
      message: input.message,
      ipHash: ctx.ipHash,
      createdAt: ctx.now,
    }),
    ...mails.map((m) => m.query),
  ]);
  return { ok: true, id, mailIds: mails.map((m) => m.id) };
}
