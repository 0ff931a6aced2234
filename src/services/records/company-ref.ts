/**
 * The company a contact or deal is saved with, read inside the save's own write rather than from the check
 * before it: a company renamed in between gives its new name, and one deleted or merged away in between fails
 * the write whole (nothing written) with CompanyGoneError, which the form and the API answer as the field's
 * error, never the foreign key's 500.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { failedWith } from "../billing/errors";

/** The message by the company field, as checkReferences gives it for a company that is not the workspace's. */
export const COMPANY_GONE_MESSAGE = "Choose a company from the list.";

/** Thrown by a save whose company was deleted (or merged away) after it was checked; the save wrote nothing. */
export class CompanyGoneError extends Error {
  constructor() {
    super(COMPANY_GONE_MESSAGE);
    this.name = "CompanyGoneError";
  }
}

/** One column of the workspace's company `id` as the write finds it; NULL when it is gone (so no foreign key fails). */
export function companyColumn(t: TenantDb, id: number, column: "id" | "name" | "name_sort"): SQL {
  return sql`(SELECT ${sql.raw(column)} FROM companies WHERE tenant_id = ${t.tenantId} AND id = ${id})`;
}

/**
 * `value` for a NOT NULL column while the company `id` (null: none) is still the workspace's, else NULL: the
 * statement then fails on that column and its batch rolls back; companyGone() tells that failure.
 */
export function whileCompanyExists(t: TenantDb, id: number | null, value: unknown): unknown {
  if (id === null) return value;
  return sql`CASE WHEN EXISTS (SELECT 1 FROM companies WHERE tenant_id = ${t.tenantId} AND id = ${id}) THEN ${value} END`;
}

/** Whether `err` is the failure of the guarded NOT NULL `column` ("contacts.company_sort"): the company was gone. */
export function companyGone(err: unknown, column: string): boolean {
  return failedWith(err, `NOT NULL constraint failed: ${column}`);
}

/** The write's result, or CompanyGoneError when it failed on the guarded `column`. */
export async function companyGuarded<T>(write: Promise<T>, column: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw companyGone(err, column) ? new CompanyGoneError() : err;
  }
}
