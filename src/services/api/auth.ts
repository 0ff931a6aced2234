/**
 * Checking an API request's key. One D1 batch does all of it in one round trip: the lookup by the
 * secret's hash (its unique index; nothing compared in code that could leak timing), the audit entry of
 * the use (the key's name, never the secret) and the key's last-used time, written at most once a
 * minute. The two writes select the key row themselves, so a revoked or expired key writes nothing.
 */
import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { apiKeys, auditLog, tenants, type ApiKeyScope } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { API_KEY_SHAPE, apiKeyHash } from "./keys";
import { limitStates, rateLimitStatements, type LimitState } from "./rate-limits";

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
}

export type ApiAuthResult =
  | { ok: true; caller: ApiCaller }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" | "expired" | "workspace_closed" };

/** The bearer token of an Authorization header, or null when there is none of that scheme. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

/** Checks `token`; a valid key's use is audited (method and path, no query string: a search can name a person). */
export async function authenticateApiKey(
  db: Database,
  token: string | null,
  use: RequestMeta & { method: string; path: string },
): Promise<ApiAuthResult> {
  if (token === null) return { ok: false, reason: "missing" };
  if (!API_KEY_SHAPE.test(token)) return { ok: false, reason: "malformed" };
  const hash = apiKeyHash(token);
  const { now } = use;
  const usable = and(
    eq(apiKeys.secretHash, hash),
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
  );
  // The same condition in the text of the statements that select the key row as `k`.
  const usableSql = sql`k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ${now})`;
  const [countPerKey, countPerWorkspace] = rateLimitStatements(db, hash, usableSql, now);
  const detail = JSON.stringify({ method: use.method, path: use.path.slice(0, 200) });
  const [rows, , , perKey, perWorkspace] = await db.batch([
    db
      .select({
        id: apiKeys.id,
        tenantId: apiKeys.tenantId,
        name: apiKeys.name,
        scope: apiKeys.scope,
        createdBy: apiKeys.createdBy,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
        closedAt: tenants.closedAt,
      })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .where(eq(apiKeys.secretHash, hash))
      .limit(1),
    // Columns in table order; the id is a new one.
    db.insert(auditLog).select(
      sql`SELECT NULL, k.tenant_id, NULL, 'api_key.used', 'api_key', k.id, k.name, ${detail},
        ${use.ip}, ${use.userAgent?.slice(0, 512) ?? null}, ${now}
        FROM api_keys k /* all tenants: a key is found by its hash before its workspace is known */
        WHERE k.secret_hash = ${hash} AND ${usableSql}`,
    ),
    db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(usable, or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, now - LAST_USED_INTERVAL_MS)))),
    countPerKey,
    countPerWorkspace,
  ]);
  const key = rows[0];
  if (!key) return { ok: false, reason: "unknown" };
  if (key.revokedAt !== null) return { ok: false, reason: "revoked" };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, reason: "expired" };
  if (key.closedAt !== null) return { ok: false, reason: "workspace_closed" };
  return {
    ok: true,
    caller: {
      keyId: key.id,
      keyName: key.name,
      tenantId: key.tenantId,
      scope: key.scope,
      createdBy: key.createdBy,
      limits: limitStates([perKey, perWorkspace], now),
    },
  };
}
