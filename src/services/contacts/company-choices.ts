/**
 * The contact form's company combobox: the workspace's companies whose name contains what was typed
 * (no LIKE pattern to escape), the one named exactly that first, then names starting with it, then the
 * rest, so a short exact name is never pushed out of the list by longer ones that sort before it; and
 * that exact company, so the form offers "Create company" only for a new name.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { nameSortKey } from "../companies/form";

/** Companies shown per keystroke. */
export const COMPANY_OPTIONS_LIMIT = 10;

export interface CompanyOptions {
  query: string;
  hits: { id: number; name: string }[];
  /** A company of the workspace has exactly this name (any case, spaces trimmed). */
  exact: boolean;
  /** That company (the oldest, if several have the name): the first of `hits`. */
  match: { id: number; name: string } | null;
}

// The largest code point: every name that starts with a prefix sorts below prefix + this.
const PREFIX_END = "\u{10FFFF}";

/** The workspace's companies matching `query` (at most 100 characters): exact name, then prefix, then inside. */
export async function companyOptions(t: TenantDb, query: string): Promise<CompanyOptions> {
  const typed = query.trim().slice(0, 100);
  const key = nameSortKey(typed);
  // Three reads, each on companies_tenant_name_idx and each stopping at the limit: a lookup of the exact
  // name, a range of the names that start with it, and the walk for names that hold it further in.
  const hits = await t.db.all<{ id: number; name: string; rank: number }>(sql`
    SELECT id, name, rank FROM (
      SELECT * FROM (SELECT 0 AS rank, id, name, name_sort FROM companies
        WHERE tenant_id = ${t.tenantId} AND name_sort = ${key} ORDER BY id LIMIT ${COMPANY_OPTIONS_LIMIT})
      UNION ALL
      SELECT * FROM (SELECT 1 AS rank, id, name, name_sort FROM companies
        WHERE tenant_id = ${t.tenantId} AND name_sort > ${key} AND name_sort < ${key + PREFIX_END}
        ORDER BY name_sort, id LIMIT ${COMPANY_OPTIONS_LIMIT})
      UNION ALL
      SELECT * FROM (SELECT 2 AS rank, id, name, name_sort FROM companies
        WHERE tenant_id = ${t.tenantId} AND instr(name_sort, ${key}) > 1
        ORDER BY name_sort, id LIMIT ${COMPANY_OPTIONS_LIMIT})
    ) ORDER BY rank, name_sort, id LIMIT ${COMPANY_OPTIONS_LIMIT}`);
  const first = hits[0];
  const match = first && first.rank === 0 ? { id: first.id, name: first.name } : null;
  return { query: typed, hits: hits.map(({ id, name }) => ({ id, name })), exact: match !== null, match };
}
