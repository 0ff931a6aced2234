/**
 * What admins do with the workspace's pipelines at /app/settings/pipelines: list them with their
 * stages, add (with one stage, "New"), rename, reorder, and delete one that holds no deals (never the
 * last). Each change and its audit entry go in one batch. An API key's actor (KeyActor) may do the same:
 * keys are made by admins (src/routes/api/pipelines.ts).
 */
import { asc, eq, type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { rawBatchResults } from "../../db/raw-batch";
import { dealStageTotals, pipelineStages, pipelines } from "../../db/schema";
import { z } from "zod";
import type { KeyActor } from "../../lib/actor";
import { text } from "../../lib/validation";
import { refusingTakenName } from "../../lib/unique-name";
import { type AuditAction, settingAudit } from "../audit/audit";

export interface StageSummary {
  id: number;
  name: string;
  position: number;
  probability: number;
  /** Open deals in the stage, from the maintained totals (never a scan of the deals). */
  openDeals: number;
}

export interface PipelineSummary {
  id: number;
  name: string;
  position: number;
  stages: StageSummary[];
}

export type NameChange = { ok: true; id: number } | { ok: false; field: "name"; message: string };

export type Direction = "up" | "down";

/** The stage a new pipeline starts with; the admin adds the others. */
export const FIRST_STAGE = { name: "New", probability: 0 } as const;

const PIPELINE_NAME_TAKEN = "A pipeline with this name already exists.";

/**
 * The key that keeps a pipeline's name unique in the workspace, and a stage's in its pipeline (name_key): the name
 * lower-cased in JavaScript, since SQLite's lower() folds ASCII only ("Überprüfung" and "überprüfung" differ there).
 */
export function settingNameKey(name: string): string {
  return name.toLowerCase();
}

/** The pipeline form (Settings → Pipelines and the API): a name. */
export const pipelineNameSchema = z.object({
  name: z.preprocess((v) => v ?? "", text("Pipeline name", { min: 1, max: 50 })),
});

/** The workspace's pipelines in order, each with its stages in order and their open deal counts. */
export async function listPipelines(t: TenantDb): Promise<PipelineSummary[]> {
  const rows = await t.db.all<{
    pipeline_id: number;
    pipeline_name: string;
    pipeline_position: number;
    stages: string;
  }>(sql`SELECT p.id AS pipeline_id, p.name AS pipeline_name, p.position AS pipeline_position,
      (SELECT json_group_array(json_object('id', id, 'name', name, 'position', position,
          'probability', probability, 'openDeals', open_deals))
        FROM (SELECT s.id, s.name, s.position, s.probability,
            (SELECT coalesce(sum(deals), 0) FROM deal_stage_totals dt
              WHERE dt.tenant_id = s.tenant_id AND dt.stage_id = s.id) AS open_deals
          FROM pipeline_stages s WHERE s.tenant_id = p.tenant_id AND s.pipeline_id = p.id
          ORDER BY s.position, s.id)) AS stages
    FROM pipelines p WHERE p.tenant_id = ${t.tenantId} ORDER BY p.position, p.id`);
  return rows.map((r) => ({
    id: r.pipeline_id,
    name: r.pipeline_name,
    position: r.pipeline_position,
    stages: JSON.parse(r.stages) as StageSummary[],
  }));
}

/** A pipeline of the workspace, or null. */
export async function getPipeline(t: TenantDb, id: number) {
  const [row] = await t.db
    .select({ id: pipelines.id, name: pipelines.name, position: pipelines.position })
    .from(pipelines)
    .where(t.where(pipelines, eq(pipelines.id, id)))
    .limit(1);
  return row ?? null;
}

/** An audit entry about pipelines, stages or lost reasons, for the batch of the change (detail "{}" when none). */
function audit(t: TenantDb, actor: KeyActor, action: AuditAction, target: { id?: number; label: string }, detail = {}) {
  return settingAudit(t, actor, action, target, detail);
}
export { audit as dealSettingsAudit };

/**
 * Adds a pipeline at the end with `stages` (by default one, "New", 0 %; the caller has checked their names are
 * distinct). A name the workspace has (any case) is refused.
 */
export async function createPipeline(
  t: TenantDb,
  actor: KeyActor,
  name: string,
  stages: readonly { name: string; probability: number }[] = [FIRST_STAGE],
): Promise<NameChange> {
  const nameKey = settingNameKey(name);
  const next = sql`(SELECT coalesce(max(position) + 1, 0) FROM pipelines WHERE tenant_id = ${t.tenantId})`;
  const created = sql`(SELECT id FROM pipelines WHERE tenant_id = ${t.tenantId} AND name_key = ${nameKey})`;
  const stagesWithKeys = stages.map((s) => ({ ...s, key: settingNameKey(s.name) }));
  return refusingTakenName<NameChange>(PIPELINE_NAME_TAKEN, async () => {
    const [inserted] = await rawBatchResults(t.db, [
      t.db
        .insert(pipelines)
        .values({ tenantId: t.tenantId, name, nameKey, position: next, createdAt: actor.now, updatedAt: actor.now })
        .returning({ id: pipelines.id }),
      sql`INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, name_key, position, pipeline_position, probability,
          created_at, updated_at)
        SELECT ${t.tenantId}, p.id, j.value ->> 'name', j.value ->> 'key', j.key, p.position, j.value ->> 'probability',
          ${actor.now}, ${actor.now} FROM pipelines p CROSS JOIN json_each(${JSON.stringify(stagesWithKeys)}) j
        WHERE p.tenant_id = ${t.tenantId} AND p.id = ${created} ORDER BY j.key`,
      audit(t, actor, "pipeline.created", { label: name }),
    ]);
    return { ok: true, id: (inserted!.results[0] as { id: number }).id };
  });
}

/** Renames a pipeline. Null when it is not the workspace's. */
export async function renamePipeline(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  name: string,
): Promise<NameChange | null> {
  const before = await getPipeline(t, id);
  if (!before) return null;
  if (before.name === name) return { ok: true, id };
  return refusingTakenName<NameChange>(PIPELINE_NAME_TAKEN, async () => {
    await t.db.batch([
      t.update(pipelines, { name, nameKey: settingNameKey(name), updatedAt: actor.now }, eq(pipelines.id, id)),
      audit(t, actor, "pipeline.renamed", { id, label: name }, { from: before.name }),
    ]);
    return { ok: true, id };
  });
}

/** `ids` with `id` swapped with its neighbour in `direction` (unchanged at either end). */
export function moved<T>(ids: T[], id: T, direction: Direction): T[] {
  const i = ids.indexOf(id);
  const j = direction === "up" ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= ids.length) return ids;
  const out = [...ids];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

/** The ids in their order once `id` has moved one place, as the JSON the renumbering statements read. */
export function movedOrder(ids: number[], id: number, direction: Direction): string {
  return JSON.stringify(moved(ids, id, direction));
}

/**
 * Moves a pipeline one place up or down. Every pipeline is renumbered 0..n-1 in the new order and
 * its stages get the new position too (the deal list's stage sort reads it), in one batch. False when
 * the pipeline is not the workspace's.
 */
export async function movePipeline(t: TenantDb, actor: KeyActor, id: number, direction: Direction): Promise<boolean> {
  const all = await t.db
    .select({ id: pipelines.id, name: pipelines.name })
    .from(pipelines)
    .where(t.where(pipelines))
    .orderBy(asc(pipelines.position), asc(pipelines.id));
  const target = all.find((p) => p.id === id);
  if (!target) return false;
  const order = movedOrder(
    all.map((p) => p.id),
    id,
    direction,
  );
  await rawBatchResults(t.db, [
    sql`UPDATE pipelines SET position = (SELECT j.key FROM json_each(${order}) j WHERE j.value = pipelines.id)
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT value FROM json_each(${order}))`,
    sql`UPDATE pipeline_stages SET pipeline_position = (SELECT j.key FROM json_each(${order}) j
        WHERE j.value = pipeline_stages.pipeline_id)
      WHERE tenant_id = ${t.tenantId} AND pipeline_id IN (SELECT value FROM json_each(${order}))`,
    audit(t, actor, "pipeline.moved", { id, label: target.name }, { direction }),
  ]);
  return true;
}

/** How many deals (open or closed) a pipeline holds. */
export async function dealsInPipeline(t: TenantDb, id: number): Promise<number> {
  return countDeals(t, sql`pipeline_id = ${id}`);
}

/** How many deals of the workspace meet `condition` (a pipeline's, a stage's). */
export async function countDeals(t: TenantDb, condition: SQL): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM deals WHERE tenant_id = ${t.tenantId} AND ${condition}`,
  );
  return row?.n ?? 0;
}

export type PipelineDeletion =
  | { ok: true }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "has_deals"; deals: number }
  | { ok: false; reason: "last" };

/**
 * Deletes a pipeline with its stages, only while it holds no deals and is not the workspace's last.
 * The delete itself re-checks both, so a deal added a moment ago keeps its pipeline.
 */
export async function deletePipeline(t: TenantDb, actor: KeyActor, id: number): Promise<PipelineDeletion> {
  const pipeline = await getPipeline(t, id);
  if (!pipeline) return { ok: false, reason: "not_found" };
  const deals = await dealsInPipeline(t, id);
  if (deals > 0) return { ok: false, reason: "has_deals", deals };
  const [{ n: count }] = (await t.db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM pipelines WHERE tenant_id = ${t.tenantId}`,
  )) as [{ n: number }];
  if (count <= 1) return { ok: false, reason: "last" };
  const free = sql`NOT EXISTS (SELECT 1 FROM deals WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${id})
    AND (SELECT count(*) FROM pipelines WHERE tenant_id = ${t.tenantId}) > 1`;
  const results = await t.db.batch([
    t.delete(
      dealStageTotals,
      sql`${dealStageTotals.stageId} IN (SELECT id FROM pipeline_stages WHERE tenant_id = ${t.tenantId}
        AND pipeline_id = ${id})`,
      free,
    ),
    t.delete(pipelineStages, eq(pipelineStages.pipelineId, id), free),
    t.delete(pipelines, eq(pipelines.id, id), free).returning({ id: pipelines.id }),
    audit(t, actor, "pipeline.deleted", { id, label: pipeline.name }),
  ]);
  // Lost the race to a new deal: the batch deleted nothing (the audit entry says what was tried).
  if ((results[2] as unknown[]).length === 0) return { ok: false, reason: "has_deals", deals: 1 };
  return { ok: true };
}
