/**
 * The deal list (/app/deals/list): one keyset page of the workspace's deals (all pipelines or one),
 * filtered like the board, sorted by amount, close date, stage, last update or name, each on its
 * index; the filtered set's totals per currency (a bounded aggregate); all in one D1 batch.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { DealStatus } from "../../db/schema";
import { currencyCodes, minorDigits } from "../../lib/money";
import { listedViews, viewsContextSql, type ListedView } from "../records/saved-views";
import { SORT_COLUMNS, type DealCursor, type DealSort, type SortDirection, type StageKey } from "./list-sort";

export const DEALS_PAGE_SIZE = 50;
/** The footer adds up at most this many deals of the filtered set; past it, it says "about". */
export const FOOTER_BOUND = 2000;

export interface DealListFilters {
  pipelineId: number | null;
  /** A member's user id ("my deals" is the signed-in user's). */
  ownerId: string | null;
  tagId: number | null;
  /** 'YYYY-MM': deals expected to close that month. */
  closeMonth: string | null;
  /** Thousandths of a major unit (so 12.5 is 12500), compared in each deal's own currency. */
  amountMin: number | null;
  amountMax: number | null;
  status: DealStatus | null;
  /** Lower-case text the name must contain. */
  name: string | null;
  /** Custom field equality filters, values in canonical form (as the contacts list's). */
  custom: { fieldId: number; value: string }[];
}

export interface DealListQuery extends DealListFilters {
  sort: DealSort;
  dir: SortDirection;
  cursor: DealCursor | null;
}

export interface DealListRow {
  id: number;
  name: string;
  amountMinor: number;
  currency: string;
  status: DealStatus;
  closeDate: string | null;
  ownerId: string | null;
  updatedAt: number;
  companyId: number | null;
  companyName: string | null;
  stageName: string;
  pipelineName: string;
  /** The sort column's value (the stage sort's: its StageKey as JSON), for the cursors. */
  sortValue: string | number;
}

// Multiplying a deal's minor units by its currency's factor gives thousandths of a major unit, so one
// bound range serves every currency (JPY has no minor unit, BHD three). Two digits is the default.
const THOUSANDTHS_FACTOR = JSON.stringify(
  Object.fromEntries(
    currencyCodes()
      .map((c) => [c, 10 ** (3 - minorDigits(c))] as const)
      .filter(([, f]) => f !== 10),
  ),
);

/** A deal's amount in thousandths of a major unit of its own currency, from its amount and currency columns. */
export function amountThousandths(amountMinor: SQLWrapper, currency: SQLWrapper): SQL {
  return sql`${amountMinor} * coalesce(${THOUSANDTHS_FACTOR} ->> ${currency}, 10)`;
}

/** A typed amount (minor units of `currency`) in thousandths of a major unit, the bound amountThousandths meets. */
export function thousandthsOf(minor: number, currency: string): number {
  return minor * 10 ** (3 - minorDigits(currency));
}

/** The filters as conditions on `d` (deals); every value is bound. */
function filterConditions(t: TenantDb, f: DealListFilters): SQL[] {
  const out: SQL[] = [];
  if (f.pipelineId !== null) out.push(sql`d.pipeline_id = ${f.pipelineId}`);
  if (f.ownerId !== null) out.push(sql`d.owner_id = ${f.ownerId}`);
  if (f.status !== null) out.push(sql`d.status = ${f.status}`);
  if (f.tagId !== null)
    out.push(sql`d.id IN (SELECT deal_id FROM deal_tags WHERE tenant_id = ${t.tenantId} AND tag_id = ${f.tagId})`);
  if (f.closeMonth !== null)
    out.push(sql`d.close_key >= ${`${f.closeMonth}-01`} AND d.close_key <= ${`${f.closeMonth}-31`}`);
  const scaled = amountThousandths(sql`d.amount_minor`, sql`d.currency`);
  if (f.amountMin !== null) out.push(sql`${scaled} >= ${f.amountMin}`);
  if (f.amountMax !== null) out.push(sql`${scaled} <= ${f.amountMax}`);
  if (f.name !== null && f.name !== "") out.push(sql`instr(d.name_sort, ${f.name}) > 0`);
  for (const c of f.custom)
    out.push(sql`d.id IN (SELECT entity_id FROM custom_field_values
      WHERE tenant_id = ${t.tenantId} AND field_id = ${c.fieldId} AND value = ${c.value})`);
  return out;
}

