/**
 * Undoing a page of a deals import (undo.ts hands it over): created deals are deleted unless edited
 * or worked on since (later-work.ts), matched deals get back the amount, stage, close date and status
 * the import replaced unless someone changed that field since, or (the stage) it was removed since.
 * One batch, as every deal write: each deal's share of deal_stage_totals out before and in after (read
 * inside the batch), tenant_counters.deals, the stage spans the import closed and opened put back, the
 * import's timeline entries removed.
 */
import { deleteTasksOfStatements } from "../tasks/statements";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { deleteNotesOfStatements } from "../records/notes";
import { dealCounter } from "../deals/statements";
import { webhookEventSql } from "../webhooks/events";
import { dealData } from "../webhooks/payloads";
import { dealUpdateEvents } from "./chunk-deals-sql";
import { type LaterWork, laterWorkColumns, laterWorkReason } from "./later-work";
import { type DealFields, totalsInto, totalsOutOf } from "./plan-deals-sql";

const json = (v: unknown) => JSON.stringify(v);

interface DealHistory {
  entity_id: number;
  action: "created" | "updated";
  before: string | null;
  after: string | null;
  written_at: number;
}

interface CurrentDeal extends DealFields, LaterWork {
  id: number;
  name: string;
  pipelineId: number;
  updatedAt: number;
  lastActivityAt: number;
}

const LABELS: Record<keyof DealFields, string> = {
  companyId: "company",
  amountMinor: "amount",
  currency: "currency",
  stageId: "stage",
  status: "status",
  lostReason: "lost reason",
  closeDate: "close date",
  closeKey: "close date",
  closedOn: "closed on",
};

/** Why a deal keeps the stage the import gave it: the one it had before is gone. */
const STAGE_GONE = "stage (the stage it was in before the import was removed)";

interface DealRestore {
  id: number;
  set: Partial<DealFields> & { updatedAt?: number; lastActivityAt?: number };
  /** The restored fields' values as the undo finds them: its events' previous stage (dealUpdateEvents). */
  before: Partial<DealFields>;
  /** When the import first and last changed the deal (two chunks of one file may both have). */
  firstAt: number;
  writtenAt: number;
  /** "restore": the import's span goes and the one it closed reopens; "move": a new span, as a move. */
  spans: "restore" | "move" | null;
  whole: boolean;
  changes: Record<string, [unknown, unknown]>;
}

