/**
 * The board of one pipeline: each stage's head (count, totals per currency, weighted total) from
 * deal_stage_totals, never a scan; the first 50 open cards of each column by close date, then
 * keyset pages of 50 ("load more"); the filters; and the recently won and lost deals.
 */
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, deals, dealStageTotals, memberships, tenants, users } from "../../db/schema";
import { tagsQuery } from "../records/tags";
import { ownersQuery } from "../records/workspace";
import { boardColumnsQuery, cardJson, cardsOfColumns, parseCard, type CardRow } from "./columns";
import { pipelinesFromRows, pipelinesQueries, pipelinesWithStages, type StageChoice } from "./choices";
import { encodeCursor, initialsOf, type ColumnCursor } from "./cards";
import { amountThousandths } from "./list";
import { isoDay } from "./statements";

export const CARDS_PER_COLUMN = 50;
/** Won and lost deals stay in view this long after they close, unless "Show closed" is on. */
export const CLOSED_DAYS = 30;

export interface BoardFilters {
  ownerId?: string | null;
  tagId?: number | null;
  /** 'YYYY-MM': deals expected to close that month. */
  month?: string | null;
  /** Thousandths of a major unit (so 12.5 is 12500), compared in each deal's own currency, as the deal list does. */
  amountMin?: number | null;
  amountMax?: number | null;
  /** Part of the name, as typed. */
  q?: string | null;
}

// Owner is compared as "+column": the unary plus keeps SQLite from choosing its index over deals_tenant_stage_idx,
// whose order is the column's order (no sort, stops at 51 rows); an amount is scaled, so no index serves it.
export function filterConditions(t: TenantDb, f: BoardFilters): (SQL | undefined)[] {
  // "From 1,000" is 1,000 yen for a yen deal and 1,000 dollars for a dollar deal, as in the deal list.
  const amount = amountThousandths(deals.amountMinor, deals.currency);
  return [
    f.ownerId ? sql`+${deals.ownerId} = ${f.ownerId}` : undefined,
    f.tagId
      ? sql`EXISTS (SELECT 1 FROM deal_tags dt WHERE dt.tenant_id = ${t.tenantId} AND dt.deal_id = ${deals.id}
          AND dt.tag_id = ${f.tagId})`
      : undefined,
    f.month ? and(gte(deals.closeKey, `${f.month}-01`), lte(deals.closeKey, `${f.month}-31`)) : undefined,
    f.amountMin != null ? sql`${amount} >= ${f.amountMin}` : undefined,
    f.amountMax != null ? sql`${amount} <= ${f.amountMax}` : undefined,
    // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes, and nothing typed is a wildcard.
    f.q ? sql`instr(${deals.nameSort}, ${f.q.toLowerCase()}) > 0` : undefined,
  ];
}

function cardsFrom(t: TenantDb) {
  return t.db
    .select({ card: cardJson(deals) })
    .from(deals)
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .leftJoin(memberships, and(eq(memberships.tenantId, deals.tenantId), eq(memberships.userId, deals.ownerId)))
    .leftJoin(users, eq(users.id, memberships.userId));
}

/** One column's open cards after `after`, by close date then id (deals_tenant_stage_idx), one more than a page. */
export function columnQuery(t: TenantDb, stageId: number, filters: BoardFilters, after: ColumnCursor | null = null) {
  return cardsFrom(t)
    .where(
      t.where(
        deals,
        eq(deals.stageId, stageId),
        eq(deals.status, "open"),
        after ? sql`(${deals.closeKey}, ${deals.id}) > (${after.closeKey}, ${after.id})` : undefined,
        ...filterConditions(t, filters),
      ),
    )
    .orderBy(asc(deals.closeKey), asc(deals.id))
    .limit(CARDS_PER_COLUMN + 1);
}

/** Won or lost deals of the pipeline closed on or after `since` (all of them without), newest first. */
function closedQuery(t: TenantDb, pipelineId: number | SQL, status: "won" | "lost", since: string | null) {
  return cardsFrom(t)
    .where(
      t.where(
        deals,
        sql`${deals.pipelineId} = ${pipelineId}`,
        eq(deals.status, status),
        since ? gte(deals.closedOn, since) : undefined,
      ),
    )
    .orderBy(desc(deals.closedOn), desc(deals.id))
    .limit(CARDS_PER_COLUMN + 1);
}

export interface Card {
  id: number;
  name: string;
  companyName: string | null;
  amountMinor: number;
  currency: string;
  closeDate: string | null;
  closedOn: string | null;
  owner: { initials: string; label: string } | null;
  overdue: boolean;
}

export type { CardRow };

/** Cards from rows; closed ones show the day they closed and are never overdue. */
export function toCards(rows: CardRow[], today: string, closed = false) {
  const page = rows.slice(0, CARDS_PER_COLUMN);
  const last = page[page.length - 1];
  return {
    cards: page.map(
      (r): Card => ({
        id: r.id,
        name: r.name,
        companyName: r.companyName,
        amountMinor: r.amountMinor,
        currency: r.currency,
        closeDate: closed ? r.closedOn : r.closeDate,
        closedOn: r.closedOn,
        owner: r.ownerEmail
          ? { initials: initialsOf(r.ownerName, r.ownerEmail), label: r.ownerName || r.ownerEmail }
          : null,
        overdue: !closed && r.closeDate !== null && r.closeDate < today,
      }),
    ),
    next: rows.length > CARDS_PER_COLUMN && last ? encodeCursor({ closeKey: last.closeKey, id: last.id }) : null,
  };
}

