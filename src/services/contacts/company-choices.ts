/**
 * The contact form's company combobox: the workspace's companies whose name contains what was typed
 * (instr on the lower-cased name, walking companies_tenant_name order; no LIKE pattern to escape), and
 * whether one is named exactly that, so the form offers "Create company" only for a new name.
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
}

/** The workspace's companies matching `query` (at most 100 characters), by name. */
export async function companyOptions(t: TenantDb, query: string): Promise<CompanyOptions> {
  const typed = query.trim().slice(0, 100);
  const key = nameSortKey(typed);
  const [hits, exact] = await Promise.all([
    t.db.all<{ id: number; name: string }>(sql`
      SELECT id, name FROM companies WHERE tenant_id = ${t.tenantId} AND instr(name_sort, ${key}) > 0
      ORDER BY name_sort, id LIMIT ${COMPANY_OPTIONS_LIMIT}`),
    t.db.all<{ id: number }>(sql`
      SELECT id FROM companies WHERE tenant_id = ${t.tenantId} AND name_sort = ${key} LIMIT 1`),
  ]);
  return { query: typed, hits, exact: exact.length > 0 };
}
