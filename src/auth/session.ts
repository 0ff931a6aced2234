/**
 * Sessions after Lucia's recipe (lucia-auth.com/sessions): a token `<id>.<secret>`, both halves from
 * a CSPRNG; only SHA-256(secret) is stored and compared in constant time; a sliding inactivity
 * timeout refreshed at most hourly, and an absolute lifetime.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, sessions, tenantBilling, tenants, users, workspaceShards, type Role } from "../db/schema";
import type { AuthContext } from "../env";
import { isDatabaseName } from "../services/shards/databases";

export const SESSION_COOKIE = "__Host-session";
export const INACTIVITY_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** 160 random bits as 32 base32 characters. */
export function randomToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** SHA-256 of a session secret: what a session row stores (staff sessions too, src/auth/staff-session.ts). */
export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export interface NewSession {
  token: string;
  row: typeof sessions.$inferInsert;
}

/** Builds a session row and its token without writing it, so callers can batch the insert. */
export function newSession(input: {
  userId: string;
  tenantId: string;
  ip: string | null;
  userAgent: string | null;
  now: number;
}): NewSession {
  const id = randomToken();
  const secret = randomToken();
  return {
    token: `${id}.${secret}`,
    row: {
      id,
      secretHash: Buffer.from(hashSecret(secret)),
      userId: input.userId,
      tenantId: input.tenantId,
      createdAt: input.now,
      lastActiveAt: input.now,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    },
  };
}

/** When a session expires: the earlier of its inactivity timeout and its absolute lifetime. */
export function sessionExpiresAt(s: { createdAt: number; lastActiveAt: number }): number {
  return Math.min(s.lastActiveAt + INACTIVITY_TIMEOUT_MS, s.createdAt + ABSOLUTE_LIFETIME_MS);
}

export interface ValidatedSession {
  auth: AuthContext;
  /** Set when the expiry moved, so the cookie should be re-issued. */
  refreshedExpiresAt: number | null;
}

/** The two halves of a session token, or null when it is not shaped like one. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot < 1 || token.length > 100) return null;
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/**
 * The session with its user, their membership in the session's tenant and the tenant, in one
 * statement. A query builder, so a page can put it in the same D1 batch as its own reads.
 */
export function sessionRowQuery(db: Database, id: string) {
  // Every column has its own name: in a D1 batch rows come back as objects keyed by column name, so
  // two columns named "id" would collapse into one and shift every value after them.
  return db
    .select({
      secretHash: sessions.secretHash,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
      userId: sql<string>`${users.id}`.as("user_id"),
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      // For the privacy-policy change notice on every page, without a query of its own.
      termsAcceptedAt: users.termsAcceptedAt,
      privacySeenVersion: users.privacySeenVersion,
      // The zone pages show times in: the user's own, else the workspace's.
      timeZone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})`.as("reader_time_zone"),
      // And the locale numbers and dates are written and read in: likewise.
      locale: sql<string>`coalesce(${users.locale}, ${tenants.locale})`.as("reader_locale"),
      tenantId: sql<string>`${tenants.id}`.as("tenant_id"),
      tenantName: tenants.name,
      // A closed workspace answers /app with its closed page only (src/middleware/closed-workspace.tsx).
      closedAt: tenants.closedAt,
      eraseAfter: tenants.eraseAfter,
      role: memberships.role,
      // For the past_due banner on every page, without a query of its own.
      billingState: tenantBilling.state,
      // A workspace being moved to another database takes no writes (src/middleware/moving-workspace.tsx).
      // Named apart from tenant_billing.state: a batch's rows are keyed by column name.
      shardState: sql<string | null>`${workspaceShards.state}`.as("shard_state"),
      // Where the workspace's records are (src/middleware/db.ts opens it): null is DB.
      shardName: sql<string | null>`${workspaceShards.shard}`.as("shard_name"),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .innerJoin(memberships, and(eq(memberships.tenantId, sessions.tenantId), eq(memberships.userId, sessions.userId)))
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, sessions.tenantId))
    .leftJoin(workspaceShards, eq(workspaceShards.tenantId, sessions.tenantId))
    .where(eq(sessions.id, id))
    .limit(1);
}

export type SessionRow = Awaited<ReturnType<typeof sessionRowQuery>>[number];

/**
 * Checks the row sessionRowQuery read against the token's secret (constant time) and the session's
 * lifetimes; deletes an expired session and moves the activity time at most hourly.
 */
export async function checkSessionRow(
  db: Database,
  token: { id: string; secret: string },
  row: SessionRow | undefined,
  now: number,
): Promise<ValidatedSession | null> {
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(token.secret), new Uint8Array(row.secretHash))) return null;

  if (now >= sessionExpiresAt(row)) {
    await db.delete(sessions).where(eq(sessions.id, token.id));
    return null;
  }

  let refreshedExpiresAt: number | null = null;
  if (now - row.lastActiveAt >= ACTIVITY_CHECK_INTERVAL_MS) {
    await db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, token.id));
    refreshedExpiresAt = sessionExpiresAt({ createdAt: row.createdAt, lastActiveAt: now });
  }

  return {
    auth: {
      sessionId: token.id,
      user: {
        id: row.userId,
        email: row.email,
        emailVerifiedAt: row.emailVerifiedAt,
        termsAcceptedAt: row.termsAcceptedAt,
        privacySeenVersion: row.privacySeenVersion,
        timeZone: row.timeZone,
        locale: row.locale,
      },
      tenant: {
        id: row.tenantId,
        name: row.tenantName,
        closedAt: row.closedAt,
        eraseAfter: row.eraseAfter,
        billingState: row.billingState ?? "free",
        moving: row.shardState === "moving",
        shard: row.shardName && isDatabaseName(row.shardName) ? row.shardName : "DB",
      },
      role: row.role as Role,
    },
    refreshedExpiresAt,
  };
}

/**
 * Checks a session token, the user and their membership in the session's tenant in one query, so
 * a revoked session or a removed member loses access on their very next request.
 */
export async function validateSessionToken(db: Database, token: string, now: number): Promise<ValidatedSession | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const [row] = await sessionRowQuery(db, parsed.id);
  return checkSessionRow(db, parsed, row, now);
}

/** Ends one session (logout). */
export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, optionally keeping one (used by password changes later). */
export async function deleteUserSessions(db: Database, userId: string, keepSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(
      keepSessionId
        ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${keepSessionId}`)
        : eq(sessions.userId, userId),
    );
}
