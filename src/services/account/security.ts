/**
 * Email verification, email change, password reset and password change. Every email is queued in
 * the same batch as the change it reports; every token is single-use, expires, and is stored hashed.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, sessions, users } from "../../db/schema";
import { hashPassword, verifyPassword } from "../../auth/password";
import { hit, LIMITS } from "../../auth/rate-limit";
import { findLiveToken, newAuthToken, retireTokens, useToken } from "../../auth/tokens";
import {
  confirmEmailChangeMail,
  emailChangedNoticeMail,
  passwordChangedMail,
  passwordResetMail,
  verifyEmailMail,
} from "../../mail/messages";
import type { BaseUrl, RequestMeta } from "./accounts";
import { findUserByEmail, isEmailTaken } from "./accounts";
import { auditInsert } from "../audit/audit";
import { queueMail } from "../mail/outbox";

export interface Actor {
  userId: string;
  email: string;
  tenantId: string;
}

/** The tenant an account-level event is recorded under: the user's oldest membership. */
async function homeTenant(db: Database, userId: string): Promise<string | null> {
  const [m] = await db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt)
    .limit(1);
  return m?.tenantId ?? null;
}

export type SendResult =
  | { ok: true; mailIds: string[] }
  | { ok: false; reason: "rate_limited"; retryAfter: number }
  | { ok: false; reason: "already_verified" };

