/**
 * Pipelines and their stages as the API reads them (the export's field names): what a client needs to place a
 * deal (`stage_id`) and to read a deal's stage. Settings → Pipelines changes them (src/services/deals/pipelines.ts).
 */
import type { TenantDb } from "../../db/scoped";
import { listPipelines, type PipelineSummary } from "../deals/pipelines";

/** A pipeline as the API answers it, its stages in board order. */
export interface ApiPipeline {
  id: number;
  name: string;
  position: number;
  stages: { id: number; name: string; position: number; probability: number; open_deals: number }[];
}

function toApiPipeline(p: PipelineSummary): ApiPipeline {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    stages: p.stages.map((s) => ({
      id: s.id,
      name: s.name,
      position: s.position,
      probability: s.probability,
      open_deals: s.openDeals,
    })),
  };
}

/** Every pipeline of the workspace, in order (a workspace has few: one statement, no paging). */
export async function listApiPipelines(t: TenantDb): Promise<ApiPipeline[]> {
  return (await listPipelines(t)).map(toApiPipeline);
}

/** One pipeline of the workspace, or null (another workspace's id is not found). */
export async function getApiPipeline(t: TenantDb, id: number): Promise<ApiPipeline | null> {
  return (await listApiPipelines(t)).find((p) => p.id === id) ?? null;
}

/** A stage as the API answers it. */
export type ApiStage = ApiPipeline["stages"][number] & { pipeline_id: number };

/** One stage of the workspace with its pipeline's id, or null. */
export async function getApiStage(t: TenantDb, id: number): Promise<ApiStage | null> {
  for (const p of await listApiPipelines(t)) {
    const stage = p.stages.find((s) => s.id === id);
    if (stage) return { ...stage, pipeline_id: p.id };
  }
  return null;
}
