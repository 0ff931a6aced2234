/** Sign-up and login: the business rules, independent of HTTP. */
import { defaultPipelineStatements } from "../deals/defaults";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import { memberships, sessions, tenants, users } from "../../db/schema";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../auth/password";
import { hit, LIMITS, networkOf } from "../../auth/rate-limit";
import type { DeviceCookie } from "../../auth/device-cookie";
import { admitLogin, type LoginLimitScope } from "./login-limits";
import { newSession } from "../../auth/session";
import { newId } from "../../lib/ids";
import { newAuthToken } from "../../auth/tokens";
import { verifyEmailMail } from "../../mail/messages";
import { auditInsert, recordAudit } from "../audit/audit";
import { queueAccountMail } from "../mail/outbox";
import type { Bindings } from "../../env";
import { placementStatements } from "../shards/directory";
import { mirrorAfterChange } from "../shards/mirror";
import { openOnShard, placementTargets } from "../shards/new-workspace";

import type { RequestMeta } from "../../lib/actor";

export type { RequestMeta };

/** The public origin links in emails point to, e.g. "https://app.example.com". */
export type BaseUrl = string;

/**
 * The signed-in user acting on their own account, the workspace whose trail records it, and the
 * session they act from.
 */
export interface AccountHolder {
  userId: string;
  email: string;
  tenantId: string;
  sessionId: string;
}

/** The tenant an account-level event is recorded under: the user's oldest membership. */
export async function homeTenant(db: Database, userId: string): Promise<string | null> {
  const [m] = await db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt)
    .limit(1);
  return m?.tenantId ?? null;
}

export interface SignUpInput {
  email: string;
  password: string;
  companyName: string;
  /** The browser's IANA zone, already checked (knownTimeZone): the user's and the new workspace's. */
  timeZone?: string | null;
}

export type SignUpResult =
  | { ok: true; token: string; userId: string; tenantId: string; mailIds: string[] }
  | { ok: false; reason: "email_taken" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/** Finds a user by (already normalised) email. */
export async function findUserByEmail(db: Database, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user ?? null;
}

/** The insert of a new user row; sign-up and accepting an invitation both use it. */
export function userInsert(
  db: Database,
  u: { id: string; email: string; passwordHash: string; now: number; verified: boolean; timeZone?: string | null },
) {
  return db.insert(users).values({
    id: u.id,
    timeZone: u.timeZone ?? null,
    email: u.email,
    passwordHash: u.passwordHash,
    ageConfirmedAt: u.now,
    termsAcceptedAt: u.now,
    emailVerifiedAt: u.verified ? u.now : null,
    createdAt: u.now,
    updatedAt: u.now,
  });
}

/** Whether a failed batch failed on the unique email index (a concurrent sign-up with one email). */
export function isEmailTaken(err: unknown): boolean {
  return String(err).includes("UNIQUE constraint failed: users.email");
}

/**
 * Creates the tenant, its owner, the owner's first session, the verification email and the audit
 * entry in one batch (one transaction), so a failure leaves nothing behind. Input is validated.
 */
export async function signUp(
  db: Database,
  input: SignUpInput,
  meta: RequestMeta & { baseUrl: BaseUrl; signupsPerIpPerHour?: number },
  env?: Pick<Bindings, "DB"> & Partial<Bindings>,
): Promise<SignUpResult> {
  const perIp = meta.signupsPerIpPerHour
    ? { ...LIMITS.signupPerIp, max: meta.signupsPerIpPerHour }
    : LIMITS.signupPerIp;
  const limit = await hit(db, perIp, networkOf(meta.ip), meta.now);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfter: limit.retryAfter };
  if (await findUserByEmail(db, input.email)) return { ok: false, reason: "email_taken" };

  const tenantId = newId();
  const userId = newId();
  const passwordHash = await hashPassword(input.password);
  const session = newSession({ userId, tenantId, ...meta });
  const verification = newAuthToken(db, { kind: "verify_email", userId, email: input.email, now: meta.now });
  const link = `${meta.baseUrl}/verify-email/${verification.token}`;
  const mail = queueAccountMail(db, input.email, userId, verifyEmailMail(link), meta.now);
  const placement = await placementStatements(db, tenantId, meta.now, env ? placementTargets(env) : ["DB"]);
  const onShard = placement.shard !== "DB";
  // On a shard its records side goes first (src/services/shards/new-workspace.ts).
  const undo = env
    ? await openOnShard(env, placement.shard, {
        tenantId,
        name: input.companyName,
        timeZone: input.timeZone ?? "UTC",
        ownerId: userId,
        now: meta.now,
      })
    : async () => {};
  try {
    // Through runRawBatch: drizzle's D1 batch cannot take the default pipeline's raw statements.
    await runRawBatch(db, [
      db.insert(tenants).values({
        id: tenantId,
        name: input.companyName,
        timeZone: input.timeZone ?? "UTC",
        createdAt: meta.now,
        updatedAt: meta.now,
      }),
      userInsert(db, {
        id: userId,
        email: input.email,
        passwordHash,
        now: meta.now,
        verified: false,
        timeZone: input.timeZone,
      }),
      db.insert(memberships).values({ tenantId, userId, role: "owner", createdAt: meta.now, updatedAt: meta.now }),
      ...placement.statements,
      ...(onShard ? [] : defaultPipelineStatements(tenantId, meta.now)),
      db.insert(sessions).values(session.row),
      verification.query,
      mail.query,
      auditInsert(db, {
        tenantId,
        actorUserId: userId,
        action: "auth.sign_up",
        ...meta,
      }),
    ]);
  } catch (err) {
    await undo();
    // Two sign-ups with one email racing: the unique index stops the second, and the batch rolls back.
    if (isEmailTaken(err)) return { ok: false, reason: "email_taken" };
    throw err;
  }
  if (env && onShard) await mirrorAfterChange(env, [tenantId]);
  return { ok: true, token: session.token, userId, tenantId, mailIds: [mail.id] };
}

