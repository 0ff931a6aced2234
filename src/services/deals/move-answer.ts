/**
 * What a card move answers with (the card where it now is, every column head of its pipeline, the
 * workspace's currency and locale), as reads that run at the end of the move's own batch: the move's
 * writes are hand-written SQL, so the batch is a raw one, and these name their columns as the card's keys.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { headsOf, toCards, type CardRow } from "./board";
import type { StageChoice } from "./choices";

/** The reads, for a move of `dealId` to `stageId` (the stage's pipeline is the deal's when the move holds). */
export function moveAnswerStatements(t: TenantDb, dealId: number, stageId: number): SQL[] {
  const pipeline = sql`(SELECT s.pipeline_id FROM pipeline_stages s WHERE s.tenant_id = ${t.tenantId} AND s.id = ${stageId})`;
  return [
    sql`SELECT d.id AS id, d.name AS name, d.amount_minor AS amountMinor, d.currency AS currency,
        d.close_date AS closeDate, d.close_key AS closeKey, d.closed_on AS closedOn, c.name AS companyName,
        u.email AS ownerEmail, u.name AS ownerName
      FROM deals d LEFT JOIN companies c ON c.id = d.company_id
        LEFT JOIN memberships m ON m.tenant_id = d.tenant_id AND m.user_id = d.owner_id
        LEFT JOIN users u ON u.id = m.user_id
      WHERE d.tenant_id = ${t.tenantId} AND d.id = ${dealId}`,
    sql`SELECT id, name, pipeline_id AS pipelineId, probability FROM pipeline_stages
      WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${pipeline} ORDER BY position, id`,
    sql`SELECT stage_id AS stageId, currency, deals, amount_minor AS amountMinor FROM deal_stage_totals
      WHERE tenant_id = ${t.tenantId} AND deals > 0
        AND stage_id IN (SELECT id FROM pipeline_stages WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${pipeline})
      ORDER BY stage_id, currency`,
    sql`SELECT currency, locale FROM tenants WHERE id = ${t.tenantId}`,
  ];
}

/** The answer from those reads' rows. Null when the deal is gone. */
export function moveAnswerFromRows(rows: Record<string, unknown>[][], today: string) {
  const [cardRows, stageRows, totals, money] = rows as [
    CardRow[],
    StageChoice[],
    { stageId: number; currency: string; deals: number; amountMinor: number }[],
    { currency: string; locale: string }[],
  ];
  const card = toCards(cardRows, today).cards[0];
  if (!card) return null;
  return { card, heads: headsOf(stageRows, totals), money: money[0] ?? { currency: "USD", locale: "en-US" } };
}