const and = (conditions: SQL[]) => (conditions.length ? sql` AND ${sql.join(conditions, sql` AND `)}` : sql``);

/** The row's columns; names and the company by primary key, no join to reorder the plan. */
function columns(sortValue: SQL, stageName: SQL) {
  return sql`d.id AS id, d.name AS name, d.amount_minor AS amountMinor, d.currency AS currency, d.status AS status,
    d.close_date AS closeDate, d.owner_id AS ownerId, d.updated_at AS updatedAt, d.company_id AS companyId,
    (SELECT c.name FROM companies c WHERE c.id = d.company_id AND c.tenant_id = d.tenant_id) AS companyName,
    ${stageName} AS stageName,
    (SELECT p.name FROM pipelines p WHERE p.id = d.pipeline_id AND p.tenant_id = d.tenant_id) AS pipelineName,
    ${sortValue} AS sortValue`;
}

/**
 * The statement for one page (PAGE_SIZE + 1 rows, to know whether there is more). Exported so tests
 * can EXPLAIN exactly this SQL. Never OFFSET.
 */
export function dealsListQuery(t: TenantDb, q: DealListQuery): SQL {
  const back = q.cursor?.back ?? false;
  // Going back reads the other way from the cursor; the page puts the rows back in order.
  const ascending = (q.dir === "asc") !== back;
  const op = ascending ? sql`>` : sql`<`;
  const way = ascending ? sql`ASC` : sql`DESC`;
  const filters = and(filterConditions(t, q));
  const limit = DEALS_PAGE_SIZE + 1;
  if (q.sort !== "stage") {
    const column = sql.raw(`d.${SORT_COLUMNS[q.sort]}`);
    const after = q.cursor
      ? sql` AND (${column}, d.id) ${op} (${q.cursor.value as string | number}, ${q.cursor.id})`
      : sql``;
    const stageName = sql`(SELECT s.name FROM pipeline_stages s WHERE s.id = d.stage_id AND s.tenant_id = d.tenant_id)`;
    return sql`SELECT ${columns(column, stageName)} FROM deals d
      WHERE d.tenant_id = ${t.tenantId}${filters}${after}
      ORDER BY ${column} ${way}, d.id ${way} LIMIT ${limit}`;
  }
  // Stages drive in board order (pipeline_stages_tenant_order_idx; CROSS JOIN keeps them outside), each
  // stage's deals come from deals_tenant_stage_idx in its order, so nothing is sorted.
  const stageKey = sql`json_array(s.pipeline_position, s.pipeline_id, s.position, s.id, d.status, d.close_key)`;
  const from = sql`FROM pipeline_stages s CROSS JOIN deals d ON d.tenant_id = ${t.tenantId} AND d.stage_id = s.id`;
  const stageOrder = sql`s.pipeline_position ${way}, s.pipeline_id ${way}, s.position ${way}, s.id ${way}`;
  const dealOrder = sql`d.status ${way}, d.close_key ${way}, d.id ${way}`;
  const select = sql`SELECT ${columns(stageKey, sql`s.name`)} ${from} WHERE s.tenant_id = ${t.tenantId}${filters}`;
  if (!q.cursor) return sql`${select} ORDER BY ${stageOrder}, ${dealOrder} LIMIT ${limit}`;
  const [pp, pid, sp, sid, status, closeKey] = q.cursor.value as StageKey;
  // The rest of the cursor's stage, then the stages after it: two index walks, read in that order.
  return sql`SELECT * FROM (${select} AND s.id = ${sid}
      AND (d.status, d.close_key, d.id) ${op} (${status}, ${closeKey}, ${q.cursor.id})
      ORDER BY ${dealOrder} LIMIT ${limit})
    UNION ALL
    SELECT * FROM (${select}
      AND (s.pipeline_position, s.pipeline_id, s.position, s.id) ${op} (${pp}, ${pid}, ${sp}, ${sid})
      ORDER BY ${stageOrder}, ${dealOrder} LIMIT ${limit})
    LIMIT ${limit}`;
}

