/**
 * The API's rate limits: requests per key and per workspace in fixed one-minute windows, counted in D1's
 * rate_limits (global, unlike the Rate Limiting binding, which counts per location) by two upserts that ride
 * in the key check's batch, so counting costs no round trip of its own. Each upsert selects the key row
 * itself: an unknown, revoked or expired key counts nothing.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { LIMITS, limitKey, type Limit } from "../../auth/rate-limit";

/** Where a request stands against one limit, for the RateLimit headers and a 429. */
export interface LimitState {
  policy: string;
  max: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
  /** This request is past the limit: answer 429. */
  exceeded: boolean;
}

/** The counter key of a workspace: its id is no personal data, and the key check knows it only inside SQL. */
const workspaceCounter = sql`'api-workspace:' || k.tenant_id`;

/** The two counting upserts for the batch of the key whose secret hashes to `hash` (`usable`: its validity). */
export function rateLimitStatements(db: Database, hash: string, usable: SQL, now: number) {
  const count = (limit: Limit, counterKey: SQL) => {
    const expired = now - limit.windowMs;
    return db
      .insert(rateLimits)
      .select(
        sql`SELECT ${counterKey}, ${now}, 1 FROM api_keys k
          /* all tenants: a key is found by its hash before its workspace is known */
          WHERE k.secret_hash = ${hash} AND ${usable}`,
      )
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
          windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN ${now} ELSE ${rateLimits.windowStart} END`,
        },
      })
      .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  };
  return [
    count(LIMITS.apiPerKey, sql`${limitKey(LIMITS.apiPerKey, hash)}`),
    count(LIMITS.apiPerWorkspace, workspaceCounter),
  ] as const;
}

/** The states of both limits from what the upserts returned. */
export function limitStates(
  rows: [{ count: number; windowStart: number }[], { count: number; windowStart: number }[]],
  now: number,
): LimitState[] {
  return [
    ["per-key", LIMITS.apiPerKey, rows[0][0]],
    ["per-workspace", LIMITS.apiPerWorkspace, rows[1][0]],
  ].flatMap(([policy, limit, row]) => {
    const l = limit as Limit;
    const r = row as { count: number; windowStart: number } | undefined;
    if (!r) return [];
    return [
      {
        policy: policy as string,
        max: l.max,
        windowSeconds: l.windowMs / 1000,
        remaining: Math.max(0, l.max - r.count),
        resetSeconds: Math.max(1, Math.ceil((r.windowStart + l.windowMs - now) / 1000)),
        exceeded: r.count > l.max,
      },
    ];
  });
}