/** What a deals undo page writes, and the deals it keeps (with why). */
export async function dealUndoPage(
  t: TenantDb,
  importId: string,
  actorId: string | null,
  page: DealHistory[],
  now: number,
): Promise<{ statements: SQLWrapper[]; kept: { id: number; name: string; fields: string[] }[] }> {
  const befores = page.map((h) => JSON.parse(h.before ?? "{}") as Partial<DealFields> & { firstWrittenAt?: number });
  const stageIdsBefore = befores.map((b) => b.stageId ?? null);
  // Since when each deal's spans are the import's: a created deal's all, an updated one's from its first change.
  const since = page.map((h, i) => ({
    id: h.entity_id,
    at: h.action === "created" ? 0 : (befores[i]!.firstWrittenAt ?? h.written_at),
  }));
  const [rows, stages, visited] = await Promise.all([
    t.db.all<CurrentDeal>(sql`
      SELECT d.id, d.name, d.pipeline_id AS pipelineId, d.company_id AS companyId, d.amount_minor AS amountMinor,
        d.currency, d.stage_id AS stageId, d.status, d.lost_reason AS lostReason, d.close_date AS closeDate,
        d.close_key AS closeKey, d.closed_on AS closedOn, d.updated_at AS updatedAt,
        d.last_activity_at AS lastActivityAt, ${laterWorkColumns(t.tenantId, "deal", "d")}
      FROM json_each(${json(page.map((h) => h.entity_id))}) j
      CROSS JOIN deals d ON d.id = j.value AND d.tenant_id = ${t.tenantId}`),
    t.db.all<{ id: number; pipelineId: number }>(sql`
      SELECT id, pipeline_id AS pipelineId FROM pipeline_stages WHERE tenant_id = ${t.tenantId}
        AND id IN (SELECT value FROM json_each(${json(stageIdsBefore.filter((id) => id !== null))}))`),
    // The stages the import moved them through: their totals rows, left empty, go too.
    t.db.all<{ stageId: number }>(sql`
      SELECT DISTINCT h.stage_id AS stageId FROM json_each(${json(since)}) j CROSS JOIN deal_stage_history h
        ON h.tenant_id = ${t.tenantId} AND h.deal_id = j.value ->> 'id' AND h.entered_at >= j.value ->> 'at'`),
  ]);
  const current = new Map(rows.map((r) => [r.id, r]));
  const stagePipeline = new Map(stages.map((s) => [s.id, s.pipelineId]));
  const kept: { id: number; name: string; fields: string[] }[] = [];
  const toDelete: number[] = [];
  const restores: DealRestore[] = [];
  for (const h of page) {
    const deal = current.get(h.entity_id);
    if (!deal) continue; // deleted since: nothing to undo
    if (h.action === "created") {
      const reason =
        deal.updatedAt > h.written_at || deal.lastActivityAt > h.written_at
          ? "edited after the import"
          : laterWorkReason(deal, "deal", h.written_at);
      if (reason) kept.push({ id: deal.id, name: deal.name, fields: [reason] });
      else toDelete.push(deal.id);
      continue;
    }
    const before = JSON.parse(h.before ?? "{}") as Partial<DealFields> & {
      updatedAt?: number;
      lastActivityAt?: number;
      /** Records written before it was kept have only written_at. */
      firstWrittenAt?: number;
    };
    const after = JSON.parse(h.after ?? "{}") as Partial<DealFields>;
    const set: DealRestore["set"] = {};
    const was: Partial<DealFields> = {};
    const keptFields = new Set<string>();
    const changes: Record<string, [unknown, unknown]> = {};
    // The stage the import moved it out of was removed since: it stays where it is (trash restore does alike).
    const stageGone = "stageId" in after && stagePipeline.get(before.stageId ?? -1) !== deal.pipelineId;
    for (const field of Object.keys(after) as (keyof DealFields)[]) {
      if (field === "stageId" && stageGone) keptFields.add(STAGE_GONE);
      else if ((deal[field] ?? null) === (after[field] ?? null)) {
        (set as Record<string, unknown>)[field] = before[field] ?? null;
        (was as Record<string, unknown>)[field] = deal[field] ?? null;
        changes[LABELS[field]] = [after[field] ?? null, before[field] ?? null];
      } else keptFields.add(LABELS[field]);
    }
    const whole = keptFields.size === 0;
    if (whole) {
      set.updatedAt = before.updatedAt;
      set.lastActivityAt = before.lastActivityAt;
    }
    const moved = "stageId" in set || "status" in set;
    const stuck = keptFields.has("stage") || stageGone || keptFields.has("status");
    restores.push({
      id: deal.id,
      set,
      before: was,
      firstAt: before.firstWrittenAt ?? h.written_at,
      writtenAt: h.written_at,
      spans: moved ? (stuck ? "move" : "restore") : null,
      whole,
      changes: whole ? {} : changes,
    });
    if (!whole) kept.push({ id: deal.id, name: deal.name, fields: [...keptFields] });
  }
  const stageIds = json([...new Set([...rows.map((r) => r.stageId), ...visited.map((v) => v.stageId)])]);
  return {
    statements: [
      ...deleteDeals(t, toDelete, now),
      ...restoreDeals(t, importId, actorId, restores, now),
      // Totals rows left empty by the undo go, so the table is as it was before the import made them.
      sql`DELETE FROM deal_stage_totals WHERE tenant_id = ${t.tenantId} AND deals = 0 AND amount_minor = 0
        AND stage_id IN (SELECT value FROM json_each(${stageIds}))`,
    ],
    kept,
  };
}

