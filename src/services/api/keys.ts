/**
 * API keys of a workspace. A key is `ct_live_` and 32 random bytes (base64url): only its SHA-256 is
 * stored, so the table never holds a working key; the secret is shown once, when it is made. Keys
 * belong to the workspace: they keep working after the member who made them leaves.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, desc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { scoped, type TenantDb } from "../../db/scoped";
import { API_KEY_SCOPES, apiKeys, memberships, users, type ApiKeyScope } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditRow } from "../audit/audit";
import { newId } from "../../lib/ids";
import { parseForm, text, type ParseResult } from "../../lib/validation";
import { settingAudit } from "../audit/audit";
import { isoTime } from "../export/serialise";

/** What every key starts with: recognisable in a leaked file, and by secret scanners. */
export const API_KEY_PREFIX = "ct_live_";
/** `ct_live_` and 43 base64url characters (32 bytes); anything else is not looked up at all. */
export const API_KEY_SHAPE = /^ct_live_[A-Za-z0-9_-]{43}$/;
/** How much of a key the list shows: the prefix and four characters of the secret. */
const SHOWN_CHARACTERS = API_KEY_PREFIX.length + 4;
/** Expiry choices of the form, in days ("never" is none). */
export const API_KEY_EXPIRY_DAYS = ["never", "7", "30", "90", "365"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The SHA-256 (hex) a key is stored and found by. */
export function apiKeyHash(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** What the API keys page lists of a key: never its hash. */
export interface ApiKeyListed {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A key as the settings page lists it: with who made it while they are still a member (else null: a former member). */
export interface ApiKeyWithCreator extends ApiKeyListed {
  creator: { name: string | null; email: string } | null;
}

const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  scope: apiKeys.scope,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/**
 * The workspace's keys, newest first, revoked ones included (they show as revoked), each with its maker while they
 * are a member here: a key outlives its maker, and admins should see which keys a former member left working.
 */
export async function listApiKeys(t: TenantDb): Promise<ApiKeyWithCreator[]> {
  const rows = await t.db
    .select({ ...listed, creatorName: users.name, creatorEmail: users.email })
    .from(apiKeys)
    .leftJoin(memberships, and(eq(memberships.tenantId, apiKeys.tenantId), eq(memberships.userId, apiKeys.createdBy)))
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(t.where(apiKeys))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(({ creatorName, creatorEmail, ...key }) => ({
    ...key,
    creator: creatorEmail === null ? null : { name: creatorName, email: creatorEmail },
  }));
}

/** A key that still works at `now`: not revoked, not expired. */
const live = (now: number) => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));

/** How many working keys each member made, by user id (for the team page's removal and demotion forms). */
export async function liveKeyCountsByCreator(t: TenantDb, now: number): Promise<Map<string, number>> {
  const rows = await t.db
    .select({ userId: apiKeys.createdBy, n: sql<number>`count(*)` })
    .from(apiKeys)
    .where(t.where(apiKeys, live(now)))
    .groupBy(apiKeys.createdBy);
  return new Map(rows.flatMap((r) => (r.userId === null ? [] : [[r.userId, Number(r.n)] as const])));
}

/**
 * Statements revoking the working keys `userId` made, each with its audit entry, for the batch that removes or
 * demotes them; nothing is written unless `guard` holds when they run (the membership still as it was read).
 * The audit entries go first: they find the keys by the same condition before the update retires them.
 */
export function revokeKeysCreatedByStatements(t: TenantDb, actor: Actor, userId: string, guard: SQL): SQL[] {
  const row = auditRow({
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "api_key.revoked",
    targetType: "api_key",
    ...actor,
  }).values;
  return [
    sql`INSERT INTO audit_log (tenant_id, actor_user_id, action, target_type, target_label, detail, ip, user_agent, created_at)
      SELECT ${t.tenantId}, ${row.actorUserId}, ${row.action}, ${row.targetType}, k.name, json_object('key_id', k.id),
        ${row.ip}, ${row.userAgent}, ${row.createdAt}
      FROM api_keys k WHERE k.tenant_id = ${t.tenantId} AND k.created_by = ${userId} AND k.revoked_at IS NULL
        AND (k.expires_at IS NULL OR k.expires_at > ${actor.now}) AND ${guard}`,
    sql`UPDATE api_keys SET revoked_at = ${actor.now}
      WHERE tenant_id = ${t.tenantId} AND created_by = ${userId} AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > ${actor.now}) AND ${guard} RETURNING id`,
  ];
}

export interface ApiKeyInput {
  name: string;
  scope: ApiKeyScope;
  /** Days until it stops working, or null for never. */
  expiresInDays: number | null;
}

const keySchema = z.object({
  name: z.preprocess((v) => v ?? "", text("Name", { min: 1, max: 100 })),
  scope: z.enum(API_KEY_SCOPES, { error: "Choose read only or read and write." }),
  expires: z.enum(API_KEY_EXPIRY_DAYS, { error: "Choose when the key expires." }),
});

/** The Settings → API form (name, scope, expires), or its errors by field. */
export function parseApiKeyForm(body: Record<string, unknown>): ParseResult<ApiKeyInput> {
  const parsed = parseForm(keySchema, body);
  if (!parsed.ok) return parsed;
  const { name, scope, expires } = parsed.data;
  return { ok: true, data: { name, scope, expiresInDays: expires === "never" ? null : Number(expires) } };
}

/**
 * Makes a key and its audit entry in one batch; returns the key as listed and its secret, which
 * exists nowhere else from now on.
 */
export async function createApiKey(
  t: TenantDb,
  actor: Actor,
  input: ApiKeyInput,
): Promise<{ key: ApiKeyListed; secret: string }> {
  const secret = API_KEY_PREFIX + encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const id = newId();
  const expiresAt = input.expiresInDays === null ? null : actor.now + input.expiresInDays * DAY_MS;
  const [rows] = await t.db.batch([
    t
      .insert(apiKeys, {
        id,
        name: input.name,
        scope: input.scope,
        prefix: secret.slice(0, SHOWN_CHARACTERS),
        secretHash: apiKeyHash(secret),
        createdBy: actor.userId,
        createdAt: actor.now,
        expiresAt,
      })
      .returning(listed),
    // The entry names the key, never its secret.
    settingAudit(t, actor, "api_key.created", { label: input.name }, { scope: input.scope, expires_at: expiresAt }),
  ]);
  return { key: rows[0]!, secret };
}

/**
 * Revokes a key at once (the next request with it is refused). Null when it is not the workspace's;
 * a key already revoked stays as it was.
 */
export async function revokeApiKey(t: TenantDb, actor: Actor, id: string): Promise<ApiKeyListed | null> {
  const [key] = await t.db
    .select(listed)
    .from(apiKeys)
    .where(t.where(apiKeys, eq(apiKeys.id, id)))
    .limit(1);
  if (!key) return null;
  if (key.revokedAt !== null) return key;
  await t.db.batch([
    t.update(apiKeys, { revokedAt: actor.now }, eq(apiKeys.id, id), isNull(apiKeys.revokedAt)),
    auditRevoke(t, actor, key),
  ]);
  return { ...key, revokedAt: actor.now };
}

function auditRevoke(t: TenantDb, actor: Actor, key: ApiKeyListed) {
  return settingAudit(t, actor, "api_key.revoked", { label: key.name }, { key_id: key.id });
}

const time = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** What the personal data export holds of the workspace's keys: names and dates, never a secret or its hash. */
export async function apiKeysForExport(t: TenantDb) {
  // Keys are on the control database wherever the workspace's records are.
  const rows = await listApiKeys(t.db === t.control ? t : scoped(t.control, t.tenantId));
  return rows.map((k) => ({
    name: k.name,
    created_at: isoTime(k.createdAt),
    expires_at: time(k.expiresAt),
    last_used_at: time(k.lastUsedAt),
    revoked_at: time(k.revokedAt),
  }));
}
