/**
 * What every workspace starts with: the "Sales" pipeline (Lead → Qualified → Proposal → Negotiation;
 * won and lost are a deal's outcome, not stages) and a short list of lost reasons. Written in the
 * sign-up batch; migrations/0013_deals.sql gives workspaces that existed before deals the same.
 */
import { sql, type SQL } from "drizzle-orm";
import { settingNameKey } from "./pipelines";

export const DEFAULT_PIPELINE = "Sales";

/** Name and win probability (%) of each default stage, in board order. */
export const DEFAULT_STAGES: readonly [string, number][] = [
  ["Lead", 10],
  ["Qualified", 25],
  ["Proposal", 50],
  ["Negotiation", 75],
];

export const DEFAULT_LOST_REASONS = ["Price", "Went with a competitor", "No budget", "Bad timing", "No response"];

/** The statements that give a new workspace its pipeline and lost reasons (for its sign-up batch). */
export function defaultPipelineStatements(tenantId: string, now: number): SQL[] {
  const stages = JSON.stringify(DEFAULT_STAGES.map(([name, probability]) => [name, probability, settingNameKey(name)]));
  const reasons = JSON.stringify(DEFAULT_LOST_REASONS);
  const pipelineKey = settingNameKey(DEFAULT_PIPELINE);
  const pipeline = sql`(SELECT id FROM pipelines WHERE tenant_id = ${tenantId} AND name_key = ${pipelineKey})`;
  return [
    sql`INSERT INTO pipelines (tenant_id, name, name_key, position, created_at, updated_at)
      VALUES (${tenantId}, ${DEFAULT_PIPELINE}, ${pipelineKey}, 0, ${now}, ${now})`,
    sql`INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, name_key, position, probability, created_at, updated_at)
      SELECT ${tenantId}, ${pipeline}, s.value ->> 0, s.value ->> 2, s.key, s.value ->> 1, ${now}, ${now}
      FROM json_each(${stages}) s`,
    sql`INSERT INTO lost_reasons (tenant_id, name, name_key, position, created_at)
      SELECT ${tenantId}, r.value, lower(r.value), r.key, ${now} FROM json_each(${reasons}) r`,
  ];
}