/** The head of a column: open deals and their sum per currency, from the maintained totals. */
export interface StageHead {
  stage: StageChoice;
  count: number;
  totals: { currency: string; amountMinor: number }[];
}

function totalsQuery(t: TenantDb, pipelineId: number | SQL) {
  return t.db
    .select({
      stageId: dealStageTotals.stageId,
      currency: dealStageTotals.currency,
      deals: dealStageTotals.deals,
      amountMinor: dealStageTotals.amountMinor,
    })
    .from(dealStageTotals)
    .where(
      t.where(
        dealStageTotals,
        gt(dealStageTotals.deals, 0),
        sql`${dealStageTotals.stageId} IN (SELECT id FROM pipeline_stages
          WHERE tenant_id = ${t.tenantId} AND pipeline_id = ${pipelineId})`,
      ),
    )
    .orderBy(asc(dealStageTotals.stageId), asc(dealStageTotals.currency));
}

export function headsOf(
  stages: StageChoice[],
  rows: { stageId: number; currency: string; deals: number; amountMinor: number }[],
) {
  return stages.map((stage): StageHead => {
    const mine = rows.filter((r) => r.stageId === stage.id);
    return {
      stage,
      count: mine.reduce((n, r) => n + r.deals, 0),
      totals: mine.map((r) => ({ currency: r.currency, amountMinor: r.amountMinor })),
    };
  });
}

export interface BoardOptions {
  pipelineId: number | null;
  filters: BoardFilters;
  showClosed: boolean;
  now: number;
}

/**
 * Everything the board shows, as the statements of ONE batch: the pipelines, the heads, every
 * column's first page (one statement, columns.ts), the Won and Lost areas and the filters' choices.
 * The route adds the session check to the same batch (withSessionBatch); read them with boardFromRows.
 */
export function boardStatements(t: TenantDb, o: BoardOptions) {
  const since = o.showClosed ? null : isoDay(o.now - CLOSED_DAYS * 86_400_000);
  // The pipeline asked for, or the workspace's first: a subquery, so nothing has to be read first.
  const chosen =
    o.pipelineId ?? sql`(SELECT id FROM pipelines WHERE tenant_id = ${t.tenantId} ORDER BY position, id LIMIT 1)`;
  return [
    ...pipelinesQueries(t),
    t.db.select({ currency: tenants.currency, locale: tenants.locale }).from(tenants).where(eq(tenants.id, t.tenantId)),
    ownersQuery(t),
    tagsQuery(t),
    totalsQuery(t, chosen),
    closedQuery(t, chosen, "won", since),
    closedQuery(t, chosen, "lost", since),
    boardColumnsQuery(t, chosen, filterConditions(t, o.filters), CARDS_PER_COLUMN + 1),
  ] as const;
}

/**
 * The board from boardStatements' results; `today`: the reader's calendar date (their time zone), for "overdue".
 * Null when the pipeline asked for is not the workspace's.
 */
export function boardFromRows(results: readonly unknown[], o: BoardOptions, today: string) {
  const [pipeRows, stageRows, money, owners, tagRows, totals, won, lost, cardRows] = results as [
    { id: number; name: string }[],
    StageChoice[],
    { currency: string; locale: string }[],
    Awaited<ReturnType<typeof ownersQuery>>,
    Awaited<ReturnType<typeof tagsQuery>>,
    Awaited<ReturnType<typeof totalsQuery>>,
    { card: string }[],
    { card: string }[],
    { stageId: number; card: string }[],
  ];
  const pipes = pipelinesFromRows(pipeRows, stageRows);
  const pipeline = o.pipelineId === null ? pipes[0] : pipes.find((p) => p.id === o.pipelineId);
  if (!pipeline) return null;
  const heads = headsOf(pipeline.stages, totals);
  const columnCards = cardsOfColumns(cardRows);
  return {
    pipelines: pipes.map((p) => ({ id: p.id, name: p.name })),
    pipeline: { id: pipeline.id, name: pipeline.name, stages: pipeline.stages },
    columns: heads.map((head) => ({
      head,
      ...toCards(columnCards.get(head.stage.id) ?? [], today),
    })),
    won: toCards(
      won.map((r) => parseCard(r.card)),
      today,
      true,
    ),
    lost: toCards(
      lost.map((r) => parseCard(r.card)),
      today,
      true,
    ),
    today,
    money: money[0] ?? { currency: "USD", locale: "en-US" },
    members: owners,
    tags: tagRows,
  };
}

/** One more page of a column (the stage must be the workspace's: else null). */
export async function loadColumnPage(
  t: TenantDb,
  stageId: number,
  filters: BoardFilters,
  after: ColumnCursor | null,
  today: string,
) {
  const pipes = await pipelinesWithStages(t);
  const stage = pipes.flatMap((p) => p.stages).find((s) => s.id === stageId);
  if (!stage) return null;
  return {
    stage,
    stages: pipes.find((p) => p.id === stage.pipelineId)!.stages,
    ...toCards(
      (await columnQuery(t, stageId, filters, after)).map((r) => parseCard(r.card)),
      today,
    ),
  };
}