/** Deletes created deals as deleting by hand does (contacts, tags and spans go by cascade), deal.deleted included. */
function deleteDeals(t: TenantDb, ids: number[], now: number): SQLWrapper[] {
  if (ids.length === 0) return [];
  const tenant = t.tenantId;
  const list = json(ids);
  const inIds = (col: string) => sql`${sql.raw(col)} IN (SELECT value FROM json_each(${list}))`;
  return [
    // First, while the deals are all there: each as it was (their notes go with them, without a note.deleted each).
    webhookEventSql(
      t,
      "deal.deleted",
      dealData(),
      sql`FROM deals d WHERE d.tenant_id = ${tenant} AND ${inIds("d.id")}`,
      now,
    ),
    totalsOutOf(t, sql`SELECT value FROM json_each(${list})`),
    dealCounter(t, sql`-(SELECT count(*) FROM deals WHERE tenant_id = ${tenant} AND ${inIds("id")})`),
    ...deleteNotesOfStatements(t, "deal", ids),
    ...deleteTasksOfStatements(t, "deal", ids),
    ...deleteInteractionsOfStatements(t, "deal", ids),
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenant} AND ${inIds("entity_id")}
      AND field_id IN (SELECT id FROM custom_fields WHERE tenant_id = ${tenant} AND entity = 'deal')`,
    sql`DELETE FROM activities WHERE tenant_id = ${tenant} AND subject_type = 'deal' AND ${inIds("subject_id")}`,
    sql`DELETE FROM recent_views WHERE tenant_id = ${tenant} AND subject_type = 'deal' AND ${inIds("subject_id")}`,
    sql`DELETE FROM deals WHERE tenant_id = ${tenant} AND ${inIds("id")}`,
  ];
}

const restored = (field: string, column: string) =>
  sql.raw(
    `CASE WHEN json_type(j.value, '$.set.${field}') IS NOT NULL THEN j.value ->> '$.set.${field}' ELSE r.${column} END`,
  );

function restoreDeals(
  t: TenantDb,
  importId: string,
  actorId: string | null,
  restores: DealRestore[],
  now: number,
): SQL[] {
  if (restores.length === 0) return [];
  const tenant = t.tenantId;
  const list = json(restores);
  const ids = sql`SELECT j.value ->> 'id' FROM json_each(${list}) j`;
  const from = sql`FROM json_each(${list}) j CROSS JOIN deals r ON r.id = j.value ->> 'id' AND r.tenant_id = ${tenant}`;
  const spans = (kind: string) =>
    sql`SELECT j.value ->> 'id' FROM json_each(${list}) j WHERE j.value ->> 'spans' = ${kind}`;
  return [
    totalsOutOf(t, ids),
    // The spans the import opened go (one per chunk that moved the deal), and the one it first closed is open again.
    sql`DELETE FROM deal_stage_history WHERE tenant_id = ${tenant} AND deal_id IN (${spans("restore")})
      AND EXISTS (SELECT 1 FROM json_each(${list}) j WHERE j.value ->> 'id' = deal_stage_history.deal_id
        AND deal_stage_history.entered_at BETWEEN j.value ->> 'firstAt' AND j.value ->> 'writtenAt'
        AND coalesce(deal_stage_history.left_at, 0) <= j.value ->> 'writtenAt')`,
    sql`UPDATE deal_stage_history SET left_at = NULL WHERE tenant_id = ${tenant} AND deal_id IN (${spans("restore")})
      AND EXISTS (SELECT 1 FROM json_each(${list}) j WHERE j.value ->> 'id' = deal_stage_history.deal_id
        AND deal_stage_history.entered_at < j.value ->> 'firstAt'
        AND deal_stage_history.left_at BETWEEN j.value ->> 'firstAt' AND j.value ->> 'writtenAt')
      AND NOT EXISTS (SELECT 1 FROM deal_stage_history o WHERE o.tenant_id = deal_stage_history.tenant_id
        AND o.deal_id = deal_stage_history.deal_id AND o.left_at IS NULL)`,
    sql`UPDATE deal_stage_history SET left_at = ${now} WHERE tenant_id = ${tenant} AND left_at IS NULL
      AND deal_id IN (${spans("move")})`,
    sql`INSERT INTO deals (id, tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id,
        company_id, pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at,
        last_activity_at)
      SELECT r.id, r.tenant_id, r.name, r.name_sort, ${restored("amountMinor", "amount_minor")},
        ${restored("currency", "currency")}, ${restored("closeDate", "close_date")}, ${restored("closeKey", "close_key")},
        r.owner_id, ${restored("companyId", "company_id")}, r.pipeline_id, ${restored("stageId", "stage_id")}, ${restored("status", "status")},
        ${restored("lostReason", "lost_reason")}, ${restored("closedOn", "closed_on")}, r.created_by, r.created_at,
        coalesce(j.value ->> '$.set.updatedAt', ${now}), coalesce(j.value ->> '$.set.lastActivityAt', ${now})
      ${from} WHERE true
      ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
        company_id = excluded.company_id, close_date = excluded.close_date, close_key = excluded.close_key, stage_id = excluded.stage_id,
        status = excluded.status, lost_reason = excluded.lost_reason, closed_on = excluded.closed_on,
        updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`,
    totalsInto(t, ids),
    // The deals as restored, with the events the deal page and the board send for the same changes.
    ...dealUpdateEvents(t, { from, id: sql`r.id` }, now),
    sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, actor_id)
      SELECT r.tenant_id, r.id, r.pipeline_id, r.stage_id, r.status, ${now}, ${actorId} ${from}
      WHERE j.value ->> 'spans' = 'move'`,
    sql`DELETE FROM activities WHERE tenant_id = ${tenant} AND subject_type = 'deal'
      AND json_extract(detail, '$.import') = ${importId}
      AND subject_id IN (SELECT j.value ->> 'id' FROM json_each(${list}) j WHERE j.value ->> 'whole')`,
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT ${tenant}, 'deal', j.value ->> 'id', ${actorId}, 'updated', json_set(j.value -> 'changes', '$.undo', ${importId}), ${now}
      FROM json_each(${list}) j WHERE NOT (j.value ->> 'whole') AND j.value -> 'changes' != '{}'`,
  ];
}
