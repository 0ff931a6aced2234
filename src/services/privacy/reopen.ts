/**
 * Reopening a closed workspace from the emailed link, until erase_after: one conditional update
 * clears the lock and the link, so a link works once; billing stays on Free (the subscription ended
 * with the Stripe customer). After erase_after the link answers "no longer works".
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { closedTenantLedger, tenants } from "../../db/schema";
import { hashToken } from "../../auth/tokens";
import type { RequestMeta } from "../../lib/actor";
import { auditInsert } from "../audit/audit";
import { markPeopleStale } from "../shards/mirror";

export interface ReopenableWorkspace {
  tenantId: string;
  name: string;
  eraseAfter: number;
  /** The workspace's zone and locale: the reopen page names the cut-off in them (nobody is signed in). */
  timeZone: string;
  locale: string;
}

/** The closed workspace a reopen link stands for, while the link still works; null otherwise. */
export async function findReopenable(t: TenantDb, token: string, now: number): Promise<ReopenableWorkspace | null> {
  const { tenantId } = t;
  if (token.length < 10 || token.length > 100 || tenantId.length > 100) return null;
  const [row] = await t.db
    .select({
      name: tenants.name,
      eraseAfter: tenants.eraseAfter,
      hash: tenants.reopenTokenHash,
      timeZone: tenants.timeZone,
      locale: tenants.locale,
    })
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), isNull(tenants.erasingAt), gt(tenants.eraseAfter, now)))
    .limit(1);
  if (!row?.hash || row.eraseAfter === null) return null;
  const enc = new TextEncoder();
  const given = enc.encode(hashToken(token));
  const stored = enc.encode(row.hash);
  if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
  return { tenantId, name: row.name, eraseAfter: row.eraseAfter, timeZone: row.timeZone, locale: row.locale };
}

/**
 * Reopens the workspace if the link is live: one conditional update clears the lock and the link
 * (so a second use finds nothing), then the ledger row goes and the audit entry is written.
 */
export async function reopenWorkspace(
  t: TenantDb,
  token: string,
  meta: RequestMeta,
): Promise<{ ok: true; name: string } | { ok: false }> {
  const { db, tenantId } = t;
  if (!(await findReopenable(t, token, meta.now))) return { ok: false };
  // The shard's copy of the tenants row must learn it (the caller copies it; the mark is for a worker gone first).
  const [[reopened]] = await db.batch([
    db
      .update(tenants)
      .set({ closedAt: null, eraseAfter: null, reopenTokenHash: null, eraseStep: 0, updatedAt: meta.now })
      .where(
        and(
          eq(tenants.id, tenantId),
          eq(tenants.reopenTokenHash, hashToken(token)),
          isNull(tenants.erasingAt),
          gt(tenants.eraseAfter, meta.now),
        ),
      )
      .returning({ name: tenants.name }),
    markPeopleStale(db, tenantId, meta.now),
  ]);
  if (!reopened) return { ok: false };
  await db.batch([
    t.delete(closedTenantLedger, isNull(closedTenantLedger.erasedAt)),
    auditInsert(db, {
      tenantId,
      actorUserId: null,
      action: "workspace.reopened",
      targetType: "tenant",
      targetId: tenantId,
      ...meta,
    }),
  ]);
  return { ok: true, name: reopened.name };
}