/**
 * The filtered set's count and amount per currency, over at most FOOTER_BOUND + 1 deals (the +1 tells
 * that there are more). Read on deals_tenant_updated_idx's tenant range; bounded whatever the size.
 */
export function dealsFooterQuery(t: TenantDb, f: DealListFilters): SQL {
  return sql`SELECT json_group_array(json_object('currency', currency, 'deals', n, 'amountMinor', amount)) AS totals
    FROM (SELECT currency, count(*) AS n, sum(amount_minor) AS amount
      FROM (SELECT d.currency, d.amount_minor FROM deals d
        WHERE d.tenant_id = ${t.tenantId}${and(filterConditions(t, f))}
        LIMIT ${FOOTER_BOUND + 1})
      GROUP BY currency ORDER BY currency)`;
}

export interface CurrencyTotal {
  currency: string;
  deals: number;
  amountMinor: number;
}

export interface DealsFooter {
  totals: CurrencyTotal[];
  deals: number;
  /** More deals match than FOOTER_BOUND: the figures are of the first FOOTER_BOUND + 1 found. */
  approximate: boolean;
}

/** The footer from what dealsFooterQuery read. */
export function footerFromRows(rows: { totals: string }[]): DealsFooter {
  const totals = JSON.parse(rows[0]?.totals ?? "[]") as CurrencyTotal[];
  const deals = totals.reduce((n, x) => n + x.deals, 0);
  return { totals, deals, approximate: deals > FOOTER_BOUND };
}

export interface DealListPage {
  rows: DealListRow[];
  next: DealCursor | null;
  previous: DealCursor | null;
}

/** The page (rows in order, cursors) from the PAGE_SIZE + 1 rows the list query fetched. */
export function dealsPageOf(fetched: DealListRow[], q: DealListQuery): DealListPage {
  const back = q.cursor?.back ?? false;
  const more = fetched.length > DEALS_PAGE_SIZE;
  const rows = fetched.slice(0, DEALS_PAGE_SIZE);
  if (back) rows.reverse();
  const value = (r: DealListRow) => (q.sort === "stage" ? (JSON.parse(String(r.sortValue)) as StageKey) : r.sortValue);
  const at = (row: DealListRow | undefined, isBack: boolean): DealCursor | null =>
    row ? { sort: q.sort, dir: q.dir, value: value(row), id: row.id, back: isBack } : null;
  return {
    rows,
    next: (back ? true : more) ? at(rows.at(-1), false) : null,
    previous: (back ? more : q.cursor !== null) ? at(rows[0], true) : null,
  };
}

export interface DealListContext {
  pipelines: { id: number; name: string; stages: { id: number; name: string }[] }[];
  tags: { id: number; name: string; color: string }[];
  members: { userId: string; email: string }[];
  customFields: { id: number; name: string; kind: string; options: string[] }[];
  currency: string;
  locale: string;
  /** The saved views the viewer sees, in tab order, and the one they open by default. */
  savedViews: ListedView[];
  defaultViewId: number | null;
}

