/**
 * A workspace's suppression list: the people it erased on request and chose to keep out, so a later
 * import skips them. Only a keyed hash of each email address is stored, never the address:
 *
 *   normalised = the address trimmed and lower-cased (as contacts store it)
 *   hash       = base64url(HMAC-SHA256(SUPPRESSION_KEY, "suppression/v1\n" + normalised))
 *
 * Keyed, so the list cannot be checked against a guessed address by someone who has only the
 * database. The key must stay the same: entries hashed under another key no longer match (they are
 * harmless, but suppress nothing). Without a key nothing can be suppressed, and the erase form says so.
 */
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { suppressions } from "../../db/schema";

/** The form of an address that is hashed: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** The stored hashes of these addresses under `secret`, in the same order. */
export async function suppressionHashes(secret: string, emails: string[]): Promise<string[]> {
  const key = await hmacKey(secret);
  return Promise.all(
    emails.map(async (e) =>
      encodeBase64urlNoPadding(
        new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`suppression/v1\n${normaliseEmail(e)}`))),
      ),
    ),
  );
}

/**
 * Which of `emails` are on the tenant's suppression list, as their normalised addresses. One query
 * whatever the number of addresses. Without a key, none (nothing can have been suppressed with it).
 */
export async function suppressedEmails(
  db: Database,
  tenantId: string,
  key: string | null | undefined,
  emails: string[],
): Promise<Set<string>> {
  const distinct = [...new Set(emails.map(normaliseEmail).filter(Boolean))];
  if (!key || distinct.length === 0) return new Set();
  const hashes = await suppressionHashes(key, distinct);
  const rows = await db.all<{ email_hash: string }>(
    sql`SELECT email_hash FROM suppressions
        WHERE tenant_id = ${tenantId} AND email_hash IN (SELECT value FROM json_each(${JSON.stringify(hashes)}))`,
  );
  const found = new Set(rows.map((r) => r.email_hash));
  return new Set(distinct.filter((_, i) => found.has(hashes[i]!)));
}

/** Inserts for a batch: these addresses' hashes onto the tenant's list (already there: kept as is). */
export async function suppressStatements(db: Database, tenantId: string, key: string, emails: string[], now: number) {
  const distinct = [...new Set(emails.map(normaliseEmail).filter(Boolean))];
  if (distinct.length === 0) return [];
  const hashes = await suppressionHashes(key, distinct);
  return [
    db
      .insert(suppressions)
      .select(sql`SELECT ${tenantId}, value, ${now} FROM json_each(${JSON.stringify(hashes)}) WHERE true`)
      .onConflictDoNothing(),
  ];
}

/** How many entries the tenant's list has. */
export async function countSuppressions(t: TenantDb): Promise<number> {
  const [row] = await t.db.select({ n: sql<number>`count(*)` }).from(suppressions).where(t.where(suppressions));
  return row?.n ?? 0;
}

/** Takes an address off the tenant's list (the person asked to be kept again). False when it was not on it. */
export async function unsuppressEmail(t: TenantDb, key: string, email: string): Promise<boolean> {
  const [hash] = await suppressionHashes(key, [email]);
  const gone = await t.delete(suppressions, eq(suppressions.emailHash, hash!)).returning({ h: suppressions.emailHash });
  return gone.length > 0;
}
