/**
 * The companies list: one page by keyset (a name prefix, a tag, five sorts), never OFFSET; its count from
 * the tenant's counter, or for a filtered list a count bounded at COMPANY_COUNT_BOUND + 1 rows.
 */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, companyTags, tenantCounters } from "../../db/schema";
import { isCalendarDate } from "../../lib/zoned-time";
import { nullsLastReads, type SegmentRead } from "../records/nulls-last";
import type { Tag } from "../records/tags";
import { COMPANY_NAME_MAX, nameSortKey } from "./form";
import type { CompanyDetails } from "./fields";

export const COMPANY_PAGE_SIZE = 50;
/** A filtered list is counted up to this many matches; beyond, the pager says "over". */
export const COMPANY_COUNT_BOUND = 10_000;

export const COMPANY_SORTS = ["name", "created", "updated", "contacted", "next_task"] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

// Each sort is one index: (tenant_id, <column>, id). Last contacted and the next task may be null:
// those companies come last either way (records/nulls-last.ts).
const SORT_COLUMNS = {
  name: companies.nameSort,
  created: companies.createdAt,
  updated: companies.updatedAt,
  contacted: companies.lastContactedAt,
  next_task: companies.nextTaskDue,
} as const;
const NULLABLE: ReadonlySet<CompanySort> = new Set(["contacted", "next_task"]);

export interface CompanyListParams {
  sort: CompanySort;
  dir: "asc" | "desc";
  /** A name prefix, matched on the name index (lower-cased). */
  q: string;
  tagId: number | null;
  cursor: string | null;
}

export interface CompanyRow extends Omit<CompanyDetails, "address"> {
  id: number;
  updatedAt: number;
  createdAt: number;
  lastContactedAt: number | null;
  /** A calendar date ('YYYY-MM-DD'), kept by the tasks. */
  nextTaskDue: string | null;
}

/** A page cursor: the sort key and id of the last row shown, base64url JSON (opaque to users). */
function encodeCursor(key: string | number | null, id: number): string {
  // UTF-8 first: btoa takes Latin-1 only, and a name such as "Łukasiewicz" made the list answer 500.
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([key, id])));
}

function decodeCursor(cursor: string | null, sort: CompanySort): [string | number | null, number] | null {
  if (!cursor || cursor.length > 1200) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      decodeBase64urlIgnorePadding(cursor),
    );
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || !Number.isSafeInteger(v[1])) return null;
    const key = v[0] as unknown;
    const valid =
      key === null
        ? NULLABLE.has(sort)
        : sort === "name"
          ? typeof key === "string"
          : sort === "next_task"
            ? typeof key === "string" && isCalendarDate(key)
            : Number.isSafeInteger(key);
    if (!valid) return null;
    return [key as string | number | null, v[1] as number];
  } catch {
    return null;
  }
}

// The largest code point: every string that starts with a prefix sorts below prefix + this.
const PREFIX_END = "\u{10FFFF}";

/**
 * One page of companies by keyset: the sort key and id of the last row of the previous page, never
 * OFFSET, and no COUNT(*). Each sort has an index that starts (tenant_id, key, id); a name prefix is
 * a range on the name index, and a search keeps the chosen sort (as the contacts list does). A sort on a
 * column that may be null reads the rows with a value, then those without, in one batch.
 */
export async function listCompanies(
  t: TenantDb,
  params: CompanyListParams,
): Promise<{ rows: (CompanyRow & { tags: Tag[] })[]; nextCursor: string | null; count: number }> {
  const q = nameSortKey(params.q.trim()).slice(0, COMPANY_NAME_MAX);
  const sort = params.sort;
  // A search in another order than by name reads the name range and sorts its matches: the unary plus keeps
  // SQLite from walking the sort's own index (or the id's) instead, filtering the whole workspace by name.
  const byRange = q !== "" && sort !== "name";
  const key = byRange ? sql`+${SORT_COLUMNS[sort]}` : SORT_COLUMNS[sort];
  const id = byRange ? sql`+${companies.id}` : companies.id;
  const after = decodeCursor(params.cursor, sort);
  const desc_ = params.dir === "desc";
  const conditions: (SQL | undefined)[] = [];
  if (q) conditions.push(sql`${companies.nameSort} >= ${q}`, sql`${companies.nameSort} < ${q + PREFIX_END}`);
  if (params.tagId !== null) {
    conditions.push(
      sql`${companies.id} IN (SELECT ${companyTags.companyId} FROM ${companyTags}
        WHERE ${companyTags.tenantId} = ${t.tenantId} AND ${companyTags.tagId} = ${params.tagId})`,
    );
  }
  const reads: SegmentRead[] = NULLABLE.has(sort)
    ? nullsLastReads(key, id, params.dir, after ? { value: after[0], id: after[1], back: false } : null)
    : [
        {
          where: after
            ? [
                desc_
                  ? sql`(${key}, ${id}) < (${after[0]}, ${after[1]})`
                  : sql`(${key}, ${id}) > (${after[0]}, ${after[1]})`,
              ]
            : [],
          orderBy: desc_ ? [desc(key), desc(id)] : [asc(key), asc(id)],
        },
      ];
  const [first, ...rest] = reads.map((read) =>
    t.db
      .select({
        id: companies.id,
        name: companies.name,
        domain: companies.domain,
        industry: companies.industry,
        size: companies.size,
        phone: companies.phone,
        createdAt: companies.createdAt,
        updatedAt: companies.updatedAt,
        lastContactedAt: companies.lastContactedAt,
        nextTaskDue: companies.nextTaskDue,
        sortKey: sql<string | number | null>`${key}`.as("sort_key"),
        // The row's tags as JSON, so a page costs one query however many tags it shows.
        // Written with aliases: drizzle leaves columns unqualified in a one-table select.
        tags: sql<string>`(SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color))
        FROM (SELECT tg.id AS id, tg.name AS name, tg.color AS color
              FROM company_tags ct JOIN tags tg ON tg.id = ct.tag_id
              WHERE ct.tenant_id = ${t.tenantId} AND ct.company_id = companies.id ORDER BY tg.name_key) t)`,
      })
      .from(companies)
      .where(t.where(companies, ...conditions, ...read.where))
      .orderBy(...read.orderBy)
      .limit(COMPANY_PAGE_SIZE + 1),
  );
  const filtered = conditions.length > 0;
  // The count rides in the same batch: the counter, or a bounded count of the filters' matches.
  const count = t.db
    .select({
      n: filtered
        ? sql<number>`(SELECT count(*) FROM (SELECT 1 FROM ${companies}
            WHERE ${t.where(companies, ...conditions)} LIMIT ${COMPANY_COUNT_BOUND + 1}))`
        : sql<number>`(SELECT ${tenantCounters.companies} FROM ${tenantCounters}
            WHERE ${tenantCounters.tenantId} = ${t.tenantId})`,
    })
    .from(sql`(SELECT 1)`);
  const results = await t.db.batch([count, first!, ...rest]);
  const counted = (results[0] as { n: number | null }[])[0]?.n ?? 0;
  const rows = (results.slice(1) as Awaited<NonNullable<typeof first>>[]).flat().slice(0, COMPANY_PAGE_SIZE + 1);
  const page = rows.slice(0, COMPANY_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ sortKey: _k, tags: tagJson, ...r }) => ({ ...r, tags: JSON.parse(tagJson) as Tag[] })),
    nextCursor: rows.length > COMPANY_PAGE_SIZE && last ? encodeCursor(last.sortKey, last.id) : null,
    count: counted,
  };
}