/** What the page shows around the rows (filters' and bulk actions' choices, the number format), as one row of JSON. */
export function dealsListContextQuery(t: TenantDb, viewer: SQL = sql`NULL`): SQL {
  const views = viewsContextSql(t, "deal", viewer);
  return sql`SELECT
    ${views.views} AS views,
    ${views.defaultView} AS defaultView,
    (SELECT json_group_array(json_object('id', p.id, 'name', p.name, 'stages',
        (SELECT json_group_array(json_object('id', id, 'name', name)) FROM (SELECT s.id, s.name FROM pipeline_stages s
          WHERE s.tenant_id = p.tenant_id AND s.pipeline_id = p.id ORDER BY s.position, s.id))))
      FROM (SELECT * FROM pipelines WHERE tenant_id = ${t.tenantId} ORDER BY position, id) p) AS pipelines,
    (SELECT json_group_array(json_object('id', id, 'name', name, 'color', color))
      FROM (SELECT id, name, color FROM tags WHERE tenant_id = ${t.tenantId} ORDER BY name_key)) AS tags,
    (SELECT json_group_array(json_object('userId', user_id, 'email', email))
      FROM (SELECT m.user_id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = ${t.tenantId} ORDER BY u.email)) AS members,
    (SELECT json_group_array(json_object('id', id, 'name', name, 'kind', kind, 'options', coalesce(options, '[]')))
      FROM (SELECT id, name, kind, options FROM custom_fields WHERE tenant_id = ${t.tenantId} AND entity = 'deal'
        ORDER BY position, id)) AS customFields,
    (SELECT currency FROM tenants WHERE id = ${t.tenantId}) AS currency,
    (SELECT locale FROM tenants WHERE id = ${t.tenantId}) AS locale`;
}

/** The context from what dealsListContextQuery read. */
export function contextFromRows(rows: Record<string, string>[]): DealListContext {
  const r = rows[0]!;
  return {
    pipelines: JSON.parse(r.pipelines ?? "[]"),
    tags: JSON.parse(r.tags ?? "[]"),
    members: JSON.parse(r.members ?? "[]"),
    customFields: (JSON.parse(r.customFields ?? "[]") as { options: string }[]).map((f) => ({
      ...f,
      options: JSON.parse(f.options) as string[],
    })) as DealListContext["customFields"],
    currency: r.currency ?? "USD",
    locale: r.locale ?? "en-US",
    ...listedViews(r.views ?? "[]", r.defaultView == null ? null : Number(r.defaultView)),
  };
}

const ROW_FIELDS = [
  "id",
  "name",
  "amountMinor",
  "currency",
  "status",
  "closeDate",
  "ownerId",
  "updatedAt",
  "companyId",
  "companyName",
  "stageName",
  "pipelineName",
  "sortValue",
] as const satisfies readonly (keyof DealListRow)[];

/**
 * Everything the list page reads, as the statements of ONE batch (the page, the footer, the context);
 * the route adds the session check to it (withSessionBatch). Read them with dealsListFromResults.
 */
export function dealsListStatements(t: TenantDb, q: DealListQuery, viewer: SQL = sql`NULL`) {
  return [
    selectFrom(t.db, dealsListQuery(t, q), ROW_FIELDS),
    selectFrom(t.db, dealsFooterQuery(t, q), ["totals"]),
    selectFrom(t.db, dealsListContextQuery(t, viewer), [
      "views",
      "defaultView",
      "pipelines",
      "tags",
      "members",
      "customFields",
      "currency",
      "locale",
    ]),
  ] as const;
}

/** The page, footer and context from dealsListStatements' results (one more read only past the start). */
export async function dealsListFromResults(t: TenantDb, q: DealListQuery, results: readonly unknown[]) {
  const [fetched, footer, context] = results as [DealListRow[], { totals: string }[], Record<string, string>[]];
  let page = dealsPageOf(fetched, q);
  // Nothing before the cursor any more (those deals went): start from the beginning.
  if (q.cursor?.back && fetched.length === 0)
    page = dealsPageOf(await t.db.all<DealListRow>(dealsListQuery(t, { ...q, cursor: null })), { ...q, cursor: null });
  return { page, footer: footerFromRows(footer), context: contextFromRows(context) };
}

/** Deals one "select all matching" reaches in a request: four chunks of DEAL_BULK_MAX_IDS. */
export const DEAL_MATCHING_MAX = 2_000;

/** The ids of the deals matching the filters, in id order after `afterId`, at most `limit` (all bound). */
export function dealMatchingIdsQuery(t: TenantDb, f: DealListFilters, afterId: number, limit: number): SQL {
  return sql`SELECT d.id AS id FROM deals d WHERE d.tenant_id = ${t.tenantId}${and(filterConditions(t, f))}
    AND d.id > ${afterId} ORDER BY d.id LIMIT ${limit}`;
}
