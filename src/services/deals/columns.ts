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

/** A board card as read from the database (the company's and owner's names joined). */
export interface CardRow {
  id: number;
  name: string;
  amountMinor: number;
  currency: string;
  closeDate: string | null;
  closeKey: string;
  closedOn: string | null;
  companyName: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
}

/** A card as one JSON array (read by parseCard), from `table` (deals or an alias) joined as cardsFrom does. */
export function cardJson(table: typeof deals | typeof card) {
  return sql<string>`json_array(${table.id}, ${table.name}, ${table.amountMinor}, ${table.currency},
    ${table.closeDate}, ${table.closeKey}, ${table.closedOn}, ${companies.name}, ${users.email}, ${users.name})`.as(
    "card_json",
  );
}

export function parseCard(json: string): CardRow {
  const [id, name, amountMinor, currency, closeDate, closeKey, closedOn, companyName, ownerEmail, ownerName] =
    JSON.parse(json);
  return { id, name, amountMinor, currency, closeDate, closeKey, closedOn, companyName, ownerEmail, ownerName };
}

/**
 * The open deals of every stage of `pipeline` (an id, or a subquery giving one), 51 per stage at most.
 * Each card comes as one JSON array (read by cardsOfColumns): mapping 300 rows of ten columns through
 * drizzle cost a sixth of the board's time.
 */
export function boardColumnsQuery(t: TenantDb, pipeline: SQL | number, conditions: (SQL | undefined)[], limit: number) {
  return t.db
    .select({
      stageId: sql<number>`${pipelineStages.id}`.as("column_stage_id"),
      card: cardJson(card),
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

/** The rows of boardColumnsQuery as each stage's cards, in the order read. */
export function cardsOfColumns(rows: { stageId: number; card: string }[]): Map<number, CardRow[]> {
  const byStage = new Map<number, CardRow[]>();
  for (const row of rows) {
    const list = byStage.get(row.stageId) ?? [];
    list.push(parseCard(row.card));
    byStage.set(row.stageId, list);
  }
  return byStage;
}
