/**
 * Passwords: a reset link by email, the reset itself (every session ends), and a change by the
 * signed-in user (their other sessions end). Either also turns off the user's calendar feeds: whoever
 * knew the old password could have turned one on. Each change is told to the account's address in the
 * same batch; reset tokens are single-use, expire, and are stored hashed.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { hashPassword } from "../../auth/password";
import { hit, LIMITS, networkOf } from "../../auth/rate-limit";
import { findLiveToken, newAuthToken, retireTokens, useToken } from "../../auth/tokens";
import { passwordChangedMail, passwordResetMail } from "../../mail/messages";
import type { AccountHolder, BaseUrl, RequestMeta } from "./accounts";
import { findUserByEmail, homeTenant } from "./accounts";
import { auditInsert } from "../audit/audit";
import { queueAccountMail } from "../mail/outbox";
import { checkOwnPassword } from "./reauth";
import { calendarFeedsDeletion } from "../calendar/feed-secrets";

/** What the password services need of the request: who and where from, and the site's address for links. */
type PasswordMeta = RequestMeta & { baseUrl: BaseUrl };

/** What a password service answers: the mails it queued, or why it did nothing. */
type MailedOr<Refusal> = { ok: true; mailIds: string[] } | ({ ok: false } & Refusal);

export type ResetRequestResult = MailedOr<{ reason: "rate_limited"; retryAfter: number }>;

/**
 * Mails a reset link if the account exists. The caller shows the same answer either way; only a
 * flood from one IP is told to wait.
 */
export async function requestPasswordReset(
  db: Database,
  email: string,
  meta: PasswordMeta,
): Promise<ResetRequestResult> {
  const ipLimit = await hit(db, LIMITS.resetPerIp, networkOf(meta.ip), meta.now);
  if (!ipLimit.allowed) return { ok: false, reason: "rate_limited", retryAfter: ipLimit.retryAfter };
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: true, mailIds: [] };
  // Per account, extra requests are silently dropped: the answer must not reveal the account.
  if (!(await hit(db, LIMITS.resetPerAccount, user.id, meta.now)).allowed) return { ok: true, mailIds: [] };
  const token = newAuthToken(db, { kind: "password_reset", userId: user.id, email: user.email, now: meta.now });
  const link = `${meta.baseUrl}/password/reset/${token.token}`;
  const mail = queueAccountMail(db, user.email, user.id, passwordResetMail(link), meta.now);
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
      ...meta,
    }),
  ]);
  return { ok: true, mailIds: [mail.id] };
}

/** The address of the account a live reset link is for (the link is not used up), or null. */
export async function resetLinkAccount(db: Database, token: string, now: number): Promise<{ email: string } | null> {
  const live = await findLiveToken(db, "password_reset", token, now);
  if (!live) return null;
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, live.userId)).limit(1);
  return user ?? null;
}

export type ResetResult =
  | { ok: true; mailIds: string[]; email: string; userId: string }
  | { ok: false; reason: "invalid" };

/** Sets a new password from a reset link, and ends every session and calendar feed of the account. */
export async function resetPassword(
  db: Database,
  token: string,
  newPassword: string,
  meta: PasswordMeta,
): Promise<ResetResult> {
  // Cheap check first, so a bad link costs no password hashing.
  if (!(await findLiveToken(db, "password_reset", token, meta.now))) return { ok: false, reason: "invalid" };
  const passwordHash = await hashPassword(newPassword);
  const used = await useToken(db, "password_reset", token, meta.now);
  if (!used) return { ok: false, reason: "invalid" };
  const [user] = await db.select().from(users).where(eq(users.id, used.userId)).limit(1);
  if (!user) return { ok: false, reason: "invalid" };
  const notice = passwordChangedNotice(db, user, meta);
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
    calendarFeedsDeletion(db, user.id),
    retireTokens(db, user.id, "password_reset", meta.now),
    // An email change asked for with the old password (perhaps by whoever made the owner reset it) dies here.
    retireTokens(db, user.id, "change_email", meta.now),
    notice.query,
    auditInsert(db, {
      tenantId: await homeTenant(db, user.id),
      actorUserId: user.id,
      action: "password.reset",
      ...meta,
    }),
  ]);
  return { ok: true, mailIds: [notice.id], email: user.email, userId: user.id };
}

export type ChangePasswordResult = MailedOr<{ field: "current_password"; message: string }>;

/** The mail telling the account its password changed, with the way back if it was not them. */
function passwordChangedNotice(db: Database, user: { id: string; email: string }, meta: PasswordMeta) {
  return queueAccountMail(db, user.email, user.id, passwordChangedMail(`${meta.baseUrl}/password/forgot`), meta.now);
}

/** Changes the password after checking the current one, and ends the user's other sessions and their feeds. */
export async function changePassword(
  db: Database,
  actor: AccountHolder,
  input: { currentPassword: string; newPassword: string },
  meta: PasswordMeta,
): Promise<ChangePasswordResult> {
  const checked = await checkOwnPassword(db, actor.userId, input.currentPassword, meta.now);
  if (!checked.ok) return { ok: false, field: "current_password", message: checked.message };
  const { user } = checked;
  const passwordHash = await hashPassword(input.newPassword);
  const notice = passwordChangedNotice(db, user, meta);
  await db.batch([
    db.update(users).set({ passwordHash, updatedAt: meta.now }).where(eq(users.id, user.id)),
    db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, actor.sessionId))),
    calendarFeedsDeletion(db, user.id),
    // Links made before the change stop working: a pending email change or a reset link could have been asked
    // for by whoever knew the old password.
    retireTokens(db, user.id, "change_email", meta.now),
    retireTokens(db, user.id, "password_reset", meta.now),
    notice.query,
    auditInsert(db, {
      tenantId: actor.tenantId,
      actorUserId: user.id,
      action: "password.changed",
      ...meta,
    }),
  ]);
  return { ok: true, mailIds: [notice.id] };
}
