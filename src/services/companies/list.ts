/** The companies list: one page by keyset (a name prefix, a tag, three sorts), never OFFSET or COUNT(*). */
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, companyTags } from "../../db/schema";
import type { Tag } from "../records/tags";
import { COMPANY_NAME_MAX, nameSortKey } from "./form";
import type { CompanyDetails } from "./fields";

export const COMPANY_PAGE_SIZE = 50;

export const COMPANY_SORTS = ["name", "created", "updated"] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

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
}

/** A page cursor: the sort key and id of the last row shown, base64url JSON (opaque to users). */
function encodeCursor(key: string | number, id: number): string {
  return btoa(JSON.stringify([key, id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function decodeCursor(cursor: string | null, sort: CompanySort): [string | number, number] | null {
  if (!cursor || cursor.length > 1200) return null;
  try {
    const v = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || !Number.isSafeInteger(v[1])) return null;
    if (sort === "name" ? typeof v[0] !== "string" : !Number.isSafeInteger(v[0])) return null;
    return [v[0] as string | number, v[1] as number];
  } catch {
    return null;
  }
}

// The largest code point: every string that starts with a prefix sorts below prefix + this.
const PREFIX_END = "\u{10FFFF}";

/**
 * One page of companies by keyset: the sort key and id of the last row of the previous page, never
 * OFFSET, and no COUNT(*). Each sort has an index that starts (tenant_id, key, id); a name prefix is
 * a range on the name index, so searching sorts by name.
 */
export async function listCompanies(
  t: TenantDb,
  params: CompanyListParams,
): Promise<{ rows: (CompanyRow & { tags: Tag[] })[]; nextCursor: string | null }> {
  const q = nameSortKey(params.q.trim()).slice(0, COMPANY_NAME_MAX);
  const sort: CompanySort = q ? "name" : params.sort;
  const key = sort === "name" ? companies.nameSort : sort === "created" ? companies.createdAt : companies.updatedAt;
  const after = decodeCursor(params.cursor, sort);
  const desc_ = params.dir === "desc";
  const conditions: (SQL | undefined)[] = [];
  if (q) conditions.push(sql`${companies.nameSort} >= ${q}`, sql`${companies.nameSort} < ${q + PREFIX_END}`);
  if (after)
    conditions.push(
      desc_
        ? sql`(${key}, ${companies.id}) < (${after[0]}, ${after[1]})`
        : sql`(${key}, ${companies.id}) > (${after[0]}, ${after[1]})`,
    );
  if (params.tagId !== null) {
    conditions.push(
      sql`${companies.id} IN (SELECT ${companyTags.companyId} FROM ${companyTags}
        WHERE ${companyTags.tenantId} = ${t.tenantId} AND ${companyTags.tagId} = ${params.tagId})`,
    );
  }
  const order = desc_ ? [desc(key), desc(companies.id)] : [asc(key), asc(companies.id)];
  const rows = await t.db
    .select({
      id: companies.id,
      name: companies.name,
      nameSort: companies.nameSort,
      domain: companies.domain,
      industry: companies.industry,
      size: companies.size,
      phone: companies.phone,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
      // The row's tags as JSON, so a page costs one query however many tags it shows.
      // Written with aliases: drizzle leaves columns unqualified in a one-table select.
      tags: sql<string>`(SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color))
        FROM (SELECT tg.id AS id, tg.name AS name, tg.color AS color
              FROM company_tags ct JOIN tags tg ON tg.id = ct.tag_id
              WHERE ct.tenant_id = ${t.tenantId} AND ct.company_id = companies.id ORDER BY tg.name_key) t)`,
    })
    .from(companies)
    .where(t.where(companies, ...conditions))
    .orderBy(...order)
    .limit(COMPANY_PAGE_SIZE + 1);
  const page = rows.slice(0, COMPANY_PAGE_SIZE);
  const last = page[page.length - 1];
  const lastKey = last
    ? sort === "name"
      ? last.nameSort
      : sort === "created"
        ? last.createdAt
        : last.updatedAt
    : null;
  return {
    rows: page.map(({ nameSort: _n, tags: tagJson, ...r }) => ({ ...r, tags: JSON.parse(tagJson) as Tag[] })),
    nextCursor: rows.length > COMPANY_PAGE_SIZE && last && lastKey !== null ? encodeCursor(lastKey, last.id) : null,
  };
}
