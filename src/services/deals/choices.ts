/** The workspace's pipelines with their stages, and its currency and number locale: what deal pages read. */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { pipelineStages, pipelines, tenants } from "../../db/schema";

/** The query behind workspaceMoney, for batches (map with moneyFromRows). */
export function workspaceMoneyQuery(t: TenantDb) {
  return t.db
    .select({ currency: tenants.currency, locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
}

export function moneyFromRows(rows: { currency: string; locale: string }[]) {
  return { currency: rows[0]?.currency ?? "USD", locale: rows[0]?.locale ?? "en-US" };
}

/** The workspace's default currency and number locale (settings → workspace). */
export async function workspaceMoney(t: TenantDb): Promise<{ currency: string; locale: string }> {
  return moneyFromRows(await workspaceMoneyQuery(t));
}

/** The workspace's time zone: where "today" is for what an API key does (a key has no person's zone). */
export async function workspaceTimeZone(t: TenantDb): Promise<string> {
  const rows = await t.db.select({ zone: tenants.timeZone }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return rows[0]?.zone ?? "UTC";
}

export interface StageChoice {
  id: number;
  name: string;
  pipelineId: number;
  probability: number;
}

/** The queries behind pipelinesWithStages (map with pipelinesFromRows), for batches. */
export function pipelinesQueries(t: TenantDb) {
  return [
    t.db
      .select({ id: pipelines.id, name: pipelines.name })
      .from(pipelines)
      .where(t.where(pipelines))
      .orderBy(asc(pipelines.position), asc(pipelines.id)),
    t.db
      .select({
        id: pipelineStages.id,
        name: pipelineStages.name,
        pipelineId: pipelineStages.pipelineId,
        probability: pipelineStages.probability,
      })
      .from(pipelineStages)
      .where(t.where(pipelineStages))
      .orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position), asc(pipelineStages.id)),
  ] as const;
}

export function pipelinesFromRows(pipes: { id: number; name: string }[], stages: StageChoice[]) {
  return pipes.map((p) => ({ ...p, stages: stages.filter((s) => s.pipelineId === p.id) }));
}

/** The workspace's pipelines and their stages, in order. */
export async function pipelinesWithStages(t: TenantDb) {
  const [pipes, stages] = await t.db.batch(pipelinesQueries(t));
  return pipelinesFromRows(pipes, stages);
}
