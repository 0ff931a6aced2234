/**
 * An account's email address: the sign-up verification link (and sending it again), changing the
 * address (a link to the new one, a notice to the old one), and confirming either from its link.
 * Every email is queued in the same batch as the change it reports; every token is single-use,
 * expires, and is stored hashed.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { hit, LIMITS } from "../../auth/rate-limit";
import { newAuthToken, retireTokens, useToken } from "../../auth/tokens";
import { confirmEmailChangeMail, emailChangedNoticeMail, verifyEmailMail } from "../../mail/messages";
import type { AccountHolder, BaseUrl, RequestMeta } from "./accounts";
import { findUserByEmail, homeTenant, isEmailTaken } from "./accounts";
import { auditInsert } from "../audit/audit";
import { queueAccountMail } from "../mail/outbox";
import { checkOwnPassword } from "./reauth";

export type SendResult =
  | { ok: true; mailIds: string[] }
  | { ok: false; reason: "rate_limited"; retryAfter: number }
  | { ok: false; reason: "already_verified" };

/** Sends a fresh verification link (older links stop working). */
export async function resendVerification(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "email">,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<SendResult> {
  const [user] = await db
    .select({ verified: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, actor.userId))
    .limit(1);
  if (user?.verified) return { ok: false, reason: "already_verified" };
  const limit = await hit(db, LIMITS.verificationPerUser, actor.userId, meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };
  const token = newAuthToken(db, { kind: "verify_email", userId: actor.userId, email: actor.email, now: meta.now });
  const link = `${meta.baseUrl}/verify-email/${token.token}`;
  const mail = queueAccountMail(db, actor.email, actor.userId, verifyEmailMail(link), meta.now);
  await db.batch([retireTokens(db, actor.userId, "verify_email", meta.now), token.query, mail.query]);
  return { ok: true, mailIds: [mail.id] };
}

export type ConfirmResult =
  | { ok: true; kind: "verified" | "changed"; userId: string; email: string; verifiedAt: number; mailIds: string[] }
  | { ok: false; reason: "invalid" | "email_taken" };

/**
 * Confirms an address from a link: a sign-up verification, or the new address of an email change.
 * The token is used up first (one conditional update), then the change is written.
 */
export async function confirmAddress(db: Database, token: string, meta: RequestMeta): Promise<ConfirmResult> {
  const used =
    (await useToken(db, "verify_email", token, meta.now)) ?? (await useToken(db, "change_email", token, meta.now));
  if (!used) return { ok: false, reason: "invalid" };
  const [user] = await db.select().from(users).where(eq(users.id, used.userId)).limit(1);
  if (!user) return { ok: false, reason: "invalid" };
  const tenantId = await homeTenant(db, user.id);

  if (used.kind === "verify_email") {
    // A link for an address the account no longer has verifies nothing.
    if (used.email !== user.email) return { ok: false, reason: "invalid" };
    await db.batch([
      db.update(users).set({ emailVerifiedAt: meta.now, updatedAt: meta.now }).where(eq(users.id, user.id)),
      auditInsert(db, {
        tenantId,
        actorUserId: user.id,
        action: "email.verified",
        ...meta,
      }),
    ]);
    return { ok: true, kind: "verified", userId: user.id, email: user.email, verifiedAt: meta.now, mailIds: [] };
  }

  const notice = queueAccountMail(db, user.email, user.id, emailChangedNoticeMail(used.email, true), meta.now);
  try {
    await db.batch([
      db
        .update(users)
        .set({ email: used.email, emailVerifiedAt: meta.now, updatedAt: meta.now })
        .where(eq(users.id, user.id)),
      // Reset links went to the old address, which may no longer be the owner's.
      retireTokens(db, user.id, "password_reset", meta.now),
      notice.query,
      auditInsert(db, {
        tenantId,
        actorUserId: user.id,
        action: "email.changed",
        targetType: "user",
        targetId: user.id,
        detail: { from: user.email, to: used.email },
        ...meta,
      }),
    ]);
  } catch (err) {
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    throw err;
  }
  return { ok: true, kind: "changed", userId: user.id, email: used.email, verifiedAt: meta.now, mailIds: [notice.id] };
}

export type EmailChangeResult =
  | { ok: true; mailIds: string[] }
  | { ok: false; field: "password" | "email"; message: string };

/**
 * Starts an email change: the new address gets a confirmation link, the old one is told. The address
 * changes only when the link is used. Requires the current password; a few links a day per new address.
 */
export async function requestEmailChange(
  db: Database,
  actor: Pick<AccountHolder, "userId" | "tenantId">,
  input: { newEmail: string; password: string },
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<EmailChangeResult> {
  const checked = await checkOwnPassword(db, actor.userId, input.password, meta.now);
  if (!checked.ok) return { ok: false, field: "password", message: checked.message };
  const { user } = checked;
  if (input.newEmail === user.email)
    return { ok: false, field: "email", message: "That is already your email address." };
  if (await findUserByEmail(db, input.newEmail))
    return { ok: false, field: "email", message: "Another account already uses this address." };
  // Per new address, from whichever accounts: the form must not become a way to flood a stranger's inbox.
  if (!(await hit(db, LIMITS.emailChangePerAddress, input.newEmail, meta.now)).allowed)
    return {
      ok: false,
      field: "email",
      message: "We have sent this address several confirmation links today. Use the newest one, or try again tomorrow.",
    };
  const token = newAuthToken(db, { kind: "change_email", userId: user.id, email: input.newEmail, now: meta.now });
  const link = `${meta.baseUrl}/verify-email/${token.token}`;
  const confirm = queueAccountMail(db, input.newEmail, user.id, confirmEmailChangeMail(link), meta.now);
  const notice = queueAccountMail(db, user.email, user.id, emailChangedNoticeMail(input.newEmail, false), meta.now);
  await db.batch([
    retireTokens(db, user.id, "change_email", meta.now),
    token.query,
    confirm.query,
    notice.query,
    auditInsert(db, {
      tenantId: actor.tenantId,
      actorUserId: user.id,
      action: "email.change_requested",
      targetType: "user",
      targetId: user.id,
      detail: { to: input.newEmail },
      ...meta,
    }),
  ]);
  return { ok: true, mailIds: [confirm.id, notice.id] };
}
