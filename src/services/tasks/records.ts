/** The name of the record a task is linked to, as pages show it. */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType } from "../../db/schema";

export async function recordName(t: TenantDb, type: SubjectType, id: number): Promise<string | null> {
  const read =
    type === "contact"
      ? sql`SELECT trim(first_name || ' ' || last_name) AS name FROM contacts WHERE tenant_id = ${t.tenantId} AND id = ${id}`
      : type === "company"
        ? sql`SELECT name FROM companies WHERE tenant_id = ${t.tenantId} AND id = ${id}`
        : sql`SELECT name FROM deals WHERE tenant_id = ${t.tenantId} AND id = ${id}`;
  const [row] = await t.db.all<{ name: string }>(read);
  return row?.name ?? null;
}
