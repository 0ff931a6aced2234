/** Why a trashed record cannot come back now: it is back already, what it hangs on is gone, a deal has no stage. */
import { sql } from "drizzle-orm";
import type { TrashItem } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { MAIN_TABLE } from "./parts";

const SUBJECT_NAMES = { contact: "contact", company: "company", deal: "deal" } as const;

/** Why the record cannot come back now, or null. */
export async function refusal(t: TenantDb, item: TrashItem): Promise<string | null> {
  const main = MAIN_TABLE[item.kind];
  const [taken] = await t.db.all(
    sql`SELECT 1 FROM ${sql.identifier(main)} /* all tenants: ids are global */ WHERE id = ${item.recordId}`,
  );
  if (taken) return "It is already back.";
  if (item.subjectType && item.subjectId !== null) {
    const subject = SUBJECT_NAMES[item.subjectType];
    const [live] = await t.db.all(
      sql`SELECT 1 FROM ${sql.identifier(MAIN_TABLE[item.subjectType])} WHERE tenant_id = ${t.tenantId}
        AND id = ${item.subjectId}`,
    );
    if (!live) {
      const [trashed] = await t.db.all<{ title: string }>(
        sql`SELECT title FROM trash_items WHERE tenant_id = ${t.tenantId} AND kind = ${item.subjectType}
          AND record_id = ${item.subjectId}`,
      );
      return trashed
        ? `Its ${subject} ${trashed.title} is in the trash too: restore the ${subject} first.`
        : `Its ${subject} no longer exists, so it cannot come back.`;
    }
  }
  if (item.kind === "deal") {
    const [stage] = await t.db.all(sql`SELECT 1 FROM pipeline_stages WHERE tenant_id = ${t.tenantId} LIMIT 1`);
    if (!stage) return "The workspace has no pipeline stage to put the deal in: add a pipeline first.";
  }
  return null;
}
