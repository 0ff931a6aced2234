/**
 * Every column's first page of the board as ONE statement, so the board needs no earlier read of
 * its stages: for each stage of the pipeline, a correlated subquery takes the first 51 open deals on
 * deals_tenant_stage_idx (by close_key, id), and the outer query joins their cards.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { TenantDb } from "../../db/scoped";
import { companies, deals, memberships, pipelineStages, users } from "../../db/schema";

const card = alias(deals, "card");

/** The open deals of every stage of `pipeline` (an id, or a subquery giving one), 51 per stage at most. */
export function boardColumnsQuery(t: TenantDb, pipeline: SQL | number, conditions: (SQL | undefined)[], limit: number) {
  return t.db
    .select({
      stageId: sql<number>`${pipelineStages.id}`.as("column_stage_id"),
      id: card.id,
      name: card.name,
      amountMinor: card.amountMinor,
      currency: card.currency,
      closeDate: card.closeDate,
      closeKey: card.closeKey,
      closedOn: card.closedOn,
      companyName: sql<string | null>`${companies.name}`.as("company_name"),
      ownerEmail: users.email,
      ownerName: sql<string | null>`${users.name}`.as("owner_name"),
    })
    .from(pipelineStages)
    .innerJoin(
      card,
      sql`${card.id} IN (SELECT ${deals.id} FROM ${deals}
        WHERE ${t.where(deals, sql`${deals.stageId} = ${pipelineStages.id}`, eq(deals.status, "open"), ...conditions)}
        ORDER BY ${deals.closeKey}, ${deals.id} LIMIT ${limit})`,
    )
    .leftJoin(companies, eq(companies.id, card.companyId))
    .leftJoin(memberships, and(eq(memberships.tenantId, card.tenantId), eq(memberships.userId, card.ownerId)))
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(t.where(pipelineStages, sql`${pipelineStages.pipelineId} = ${pipeline}`))
    .orderBy(asc(pipelineStages.id), asc(card.closeKey), asc(card.id));
}
