/**
 * A pipeline's stages at /app/settings/pipelines: add, rename and set the win probability, reorder,
 * and remove. A stage that holds deals (open or closed) is removed only together with moving its
 * deals to another stage of the same pipeline, in ONE batch that keeps deal_stage_totals exact and
 * gives every moved deal a stage-history span and a timeline entry (set-based, never a statement per
 * deal), and a deal.stage_changed webhook event for each. A pipeline keeps at least one stage. The API's
 * stage endpoints (src/routes/api/pipelines.ts) use the same functions and form schema.
 */
import { asc, eq, sql } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import { insertWhere } from "../../db/sql";
import type { TenantDb } from "../../db/scoped";
import { pipelineStages } from "../../db/schema";
import { z } from "zod";
import type { KeyActor } from "../../lib/actor";
import { refusingTakenName } from "../../lib/unique-name";
import { text } from "../../lib/validation";
import { auditRow, settingAuditEvent } from "../audit/audit";
import { webhookEventSql } from "../webhooks/events";
import { stageChangedData } from "../webhooks/payloads";
import {
  countDeals,
  dealSettingsAudit as audit,
  getPipeline,
  movedOrder,
  settingNameKey,
  type Direction,
} from "./pipelines";

export interface Stage {
  id: number;
  pipelineId: number;
  pipelineName: string;
  name: string;
  position: number;
  probability: number;
}

export interface StageInput {
  name: string;
  probability: number;
}

export type StageChange = { ok: true; id: number } | { ok: false; field: "name"; message: string };

export const STAGE_NAME_TAKEN = "This pipeline has a stage with this name already.";

/** The stage form (Settings → Pipelines and the API): a name and a whole-number probability, as typed. */
export const stageInputSchema = z.object({
  name: z.preprocess((v) => v ?? "", text("Stage name", { min: 1, max: 50 })),
  probability: z
    .string({ error: "Enter the win probability." })
    .trim()
    .regex(/^\d{1,3}$/, { error: "Enter a whole number from 0 to 100." })
    .transform(Number)
    .refine((n) => n <= 100, { error: "Enter a whole number from 0 to 100." }),
});

/** A stage of the workspace with its pipeline's name, or null. */
export async function getStage(t: TenantDb, id: number): Promise<Stage | null> {
  const [row] = await t.db.all<Stage>(sql`SELECT s.id, s.pipeline_id AS pipelineId, p.name AS pipelineName, s.name,
      s.position, s.probability
    FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id AND p.tenant_id = s.tenant_id
    WHERE s.tenant_id = ${t.tenantId} AND s.id = ${id}`);
  return row ?? null;
}

/** The stages of a pipeline of the workspace, in order. */
export async function stagesOf(t: TenantDb, pipelineId: number) {
  return t.db
    .select({ id: pipelineStages.id, name: pipelineStages.name })
    .from(pipelineStages)
    .where(t.where(pipelineStages, eq(pipelineStages.pipelineId, pipelineId)))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.id));
}

/**
 * Whether another stage of the pipeline has the name (any case). The unique index on name_key decides in the end
 * (two adds at once); this compares the names themselves too, since a key migration 0042 wrote may keep a Σ.
 */
async function nameTaken(t: TenantDb, pipelineId: number, name: string, except = 0): Promise<boolean> {
  const key = settingNameKey(name);
  return (await stagesOf(t, pipelineId)).some((s) => s.id !== except && settingNameKey(s.name) === key);
}

/** Adds a stage at the end of a pipeline. Null when the pipeline is not the workspace's. */
export async function addStage(
  t: TenantDb,
  actor: KeyActor,
  pipelineId: number,
  input: StageInput,
): Promise<StageChange | null> {
  const pipeline = await getPipeline(t, pipelineId);
  if (!pipeline) return null;
  if (await nameTaken(t, pipelineId, input.name)) return { ok: false, field: "name", message: STAGE_NAME_TAKEN };
  return refusingTakenName<StageChange>(STAGE_NAME_TAKEN, async () => {
    const [rows] = await rawBatchResults(t.db, [
      t.db
        .insert(pipelineStages)
        .values({
          tenantId: t.tenantId,
          pipelineId,
          name: input.name,
          nameKey: settingNameKey(input.name),
          position: sql`(SELECT coalesce(max(position) + 1, 0) FROM pipeline_stages
            WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${pipelineId})`,
          pipelinePosition: sql`(SELECT position FROM pipelines WHERE tenant_id = ${t.tenantId} AND id = ${pipelineId})`,
          probability: input.probability,
          createdAt: actor.now,
          updatedAt: actor.now,
        })
        .returning({ id: pipelineStages.id }),
      audit(
        t,
        actor,
        "stage.created",
        { label: `${pipeline.name}: ${input.name}` },
        { probability: input.probability },
      ),
    ]);
    return { ok: true, id: (rows!.results[0] as { id: number }).id };
  });
}

