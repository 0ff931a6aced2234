/**
 * A deal's moves and outcomes: to another stage of its pipeline, won, lost (with a reason), reopened.
 * Each is one batch that reads the deal where it is when the batch runs, so two people moving the
 * same deal at once both land in order (the later move wins) and the totals stay exact.
 */
import { asc, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { deals, lostReasons } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { isoSql, webhookEventInsert } from "../webhooks/events";
import { dealData, dealUpdatedData, stageChangedData } from "../webhooks/payloads";
import { dealActivity, dealAudit, historyClose, historyOpen, totalsIn, totalsOut } from "./statements";

export const LOST_REASON_MAX = 200;

// After a batch closed the open span, the deal has none: a new one is opened exactly then.
const noOpenSpan = (t: TenantDb) => sql`NOT EXISTS (SELECT 1 FROM deal_stage_history h
  WHERE h.tenant_id = ${t.tenantId} AND h.deal_id = d.id AND h.left_at IS NULL)`;

export type MoveResult =
  | { ok: true; moved: boolean; pipelineId: number; reads: Record<string, unknown>[][] }
  | { ok: false; reason: "not_found" | "other_pipeline" };

/**
 * Moves a deal to `stageId` of its own pipeline, in ONE batch: every write holds only while the stage
 * is the workspace's and in the deal's pipeline (read by subquery), and the batch ends by reading the
 * stage and the deal, so the answer (not found, another pipeline, moved) costs no round trip of its own.
 * Moving it where it is already changes nothing.
 */
export async function moveDeal(
  t: TenantDb,
  actor: KeyActor,
  dealId: number,
  stageId: number,
  /** Reads to run after the move in the same batch (the board's answer); their rows come back in `reads`. */
  reads: SQL[] = [],
): Promise<MoveResult> {
  const target = stagePipeline(t, stageId);
  const results = await runRawBatchRows(t.db, [
    ...moveStatements(t, actor, dealId, stageId),
    sql`SELECT ${target} AS stagePipeline,
      (SELECT d.pipeline_id FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId}) AS dealPipeline`,
    ...reads,
  ]);
  const found = results[7]![0] as { stagePipeline: number | null; dealPipeline: number | null } | undefined;
  if (!found || found.stagePipeline === null || found.dealPipeline === null) return { ok: false, reason: "not_found" };
  if (found.stagePipeline !== found.dealPipeline) return { ok: false, reason: "other_pipeline" };
  return { ok: true, moved: results[4]!.length > 0, pipelineId: found.stagePipeline, reads: results.slice(8) };
}

const stagePipeline = (t: TenantDb, stageId: number) =>
  sql`(SELECT s.pipeline_id FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId} AND s.id = ${stageId})`;

/**
 * A move's seven statements (the deal row's update fifth), every write only while `guard` holds: a condition
 * that must not name the alias `d` (the row's update has none), such as `dealAt` below.
 */
export function moveStatements(
  t: TenantDb,
  actor: KeyActor,
  dealId: number,
  stageId: number,
  guard = sql`1`,
): SQLWrapper[] {
  const now = actor.now;
  const target = stagePipeline(t, stageId);
  const targetName = sql`(SELECT s.name FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId} AND s.id = ${stageId})`;
  // Only while the deal is elsewhere in the stage's pipeline: a concurrent edit that changed its pipeline wins.
  const moving = sql`d.stage_id != ${stageId} AND d.pipeline_id = ${target} AND ${guard}`;
  return [
    dealActivity(t, dealId, {
      actorId: actor.userId,
      kind: "moved",
      detail: sql`json_object('stage', json_array((SELECT s.name FROM pipeline_stages s
        WHERE s.tenant_id = ${t.tenantId} AND s.id = d.stage_id), ${targetName}))`,
      now,
      when: moving,
    }),
    historyClose(t, dealId, now, moving),
    // Before the row changes, under the same condition as the move: the deal as it lands, and where it was.
    webhookEventInsert(
      t,
      "deal.stage_changed",
      stageChangedData(stageId, targetName, now),
      sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${moving}`,
      now,
    ),
    // Out before and in after the row changes, whatever happened: a deal not moved comes back where it was.
    totalsOut(t, dealId),
    t
      .update(
        deals,
        { stageId, updatedAt: now, lastActivityAt: now },
        eq(deals.id, dealId),
        sql`${deals.stageId} != ${stageId}`,
        sql`${deals.pipelineId} = ${target}`,
        guard,
      )
      .returning({ id: deals.id }),
    totalsIn(t, dealId),
    historyOpen(t, dealId, actor.userId, now, noOpenSpan(t)),
  ];
}

/** True while the deal's version is one of `versions` (a guard for the statement builders here). */
export function dealAt(t: TenantDb, dealId: number, versions: number[]): SQL {
  return sql`EXISTS (SELECT 1 FROM deals g WHERE g.tenant_id = ${t.tenantId} AND g.id = ${dealId}
    AND g.updated_at IN (${sql.join(
      versions.map((v) => sql`${v}`),
      sql`, `,
    )}))`;
}

/** The workspace's lost reasons, in order (a query: await it, or put it in a batch). */
export function listLostReasons(t: TenantDb) {
  return t.db
    .select({ id: lostReasons.id, name: lostReasons.name })
    .from(lostReasons)
    .where(t.where(lostReasons))
    .orderBy(asc(lostReasons.position), asc(lostReasons.id));
}

export type Outcome = { status: "won"; closedOn: string } | { status: "lost"; closedOn: string; reason: string };

/** Marks a deal won or lost on `closedOn`; returns false when the workspace has no such deal. */
export async function closeDeal(t: TenantDb, actor: KeyActor, dealId: number, outcome: Outcome): Promise<boolean> {
  const results = await runRawBatchRows(t.db, closeStatements(t, actor, dealId, outcome));
  return results[4]!.length > 0;
}

/** Closing's seven statements (the deal row's update fifth), every write only while `guard` holds. */
export function closeStatements(
  t: TenantDb,
  actor: KeyActor,
  dealId: number,
  outcome: Outcome,
  guard = sql`1`,
): SQLWrapper[] {
  const now = actor.now;
  const reason = outcome.status === "lost" ? outcome.reason : null;
  const changing = sql`d.status != ${outcome.status} AND ${guard}`;
  return [
    dealActivity(t, dealId, {
      actorId: actor.userId,
      kind: outcome.status,
      detail: JSON.stringify({ closedOn: [null, outcome.closedOn], ...(reason ? { lostReason: [null, reason] } : {}) }),
      now,
      when: guard,
    }),
    historyClose(t, dealId, now, changing),
    // Before the row changes, only when the outcome is new: the deal as it is closed.
    webhookEventInsert(
      t,
      outcome.status === "won" ? "deal.won" : "deal.lost",
      // json_set, not json_patch: a merge patch drops a field set to null (a won deal's lost_reason).
      sql`json_set(${dealData("d")}, '$.status', ${outcome.status}, '$.closed_on', ${outcome.closedOn},
        '$.lost_reason', ${reason}, '$.updated_at', ${isoSql(sql`${now}`)})`,
      sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${changing}`,
      now,
    ),
    // Closed, it leaves the totals; only if it is closed here (no totalsIn follows to put it back).
    totalsOut(t, dealId, guard),
    t
      .update(
        deals,
        { status: outcome.status, closedOn: outcome.closedOn, lostReason: reason, updatedAt: now, lastActivityAt: now },
        eq(deals.id, dealId),
        guard,
      )
      .returning({ id: deals.id }),
    historyOpen(t, dealId, actor.userId, now, noOpenSpan(t)),
    dealAudit(t, dealId, actor, outcome.status === "won" ? "deal.won" : "deal.lost", null, guard),
  ];
}

/** Puts a won or lost deal back on the board, open in its stage. False when there is no such deal. */
export async function reopenDeal(t: TenantDb, actor: KeyActor, dealId: number): Promise<boolean> {
  const results = await runRawBatchRows(t.db, reopenStatements(t, actor, dealId));
  return results[4]!.length > 0;
}

/** What a reopen changes: the status, and the closing date and lost reason the deal had. */
const reopenedFields = sql`(SELECT json_group_array(value) FROM json_each(json_array('status',
  CASE WHEN d.closed_on IS NOT NULL THEN 'closed_on' END, CASE WHEN d.lost_reason IS NOT NULL THEN 'lost_reason' END))
  WHERE value IS NOT NULL)`;

/** Reopening's eight statements (the deal row's update fifth), every write only while `guard` holds. */
export function reopenStatements(t: TenantDb, actor: KeyActor, dealId: number, guard = sql`1`): SQLWrapper[] {
  const now = actor.now;
  const changing = sql`d.status != 'open' AND ${guard}`;
  return [
    dealActivity(t, dealId, { actorId: actor.userId, kind: "reopened", detail: null, now, when: changing }),
    historyClose(t, dealId, now, changing),
    totalsOut(t, dealId),
    // Before the row changes, only when it was closed: the deal as it reopens, as deal.updated names a change.
    webhookEventInsert(
      t,
      "deal.updated",
      sql`json_set(${dealUpdatedData(reopenedFields)}, '$.status', 'open', '$.closed_on', NULL, '$.lost_reason', NULL,
        '$.updated_at', ${isoSql(sql`${now}`)})`,
      sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId} AND ${changing}`,
      now,
    ),
    t
      .update(
        deals,
        { status: "open", closedOn: null, lostReason: null, updatedAt: now, lastActivityAt: now },
        eq(deals.id, dealId),
        guard,
      )
      .returning({ id: deals.id }),
    totalsIn(t, dealId),
    historyOpen(t, dealId, actor.userId, now, noOpenSpan(t)),
    dealAudit(t, dealId, actor, "deal.reopened", null, guard),
  ];
}
