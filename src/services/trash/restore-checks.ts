/** Why a trashed record cannot come back now (it is back already, what it hangs on is gone, a deal has no stage), and where it is seen. */
import { sql } from "drizzle-orm";
import type { SubjectType, TrashItem } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { MAIN_TABLE } from "./parts";

const SUBJECT_PATHS = { contact: "/app/contacts", company: "/app/companies", deal: "/app/deals" } as const;
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

/**
 * Where the record of trash item `itemId` is, when a restore already brought it back and it is still there (a second
 * Undo, a re-posted form), from the restore's audit entry; null when it is not (or never was) back.
 */
export async function alreadyRestoredPath(t: TenantDb, itemId: number): Promise<string | null> {
  const [entry] = await t.db.all<{ kind: TrashItem["kind"]; id: number }>(
    sql`SELECT target_type AS kind, CAST(target_id AS INTEGER) AS id FROM audit_log WHERE tenant_id = ${t.tenantId}
      AND action = 'record.restored' AND json_extract(detail, '$.trash_item') = ${itemId} ORDER BY id DESC LIMIT 1`,
  );
  if (!entry || !(entry.kind in MAIN_TABLE)) return null;
  const subject = entry.kind === "note" || entry.kind === "task" ? sql`subject_type, subject_id` : sql`NULL, NULL`;
  const [live] = await t.db.all<{ subject_type: SubjectType | null; subject_id: number | null }>(
    sql`SELECT ${subject} FROM ${sql.identifier(MAIN_TABLE[entry.kind])} WHERE tenant_id = ${t.tenantId}
      AND id = ${entry.id}`,
  );
  if (!live) return null;
  return recordPath({
    kind: entry.kind,
    recordId: entry.id,
    subjectType: live.subject_type,
    subjectId: live.subject_id,
  });
}

/** Where the restored record is seen. */
export function recordPath(item: Pick<TrashItem, "kind" | "recordId" | "subjectType" | "subjectId">): string {
  if (item.kind === "note" || item.kind === "task") {
    if (item.subjectType && item.subjectId !== null) return `${SUBJECT_PATHS[item.subjectType]}/${item.subjectId}`;
    return "/app/tasks";
  }
  return `${SUBJECT_PATHS[item.kind]}/${item.recordId}`;
}