/** Renames a stage and sets its probability. Null when the stage is not the workspace's. */
export async function updateStage(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  input: StageInput,
): Promise<StageChange | null> {
  const before = await getStage(t, id);
  if (!before) return null;
  if (before.name === input.name && before.probability === input.probability) return { ok: true, id };
  if (await nameTaken(t, before.pipelineId, input.name, id))
    return { ok: false, field: "name", message: STAGE_NAME_TAKEN };
  return refusingTakenName<StageChange>(STAGE_NAME_TAKEN, async () => {
    await rawBatchResults(t.db, [
      t.update(
        pipelineStages,
        { name: input.name, nameKey: settingNameKey(input.name), probability: input.probability, updatedAt: actor.now },
        eq(pipelineStages.id, id),
      ),
      audit(
        t,
        actor,
        "stage.updated",
        { id, label: `${before.pipelineName}: ${input.name}` },
        { from_name: before.name, from_probability: before.probability, probability: input.probability },
      ),
    ]);
    return { ok: true, id };
  });
}

/** Moves a stage one place up or down in its pipeline (renumbering 0..n-1). False when not the workspace's. */
export async function moveStage(t: TenantDb, actor: KeyActor, id: number, direction: Direction): Promise<boolean> {
  const stage = await getStage(t, id);
  if (!stage) return false;
  const order = movedOrder(
    (await stagesOf(t, stage.pipelineId)).map((s) => s.id),
    id,
    direction,
  );
  await reorderStages(t, actor, stage, order, { direction });
  return true;
}

/**
 * Puts a stage at `position` (0 first; past the end is last) in its pipeline, renumbering 0..n-1.
 * False when the stage is not the workspace's.
 */
export async function placeStage(t: TenantDb, actor: KeyActor, id: number, position: number): Promise<boolean> {
  const stage = await getStage(t, id);
  if (!stage) return false;
  const others = (await stagesOf(t, stage.pipelineId)).map((s) => s.id).filter((s) => s !== id);
  others.splice(Math.max(0, position), 0, id);
  await reorderStages(t, actor, stage, JSON.stringify(others), { position });
  return true;
}

/** Renumbers a pipeline's stages in `order` (a JSON list of ids), audited as a move of `stage`. */
async function reorderStages(t: TenantDb, actor: KeyActor, stage: Stage, order: string, detail: object) {
  await rawBatchResults(t.db, [
    sql`UPDATE pipeline_stages SET position = (SELECT j.key FROM json_each(${order}) j
        WHERE j.value = pipeline_stages.id)
      WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${stage.pipelineId}
        AND id IN (SELECT value FROM json_each(${order}))`,
    audit(t, actor, "stage.moved", { id: stage.id, label: `${stage.pipelineName}: ${stage.name}` }, detail),
  ]);
}

/** How many deals (open, won or lost) sit in a stage. */
export async function dealsInStage(t: TenantDb, id: number): Promise<number> {
  return countDeals(t, sql`stage_id = ${id}`);
}

export type StageRemoval =
  | { ok: true; moved: number }
  | { ok: false; reason: "not_found" | "last" | "bad_target" | "target_gone" }
  | { ok: false; reason: "has_deals"; deals: number };

/**
 * Removes a stage. When it holds deals, `targetId` (another stage of the same pipeline) must be given:
 * its deals move there in the same batch as the removal. The statements work on "the deals in the
 * stage" as a set, so the batch's size does not grow with the deals (no chunking: D1's limits are per
 * statement and per batch, and this batch has a fixed nine statements), and a deal added to the
 * stage a moment before still moves with the others. A target removed meanwhile (another admin) is
 * "target_gone": each move runs only while the target exists, so nothing is written.
 */
