/**
 * The API's rate limits: requests per key and per workspace in fixed one-minute windows, counted in D1's
 * rate_limits (global, unlike the Rate Limiting binding, which counts per location) by two upserts that ride
 * in the key check's batch, so counting costs no round trip of its own. Each upsert selects the key row
 * itself: an unknown, revoked or expired key counts nothing.
 */
import type { Database } from "../../db/client";
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

/**
 * The key row `k` can still be used at ?2 (its hash is ?1), in a workspace not closed: the condition of every
 * write of the key check, so a refused request is neither audited nor counted.
 */
export const USABLE_KEY = `k.secret_hash = ?1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?2)
  AND (SELECT closed_at FROM tenants WHERE id = k.tenant_id) IS NULL`;

/** One limit's counting upsert: ?1 the key's hash, ?2 now, ?3 the counter, ?4 where an expired window ends. */
const COUNT = `INSERT INTO rate_limits (key, window_start, count)
  SELECT ?3, ?2, 1 FROM api_keys k /* all tenants: a key is found by its hash before its workspace is known */
  WHERE ${USABLE_KEY}
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN window_start <= ?4 THEN 1 ELSE count + 1 END,
    window_start = CASE WHEN window_start <= ?4 THEN ?2 ELSE window_start END
  RETURNING count, window_start`;
/**
 * The same for the key's workspace: its id is no personal data, and only the statement knows it. A request its
 * key's own limit already refused (the per-key counter, ?5, past its max, ?6, just above in the batch) is not
 * counted: one key looping past its limit must not use up its workspace's, refusing the other keys.
 */
const COUNT_WORKSPACE = COUNT.replace("SELECT ?3,", "SELECT 'api-workspace:' || k.tenant_id,").replace(
  `WHERE ${USABLE_KEY}`,
  `WHERE ${USABLE_KEY} AND (SELECT count FROM rate_limits WHERE key = ?5) <= ?6`,
);

/** The two counting upserts for the batch of the key whose secret hashes to `hash`. */
export function rateLimitStatements(d1: Database["$client"], hash: string, now: number) {
  return [
    d1.prepare(COUNT).bind(hash, now, limitKey(LIMITS.apiPerKey, hash), now - LIMITS.apiPerKey.windowMs),
    d1
      .prepare(COUNT_WORKSPACE)
      .bind(
        hash,
        now,
        null,
        now - LIMITS.apiPerWorkspace.windowMs,
        limitKey(LIMITS.apiPerKey, hash),
        LIMITS.apiPerKey.max,
      ),
  ] as const;
}

/** The states of both limits from what the upserts returned. */
export function limitStates(
  rows: [{ count: number; window_start: number }[], { count: number; window_start: number }[]],
  now: number,
): LimitState[] {
  return [
    ["per-key", LIMITS.apiPerKey, rows[0][0]],
    ["per-workspace", LIMITS.apiPerWorkspace, rows[1][0]],
  ].flatMap(([policy, limit, row]) => {
    const l = limit as Limit;
    const r = row as { count: number; window_start: number } | undefined;
    if (!r) return [];
    return [
      {
        policy: policy as string,
        max: l.max,
        windowSeconds: l.windowMs / 1000,
        remaining: Math.max(0, l.max - r.count),
        resetSeconds: Math.max(1, Math.ceil((r.window_start + l.windowMs - now) / 1000)),
        exceeded: r.count > l.max,
      },
    ];
  });
}
