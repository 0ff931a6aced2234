/** Sign-up and login: the business rules, independent of HTTP. */
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, sessions, tenants, users } from "../db/schema";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import { clear, hit, isLimited, LIMITS } from "../auth/rate-limit";
import { newSession } from "../auth/session";
import { newId } from "../lib/ids";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  now: number;
}

export interface SignUpInput {
  email: string;
  password: string;
  companyName: string;
}

export type SignUpResult =
  | { ok: true; token: string; userId: string; tenantId: string }
  | { ok: false; reason: "email_taken" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/** Finds a user by (already normalised) email. */
export async function findUserByEmail(db: Database, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user ?? null;
}

/**
 * Creates the tenant, its owner and the owner's first session in one batch (one transaction), so a
 * failure leaves nothing behind. Input is already validated.
 */
export async function signUp(db: Database, input: SignUpInput, meta: RequestMeta): Promise<SignUpResult> {
  const limit = await hit(db, LIMITS.signupPerIp, meta.ip ?? "unknown", meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };
  if (await findUserByEmail(db, input.email)) return { ok: false, reason: "email_taken" };

  const tenantId = newId();
  const userId = newId();
  const passwordHash = await hashPassword(input.password);
  const session = newSession({ userId, tenantId, ip: meta.ip, userAgent: meta.userAgent, now: meta.now });
  try {
    await db.batch([
      db.insert(tenants).values({ id: tenantId, name: input.companyName, createdAt: meta.now, updatedAt: meta.now }),
      db.insert(users).values({
        id: userId,
        email: input.email,
        passwordHash,
        ageConfirmedAt: meta.now,
        termsAcceptedAt: meta.now,
        createdAt: meta.now,
        updatedAt: meta.now,
      }),
      db.insert(memberships).values({ tenantId, userId, role: "owner", createdAt: meta.now, updatedAt: meta.now }),
      db.insert(sessions).values(session.row),
    ]);
  } catch (err) {
    // Two sign-ups with one email racing: the unique index stops the second, and the batch rolls back.
    if (String(err).includes("UNIQUE constraint failed: users.email")) return { ok: false, reason: "email_taken" };
    throw err;
  }
  return { ok: true, token: session.token, userId, tenantId };
}

export type LogInResult =
  | { ok: true; token: string; userId: string; tenantId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Checks the credentials and opens a new session in the user's first tenant. The same answer,
 * after the same work, whether or not the email exists.
 */
export async function logIn(db: Database, email: string, password: string, meta: RequestMeta): Promise<LogInResult> {
  const ipLimit = await hit(db, LIMITS.loginPerIp, meta.ip ?? "unknown", meta.now);
  if (!ipLimit.allowed) return { ok: false, reason: "rate_limited", retryAfter: ipLimit.retryAfter };
  const accountLimit = await isLimited(db, LIMITS.loginFailuresPerAccount, email, meta.now);
  if (!accountLimit.allowed) return { ok: false, reason: "rate_limited", retryAfter: accountLimit.retryAfter };

  const user = await findUserByEmail(db, email);
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  const [membership] = user
    ? await db
        .select({ tenantId: memberships.tenantId })
        .from(memberships)
        .where(eq(memberships.userId, user.id))
        .orderBy(memberships.createdAt)
        .limit(1)
    : [];
  if (!user || !valid || !membership) {
    await hit(db, LIMITS.loginFailuresPerAccount, email, meta.now);
    return { ok: false, reason: "invalid" };
  }
  await clear(db, LIMITS.loginFailuresPerAccount, email);
  const session = newSession({ userId: user.id, tenantId: membership.tenantId, ip: meta.ip, userAgent: meta.userAgent, now: meta.now });
  await db.insert(sessions).values(session.row);
  return { ok: true, token: session.token, userId: user.id, tenantId: membership.tenantId };
}
