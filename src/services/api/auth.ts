/**
 * Checking an API request's key. One D1 batch does all of it in one round trip (for a read by a key this
 * isolate knows, the route's first batch): the lookup by the
 * secret's hash (its unique index; nothing compared in code that could leak timing), the audit entry of
 * the use (the key's name, never the secret), the key's last-used time (written at most once a minute) and
 * the rate counters (src/services/api/rate-limits.ts). The writes select the key row themselves, so a
 * revoked or expired key writes nothing. Fixed statement texts with bound values: every API request runs
 * them, and building them with the query builder cost more CPU than the rest of the check.
 */
import type { Database } from "../../db/client";
import type { ApiKeyScope } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { type DatabaseName, isDatabaseName } from "../shards/databases";
import { API_KEY_SHAPE, apiKeyHash } from "./keys";
import { limitStates, rateLimitStatements, USABLE_KEY, type LimitState } from "./rate-limits";

/** last_used_at moves at most this often: one write a minute per key, not one per request. */
export const LAST_USED_INTERVAL_MS = 60 * 1000;

/** The key a request authenticated with. */
export interface ApiCaller {
  keyId: string;
  keyName: string;
  tenantId: string;
  scope: ApiKeyScope;
  /** The member who made the key while their account exists: changes are attributed to them. */
  createdBy: string | null;
  /** Where this request stands against the per-key and per-workspace limits (src/services/api/rate-limits.ts). */
  limits: LimitState[];
  /** The workspace is being moved to another database: its writes are frozen (src/services/shards/phases.ts). */
  moving?: boolean;
  /** The database holding the workspace's records (the directory's entry; DB without one). */
  shard: DatabaseName;
}

export type ApiAuthResult =
  | { ok: true; caller: ApiCaller }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" | "expired" | "workspace_closed" };

/** The bearer token of an Authorization header, or null when there is none of that scheme. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

const LOOKUP = `SELECT k.id, k.tenant_id, k.name, k.scope, k.created_by, k.expires_at, k.revoked_at, t.closed_at,
    (SELECT s.state FROM workspace_shards s WHERE s.tenant_id = k.tenant_id) AS shard_state,
    (SELECT s.shard FROM workspace_shards s WHERE s.tenant_id = k.tenant_id) AS shard_name
  FROM api_keys k /* all tenants: a key is found by its hash before its workspace is known */
  JOIN tenants t ON t.id = k.tenant_id WHERE k.secret_hash = ?1 LIMIT 1`;
const AUDIT = `INSERT INTO audit_log (tenant_id, actor_user_id, action, target_type, target_id, target_label, detail,
    ip, user_agent, created_at)
  SELECT k.tenant_id, NULL, 'api_key.used', 'api_key', k.id, k.name, ?3, ?4, ?5, ?2
  FROM api_keys k /* all tenants: a key is found by its hash before its workspace is known */
  WHERE ${USABLE_KEY}`;
const LAST_USED = `UPDATE api_keys AS k SET last_used_at = ?2 /* all tenants: a key is found by its hash */
  WHERE ${USABLE_KEY} AND (k.last_used_at IS NULL OR k.last_used_at <= ?3)`;

interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  scope: ApiKeyScope;
  created_by: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  closed_at: number | null;
  shard_state: string | null;
  shard_name: string | null;
}

/** A key request's use: where it comes from, and what it asks for (method and path, no query string). */
export type KeyUse = RequestMeta & { method: string; path: string };

/**
 * The key check's statements for the key whose secret hashes to `hash`: the lookup, the audit entry, the
 * last-used time and the two rate counters. Sent in a batch of their own, or in front of a read's first query
 * (src/db/piggyback.ts); the writes select the key row themselves, so an unusable key writes nothing.
 */
export function keyCheckStatements(d1: Database["$client"], hash: string, use: KeyUse): D1PreparedStatement[] {
  const { now } = use;
  const detail = JSON.stringify({ method: use.method, path: use.path.slice(0, 200) });
  return [
    d1.prepare(LOOKUP).bind(hash),
    d1.prepare(AUDIT).bind(hash, now, detail, use.ip, use.userAgent?.slice(0, 512) ?? null),
    d1.prepare(LAST_USED).bind(hash, now, now - LAST_USED_INTERVAL_MS),
    ...rateLimitStatements(d1, hash, now),
  ];
}

/** What the key check's results say. */
export function keyCheckOutcome(results: D1Result[], now: number): ApiAuthResult {
  const [lookup, , , perKey, perWorkspace] = results;
  const key = (lookup!.results as KeyRow[])[0];
  if (!key) return { ok: false, reason: "unknown" };
  if (key.revoked_at !== null) return { ok: false, reason: "revoked" };
  if (key.expires_at !== null && key.expires_at <= now) return { ok: false, reason: "expired" };
  if (key.closed_at !== null) return { ok: false, reason: "workspace_closed" };
  const counts = (r: D1Result | undefined) => (r?.results ?? []) as { count: number; window_start: number }[];
  return {
    ok: true,
    caller: {
      keyId: key.id,
      keyName: key.name,
      tenantId: key.tenant_id,
      scope: key.scope,
      createdBy: key.created_by,
      limits: limitStates([counts(perKey), counts(perWorkspace)], now),
      moving: key.shard_state === "moving",
      shard: key.shard_name && isDatabaseName(key.shard_name) ? key.shard_name : "DB",
    },
  };
}

/** The hash of `token`, or why it is refused before any lookup. */
export function keyHashOf(token: string | null): { hash: string } | { reason: "missing" | "malformed" } {
  if (token === null) return { reason: "missing" };
  if (!API_KEY_SHAPE.test(token)) return { reason: "malformed" };
  return { hash: apiKeyHash(token) };
}

/**
 * The keys this isolate has seen pass, by hash: the workspace a key belongs to never changes, so a read by a
 * known key can query its workspace before the check's answer arrives, in the same batch (src/routes/api/guard.ts).
 * Whether the key may still be used is never remembered: every request checks it in D1.
 */
const knownKeys = new Map<string, Omit<ApiCaller, "limits">>();
const KNOWN_KEYS_MAX = 1000;

/** The caller a known key was last time (its limits to come from this request's check), or undefined. */
export function knownKey(hash: string): ApiCaller | undefined {
  const known = knownKeys.get(hash);
  return known && { ...known, limits: [] };
}

/** Remembers a key that passed (forgets one that did not). */
export function rememberKey(hash: string, result: ApiAuthResult): void {
  knownKeys.delete(hash);
  if (!result.ok) return;
  if (knownKeys.size >= KNOWN_KEYS_MAX) knownKeys.delete(knownKeys.keys().next().value!);
  const { limits: _, moving: __, ...identity } = result.caller;
  knownKeys.set(hash, identity);
}