/** Sends a fresh verification link (older links stop working). */
export async function resendVerification(
  db: Database,
  actor: Actor,
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
  const mail = queueMail(
    db,
    {
      to: actor.email,
      tenantId: null,
      userId: actor.userId,
      ...verifyEmailMail(`${meta.baseUrl}/verify-email/${token.token}`),
    },
    meta.now,
  );
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
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
    ]);
    return { ok: true, kind: "verified", userId: user.id, email: user.email, verifiedAt: meta.now, mailIds: [] };
  }

  const notice = queueMail(
    db,
    { to: user.email, tenantId: null, userId: user.id, ...emailChangedNoticeMail(used.email, true) },
    meta.now,
  );
  try {
    await db.batch([
      db
        .update(users)
        .set({ email: used.email, emailVerifiedAt: meta.now, updatedAt: meta.now })
        .where(eq(users.id, user.id)),
      notice.query,
      auditInsert(db, {
        tenantId,
        actorUserId: user.id,
        action: "email.changed",
        targetType: "user",
        targetId: user.id,
        detail: { from: user.email, to: used.email },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
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
 * changes only when the link is used. Requires the current password.
 */
export async function requestEmailChange(
  db: Database,
  actor: Actor,
  input: { newEmail: string; password: string },
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<EmailChangeResult> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
    return { ok: false, field: "password", message: "That is not your current password." };
  }
  if (input.newEmail === user.email)
    return { ok: false, field: "email", message: "That is already your email address." };
  if (await findUserByEmail(db, input.newEmail))
    return { ok: false, field: "email", message: "Another account already uses this address." };
  const token = newAuthToken(db, { kind: "change_email", userId: user.id, email: input.newEmail, now: meta.now });
  const confirm = queueMail(
    db,
    {
      to: input.newEmail,
      tenantId: null,
      userId: user.id,
      ...confirmEmailChangeMail(`${meta.baseUrl}/verify-email/${token.token}`),
    },
    meta.now,
  );
  const notice = queueMail(
    db,
    { to: user.email, tenantId: null, userId: user.id, ...emailChangedNoticeMail(input.newEmail, false) },
    meta.now,
  );
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
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, mailIds: [confirm.id, notice.id] };
}

export type ResetRequestResult =
  | { ok: true; mailIds: string[] }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Mails a reset link if the account exists. The caller shows the same answer either way; only a
 * flood from one IP is told to wait.
 */
export async function requestPasswordReset(
  db: Database,
  email: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ResetRequestResult> {
  const ipLimit = await hit(db, LIMITS.resetPerIp, meta.ip ?? "unknown", meta.now);
  if (!ipLimit.allowed) return { ok: false, reason: "rate_limited", retryAfter: ipLimit.retryAfter };
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: true, mailIds: [] };
  // Per account, extra requests are silently dropped: the answer must not reveal the account.
  if (!(await hit(db, LIMITS.resetPerAccount, user.id, meta.now)).allowed) return { ok: true, mailIds: [] };
  const token = newAuthToken(db, { kind: "password_reset", userId: user.id, email: user.email, now: meta.now });
  const mail = queueMail(
    db,
    {
      to: user.email,
      tenantId: null,
      userId: user.id,
      ...passwordResetMail(`${meta.baseUrl}/password/reset/${token.token}`),
    },
    meta.now,
  );
  await db.batch([
    retireTokens(db, user.id, "password_reset", meta.now),
    token.query,
    mail.query,
    auditInsert(db, {
      tenantId: await homeTenant(db, user.id),
      actorUserId: null,
      action: "password.reset_requested",
      targetType: "user",
      targetId: user.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, mailIds: [mail.id] };
}

export type ResetResult =
  | { ok: true; mailIds: string[]; email: string; userId: string }
  | { ok: false; reason: "invalid" };

/** Sets a new password from a reset link, and ends every session of the account. */
export async function resetPassword(
  db: Database,
  token: string,
  newPassword: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ResetResult> {
  // Cheap check first, so a bad link costs no password hashing.
  if (!(await findLiveToken(db, "password_reset", token, meta.now))) return { ok: false, reason: "invalid" };
  const passwordHash = await hashPassword(newPassword);
  const used = await useToken(db, "password_reset", token, meta.now);
  if (!used) return { ok: false, reason: "invalid" };
  const [user] = await db.select().from(users).where(eq(users.id, used.userId)).limit(1);
  if (!user) return { ok: false, reason: "invalid" };
  const notice = queueMail(
    db,
    { to: user.email, tenantId: null, userId: user.id, ...passwordChangedMail(`${meta.baseUrl}/password/forgot`) },
    meta.now,
  );
  await db.batch([
    // The link reached the inbox, so the address is proven too.
    db
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: user.emailVerifiedAt ?? (used.email === user.email ? meta.now : null),
        updatedAt: meta.now,
      })
      .where(eq(users.id, user.id)),
    db.delete(sessions).where(eq(sessions.userId, user.id)),
    retireTokens(db, user.id, "password_reset", meta.now),
    notice.query,
    auditInsert(db, {
      tenantId: await homeTenant(db, user.id),
      actorUserId: user.id,
      action: "password.reset",
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, mailIds: [notice.id], email: user.email, userId: user.id };
}

export type ChangePasswordResult =
  | { ok: true; mailIds: string[] }
  | { ok: false; field: "current_password"; message: string };

/** Changes the password after checking the current one, and ends the user's other sessions. */
export async function changePassword(
  db: Database,
  actor: Actor & { sessionId: string },
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<ChangePasswordResult> {
  const limit = await hit(db, LIMITS.passwordChangePerUser, actor.userId, meta.now);
  if (!limit.allowed)
    return { ok: false, field: "current_password", message: "Too many attempts. Wait a few minutes and try again." };
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, field: "current_password", message: "That is not your current password." };
  }
  const passwordHash = await hashPassword(input.newPassword);
  const notice = queueMail(
    db,
    { to: user.email, tenantId: null, userId: user.id, ...passwordChangedMail(`${meta.baseUrl}/password/forgot`) },
    meta.now,
  );
  await db.batch([
    db.update(users).set({ passwordHash, updatedAt: meta.now }).where(eq(users.id, user.id)),
    db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, actor.sessionId))),
    notice.query,
    auditInsert(db, {
      tenantId: actor.tenantId,
      actorUserId: user.id,
      action: "password.changed",
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, mailIds: [notice.id] };
}
