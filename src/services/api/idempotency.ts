/**
 * Idempotency-Key for the API's POSTs: the first answer to a key's request, kept 24 h and replayed to a retry.
 * A request claims its key before it runs (a row 'in_progress', one upsert in one batch with the read of the
 * row as it then is), so two requests at once under one key cannot both run; the answer completes the row.
 * The claim's created_at is its token: a completion or release touches only the claim it made, so a request
 * whose claim was taken over (it ran past IN_FLIGHT_TAKEOVER_MS, its worker presumably gone) changes nothing.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { RETENTION } from "../../lib/legal";
import { apiIdempotency } from "../../db/schema";

/** How long an answer is replayed; the retention job deletes rows older than this. */
export const IDEMPOTENCY_WINDOW_MS = RETENTION.apiAnswerHours * 60 * 60 * 1000;
/** A claim still in progress after this long is taken to have crashed, and a retry may take it over. */
export const IN_FLIGHT_TAKEOVER_MS = 60 * 1000;
/** The longest Idempotency-Key accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A stored answer: status, the headers worth replaying, and the body as sent. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ClaimResult =
  | { kind: "claimed"; token: number }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "reused" }
  | { kind: "in_flight" };

/** Whether `key` is usable: 1 to 255 visible ASCII characters (it travels in a header and is compared exactly). */
export function validIdempotencyKey(key: string): boolean {
  return key.length >= 1 && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH && /^[\x21-\x7e]+$/.test(key);
}

/** The SHA-256 (hex) of a request: method, path with query, body. */
export function requestHash(method: string, path: string, body: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${method}\n${path}\n${body}`)));
}

/**
 * Claims `key` for a request of `hash` at `now`: a new key, one whose row is past the window, or the same
 * request's claim that crashed is ours; otherwise the stored answer (same request), or why not.
 */
export async function claimIdempotencyKey(
  t: TenantDb,
  keyId: string,
  key: string,
  hash: string,
  now: number,
): Promise<ClaimResult> {
  const row = and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, key));
  const fresh = { requestHash: hash, state: "in_progress" as const, status: null, createdAt: now };
  const [claimed, current] = await t.db.batch([
    t
      .insert(apiIdempotency, { keyId, idempotencyKey: key, ...fresh })
      .onConflictDoUpdate({
        target: [apiIdempotency.tenantId, apiIdempotency.keyId, apiIdempotency.idempotencyKey],
        set: { ...fresh, responseHeaders: null, responseBody: null },
        setWhere: or(
          lt(apiIdempotency.createdAt, now - IDEMPOTENCY_WINDOW_MS),
          and(
            eq(apiIdempotency.state, "in_progress"),
            eq(apiIdempotency.requestHash, hash),
            lt(apiIdempotency.createdAt, now - IN_FLIGHT_TAKEOVER_MS),
          ),
        ),
      })
      .returning({ createdAt: apiIdempotency.createdAt }),
    t.db.select().from(apiIdempotency).where(t.where(apiIdempotency, row)).limit(1),
  ]);
  if (claimed.length > 0) return { kind: "claimed", token: now };
  const stored = current[0];
  // The batch is one transaction, so the row is there unless the upsert made it; kept as a guard.
  if (!stored) return { kind: "in_flight" };
  if (stored.requestHash !== hash) return { kind: "reused" };
  if (stored.state !== "done" || stored.status === null) return { kind: "in_flight" };
  return {
    kind: "replay",
    answer: {
      status: stored.status,
      headers: JSON.parse(stored.responseHeaders ?? "{}") as Record<string, string>,
      body: stored.responseBody ?? "",
    },
  };
}

const ours = (keyId: string, key: string, token: number) =>
  and(
    eq(apiIdempotency.keyId, keyId),
    eq(apiIdempotency.idempotencyKey, key),
    eq(apiIdempotency.state, "in_progress"),
    eq(apiIdempotency.createdAt, token),
  );

/** Stores the answer of the claim made at `token`. */
export async function completeIdempotencyKey(
  t: TenantDb,
  keyId: string,
  key: string,
  token: number,
  answer: StoredAnswer,
): Promise<void> {
  await t.update(
    apiIdempotency,
    {
      state: "done",
      status: answer.status,
      responseHeaders: JSON.stringify(answer.headers),
      responseBody: answer.body,
    },
    ours(keyId, key, token),
  );
}

/** Drops the claim made at `token` (the request failed on our side: a retry runs it afresh). */
export async function releaseIdempotencyKey(t: TenantDb, keyId: string, key: string, token: number): Promise<void> {
  await t.delete(apiIdempotency, ours(keyId, key, token));
}

/**
 * Deletes the workspace's kept answers that may carry these contacts (any record of theirs by id in the body),
 * for an erasure: a retry of those requests then runs afresh. Over-matching another record of the same id
 * costs only that.
 */
export function erasedFromApiAnswers(t: TenantDb, contactIds: number[]): SQL {
  return sql`DELETE FROM api_idempotency WHERE tenant_id = ${t.tenantId} AND EXISTS (
    SELECT 1 FROM json_each(${JSON.stringify(contactIds)}) j
    WHERE response_body LIKE '%"id":' || j.value || ',%' OR response_body LIKE '%"id":' || j.value || '}%')`;
}

/**
 * Deletes every answer the workspace's keys had kept, on its records' database: a closed workspace's keys are
 * refused, and the answers copy records. (On DB the closure's own batch has done it.)
 */
export async function forgetKeptAnswers(t: TenantDb): Promise<void> {
  await t.delete(apiIdempotency);
}