/** A failed sign-in into a real account, in the trail of each workspace the account belongs to. */
async function recordFailedSignIn(db: Database, userId: string, meta: RequestMeta, reason: string) {
  const tenantIds = await db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  if (tenantIds.length === 0) return;
  await db.batch(
    tenantIds.map(({ tenantId }) =>
      auditInsert(db, {
        tenantId,
        actorUserId: null,
        action: "auth.sign_in_failed",
        targetType: "user",
        targetId: userId,
        detail: { reason },
        ...meta,
      }),
    ) as [ReturnType<typeof auditInsert>, ...ReturnType<typeof auditInsert>[]],
  );
}

export type LogInResult =
  | { ok: true; token: string; userId: string; tenantId: string }
  | { ok: false; reason: "invalid" }
  /** The password is right but the account belongs to no workspace (it was removed from its last one). */
  | { ok: false; reason: "no_workspace"; userId: string; email: string }
  | { ok: false; reason: "rate_limited"; retryAfter: number; scope: LoginLimitScope };

export type { LoginLimitScope };

/**
 * Checks the credentials and opens a new session in the user's first tenant. The same answer,
 * after the same work, whether or not the email exists. The guessing limits (login-limits.ts) count the
 * attempt before the password is checked and give a success back.
 */
export async function logIn(
  db: Database,
  email: string,
  password: string,
  meta: RequestMeta & { device?: DeviceCookie | null },
): Promise<LogInResult> {
  const user = await findUserByEmail(db, email);
  const device = meta.device && user && meta.device.userId === user.id ? meta.device : null;
  const admission = await admitLogin(db, { email, ip: meta.ip, device, now: meta.now });
  if (!admission.ok) {
    // Refused attempts at a real account are failures too: the workspace should see a guessing attack.
    const reason = { device: "locked (this browser)", source: "locked (this address)", account: "slowed down" };
    if (user && admission.scope !== "ip") await recordFailedSignIn(db, user.id, meta, reason[admission.scope]);
    return { ok: false, reason: "rate_limited", retryAfter: admission.retryAfter, scope: admission.scope };
  }

  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  // The first workspace joined that is still open; a closed one only if the user has no other
  // (it then shows its closed page), so members of a closed workspace land in their other ones.
  const [membership] = user
    ? await db
        .select({ tenantId: memberships.tenantId })
        .from(memberships)
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(eq(memberships.userId, user.id))
        .orderBy(sql`${tenants.closedAt} is not null`, memberships.createdAt)
        .limit(1)
    : [];
  // A right password is not a guess, in a workspace or not (services/account/no-workspace.ts).
  await admission.settle(Boolean(user && valid));
  if (user && valid && !membership) return { ok: false, reason: "no_workspace", userId: user.id, email: user.email };
  if (!user || !valid || !membership) {
    if (user) await recordFailedSignIn(db, user.id, meta, "wrong password");
    else
      await recordAudit(db, {
        tenantId: null,
        actorUserId: null,
        action: "auth.sign_in_failed",
        ...meta,
      });
    return { ok: false, reason: "invalid" };
  }
  const session = newSession({
    userId: user.id,
    tenantId: membership.tenantId,
    ...meta,
  });
  await db.batch([
    db.insert(sessions).values(session.row),
    auditInsert(db, {
      tenantId: membership.tenantId,
      actorUserId: user.id,
      action: "auth.sign_in",
      ...meta,
    }),
  ]);
  return { ok: true, token: session.token, userId: user.id, tenantId: membership.tenantId };
}
