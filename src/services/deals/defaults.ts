/**
 * What every workspace starts with: the "Sales" pipeline (Lead → Qualified → Proposal → Negotiation;
 * won and lost are a deal's outcome, not stages) and a short list of lost reasons. Written in the
 * sign-up batch; migrations/0013_deals.sql gives workspaces that existed before deals the same.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { lostReasons, pipelines, pipelineStages } from "../../db/schema";

export const DEFAULT_PIPELINE = "Sales";

/** Name and win probability (%) of each default stage, in board order. */
export const DEFAULT_STAGES: readonly [string, number][] = [
  ["Lead", 10],
  ["Qualified", 25],
  ["Proposal", 50],
  ["Negotiation", 75],
];

export const DEFAULT_LOST_REASONS = ["Price", "Went with a competitor", "No budget", "Bad timing", "No response"];

/**
 * The statements that give a new workspace its pipeline and lost reasons (for its sign-up batch).
 * Query builders, not raw `sql`: drizzle's D1 batch cannot bind parameters of a raw statement.
 */
export function defaultPipelineStatements(db: Database, tenantId: string, now: number) {
  const stages = JSON.stringify(DEFAULT_STAGES);
  const reasons = JSON.stringify(DEFAULT_LOST_REASONS);
  const pipeline = sql`(SELECT id FROM pipelines
    WHERE tenant_id = ${tenantId} AND name_key = ${DEFAULT_PIPELINE.toLowerCase()})`;
  return [
    db.insert(pipelines).values({
      tenantId,
      name: DEFAULT_PIPELINE,
      nameKey: DEFAULT_PIPELINE.toLowerCase(),
      position: 0,
      createdAt: now,
      updatedAt: now,
    }),
    // Columns in table order: id, tenant_id, pipeline_id, name, position, probability, created_at, updated_at.
    db.insert(pipelineStages).select(
      sql`SELECT NULL, ${tenantId}, ${pipeline}, s.value ->> 0, s.key, s.value ->> 1, ${now}, ${now}
          FROM json_each(${stages}) s`,
    ),
    // id, tenant_id, name, name_key, position, created_at.
    db
      .insert(lostReasons)
      .select(sql`SELECT NULL, ${tenantId}, r.value, lower(r.value), r.key, ${now} FROM json_each(${reasons}) r`),
  ] as const;
}