export async function removeStage(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  targetId: number | null,
): Promise<StageRemoval> {
  const stage = await getStage(t, id);
  if (!stage) return { ok: false, reason: "not_found" };
  const siblings = await stagesOf(t, stage.pipelineId);
  if (siblings.length <= 1) return { ok: false, reason: "last" };
  const target = targetId === null ? null : siblings.find((s) => s.id === targetId && s.id !== id);
  if (targetId !== null && !target) return { ok: false, reason: "bad_target" };
  const deals = await dealsInStage(t, id);
  if (deals > 0 && !target) return { ok: false, reason: "has_deals", deals };
  const { tenantId } = t;
  const now = actor.now;
  const label = `${stage.pipelineName}: ${stage.name}`;
  // Each move only while the target is still there: another admin may have removed it since the checks above.
  const targetLives = target
    ? sql`EXISTS (SELECT 1 FROM pipeline_stages WHERE tenant_id = ${tenantId} AND id = ${target.id})`
    : sql`1`;
  // Without a target nothing can move; the stage is removed only if it is still empty.
  const timeline = JSON.stringify({ stage: [stage.name, target?.name ?? null] });
  const moves = target
    ? [
        sql`UPDATE deal_stage_history SET left_at = ${now}
          WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND left_at IS NULL AND ${targetLives}`,
        sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at,
            left_at, actor_id)
          SELECT tenant_id, id, pipeline_id, ${target.id}, status, ${now}, NULL, ${actor.userId} FROM deals
          WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND ${targetLives}`,
        sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
          SELECT tenant_id, 'deal', id, ${actor.userId}, 'updated', ${timeline}, ${now} FROM deals
          WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND ${targetLives}`,
        // The open deals' totals, counted from the deals themselves inside the batch, join the target's.
        sql`INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
          SELECT tenant_id, ${target.id}, currency, count(*), sum(amount_minor) FROM deals
          WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND status = 'open' AND ${targetLives}
          GROUP BY tenant_id, currency
          ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
            SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor`,
        // Before the deals move: each as it lands, and where it was.
        webhookEventSql(
          t,
          "deal.stage_changed",
          stageChangedData(target.id, sql`${target.name}`, now),
          sql`FROM deals d WHERE d.tenant_id = ${tenantId} AND d.stage_id = ${id} AND ${targetLives}`,
          now,
        ),
        sql`UPDATE deals SET stage_id = ${target.id}, updated_at = ${now}, last_activity_at = ${now}
          WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND ${targetLives}`,
      ]
    : [];
  const empty = sql`NOT EXISTS (SELECT 1 FROM deals WHERE tenant_id = ${tenantId} AND stage_id = ${id})`;
  const results = await rawBatchResults(t.db, [
    // How many move, and whether their target is still there: read in the batch, before they do.
    sql`SELECT count(*) AS n, ${targetLives} AS target FROM deals WHERE tenant_id = ${tenantId} AND stage_id = ${id}`,
    ...moves,
    sql`DELETE FROM deal_stage_totals WHERE tenant_id = ${tenantId} AND stage_id = ${id} AND ${empty}`,
    sql`DELETE FROM pipeline_stages WHERE tenant_id = ${tenantId} AND id = ${id} AND ${empty}
      AND (SELECT count(*) FROM pipeline_stages WHERE tenant_id = ${tenantId}
        AND pipeline_id = ${stage.pipelineId}) > 1`,
    // Only once the stage is gone: a refused removal writes nothing.
    insertWhere(
      auditRow(
        settingAuditEvent(
          t,
          actor,
          "stage.deleted",
          { id, label },
          target ? { moved_to: target.name, moved: deals } : {},
        ),
      ),
      sql`NOT EXISTS (SELECT 1 FROM pipeline_stages WHERE tenant_id = ${tenantId} AND id = ${id})`,
    ),
  ]);
  const read = results[0]!.results[0] as { n: number; target: number } | undefined;
  const movedCount = read?.n ?? 0;
  const removed = results.at(-2)!.meta.changes;
  if (removed === 0 && target && read?.target === 0) return { ok: false, reason: "target_gone" };
  // A deal arrived after the check and no target was given: the stage stays.
  if (removed === 0) return { ok: false, reason: "has_deals", deals: await dealsInStage(t, id) };
  return { ok: true, moved: target ? movedCount : 0 };
}
