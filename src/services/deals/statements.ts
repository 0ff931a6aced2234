/**
 * The statements every deal write shares, each reading the deal row INSIDE the batch: a deal's share
 * of deal_stage_totals goes out before the row changes and comes back in after, so the totals follow
 * whatever the row is when the batch runs (two moves at once each see the other's result).
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { KeyActor } from "../../lib/actor";

/** The id of the deal a create batch has just inserted: AUTOINCREMENT's counter, exact as a batch runs alone. */
export const NEW_DEAL_ID = sql`(SELECT seq FROM sqlite_sequence WHERE name = 'deals')`;

/** Takes the deal's amount out of its stage and currency total, if it is open. */
export function totalsOut(t: TenantDb, dealId: number | SQL, extra: SQL = sql`1`): SQL {
  return sql`UPDATE deal_stage_totals
    SET deals = deals - 1,
      amount_minor = amount_minor - (SELECT d.amount_minor FROM deals d
        WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId})
    WHERE tenant_id = ${t.tenantId} AND (stage_id, currency) IN (SELECT d.stage_id, d.currency FROM deals d
      WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND d.status = 'open' AND ${extra})`;
}

/** Adds the deal's amount to its stage and currency total, if it is open. */
export function totalsIn(t: TenantDb, dealId: number | SQL, extra: SQL = sql`1`): SQL {
  return sql`INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
    SELECT d.tenant_id, d.stage_id, d.currency, 1, d.amount_minor FROM deals d
    WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND d.status = 'open' AND ${extra}
    ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
      SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor`;
}

/** Ends the deal's current span in deal_stage_history when `when` (a condition on `d`) holds. */
export function historyClose(t: TenantDb, dealId: number | SQL, now: number, when: SQL = sql`1`): SQL {
  return sql`UPDATE deal_stage_history SET left_at = ${now}
    WHERE tenant_id = ${t.tenantId} AND deal_id = ${dealId} AND left_at IS NULL
      AND EXISTS (SELECT 1 FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${when})`;
}

/** Opens a span for where the deal is now (run after the row changed). */
export function historyOpen(
  t: TenantDb,
  dealId: number | SQL,
  actorId: string | null,
  now: number,
  when: SQL = sql`1`,
): SQL {
  return sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, actor_id)
    SELECT d.tenant_id, d.id, d.pipeline_id, d.stage_id, d.status, ${now}, ${actorId} FROM deals d
    WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${when}`;
}

/** A timeline entry on the deal, written only when `when` (a condition on `d`) holds; `detail` may read `d`. */
export function dealActivity(
  t: TenantDb,
  dealId: number | SQL,
  e: { actorId: string | null; kind: string; detail: SQL | string | null; now: number; when?: SQL },
): SQL {
  return sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
    SELECT d.tenant_id, 'deal', d.id, ${e.actorId}, ${e.kind}, ${e.detail}, ${e.now} FROM deals d
    WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${e.when ?? sql`1`}`;
}

/** The audit entry of a deal write, naming the deal by id only; written only if the deal row matches. */
export function dealAudit(
  t: TenantDb,
  dealId: number | SQL,
  actor: KeyActor,
  action: string,
  detail: Record<string, string | number | boolean | null> | null = null,
  when: SQL = sql`1`,
): SQL {
  return sql`INSERT INTO audit_log (tenant_id, actor_user_id, action, target_type, target_id, target_label, detail,
      ip, user_agent, created_at)
    SELECT d.tenant_id, ${actor.userId}, ${action}, 'deal', CAST(d.id AS TEXT), 'Deal #' || d.id,
      ${detail ? JSON.stringify(detail) : null}, ${actor.ip}, ${actor.userAgent?.slice(0, 512) ?? null}, ${actor.now}
    FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${when}`;
}

/** Adds `delta` to tenant_counters.deals (the row exists from sign-up on; created if not). */
export function dealCounter(t: TenantDb, delta: number | SQL): SQL {
  return sql`INSERT INTO tenant_counters (tenant_id, deals) VALUES (${t.tenantId}, max(0, ${delta}))
    ON CONFLICT (tenant_id) DO UPDATE SET deals = max(0, deals + ${delta})`;
}

/** Today's calendar date (UTC) as 'YYYY-MM-DD'. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether `v` is a real calendar date written 'YYYY-MM-DD' ("2027-02-31" is not). */
export function isRealDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.toISOString().slice(0, 10) === v;
}
