/**
 * What people added to a record an import created: tasks, logged calls/meetings/emails, notes of their own, deals
 * (a contact on a deal, a company's deals). None of these touch the record's own `updated_at`, so an undo that
 * looked only at that deleted the record with the work (the task, the deal's link) hanging off it.
 */
import { sql, type SQL } from "drizzle-orm";

export type WorkSubject = "contact" | "company" | "deal";

/** The columns a current-record read adds for `alias` (a row of `type`'s table): see laterWorkReason. */
export function laterWorkColumns(tenantId: string, type: WorkSubject, alias: string): SQL {
  const id = sql.raw(`${alias}.id`);
  // The tenant condition written out in each statement, where the raw-SQL check reads it.
  const on = sql`subject_type = ${type} AND subject_id = ${id}`;
  // An import writes no tasks, interactions or deal links of a record it created; its own note has the
  // record's write time, so only later notes count.
  const deals =
    type === "contact"
      ? sql`EXISTS (SELECT 1 FROM deal_contacts WHERE tenant_id = ${tenantId} AND contact_id = ${id})`
      : type === "company"
        ? sql`EXISTS (SELECT 1 FROM deals WHERE tenant_id = ${tenantId} AND company_id = ${id})`
        : sql`0`;
  return sql`EXISTS (SELECT 1 FROM tasks WHERE tenant_id = ${tenantId} AND ${on}) AS work_tasks,
    EXISTS (SELECT 1 FROM interactions WHERE tenant_id = ${tenantId} AND ${on}) AS work_interactions,
    (SELECT max(created_at) FROM notes WHERE tenant_id = ${tenantId} AND ${on}) AS work_note_at,
    ${deals} AS work_deals`;
}

/** A row read with laterWorkColumns. */
export interface LaterWork {
  work_tasks: number;
  work_interactions: number;
  work_note_at: number | null;
  work_deals: number;
}

/** Why a created record is kept by the undo because of work added since `writtenAt`, or null. */
export function laterWorkReason(row: LaterWork, type: WorkSubject, writtenAt: number): string | null {
  const reasons: string[] = [];
  if (row.work_tasks) reasons.push("it has tasks");
  if (row.work_deals) reasons.push(type === "contact" ? "it is on a deal" : "it has deals");
  if (row.work_interactions) reasons.push("calls, meetings or emails were logged");
  if (row.work_note_at !== null && row.work_note_at > writtenAt) reasons.push("notes were added");
  return reasons.length ? reasons.join(", ") : null;
}
