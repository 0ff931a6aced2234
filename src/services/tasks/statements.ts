/**
 * Statements every task write puts in its batch: the linked record's next_task_due (the earliest open
 * task's due date, read through tasks_tenant_subject_idx, never a scan) and timeline entries.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { tasks, type SubjectType } from "../../db/schema";
import { inJsonList } from "../../db/sql";

const LISTED: Partial<Record<SubjectType, string>> = { contact: "contacts", company: "companies" };

/** Sets next_task_due of the records (contacts or companies) from their open tasks; deals keep none. */
export function nextTaskDueUpdate(t: TenantDb, type: SubjectType | null, ids: number[]): SQL | null {
  const table = type ? LISTED[type] : undefined;
  if (!table || ids.length === 0) return null;
  return sql`UPDATE ${sql.identifier(table)} SET next_task_due = (
      SELECT min(k.due_date) FROM tasks k WHERE k.tenant_id = ${t.tenantId} AND k.subject_type = ${type}
        AND k.subject_id = ${sql.identifier(table)}.id AND k.status = 'open')
    WHERE tenant_id = ${t.tenantId} AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** The same for every record some tasks (by id) are linked to, read before the change from the tasks themselves. */
export function nextTaskDueOfTasks(t: TenantDb, taskIds: number[]): SQL[] {
  const list = JSON.stringify(taskIds);
  return (["contact", "company"] as const).map(
    (type) => sql`UPDATE ${sql.identifier(LISTED[type]!)} SET next_task_due = (
        SELECT min(k.due_date) FROM tasks k WHERE k.tenant_id = ${t.tenantId} AND k.subject_type = ${type}
          AND k.subject_id = ${sql.identifier(LISTED[type]!)}.id AND k.status = 'open')
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT subject_id FROM tasks WHERE tenant_id = ${t.tenantId}
        AND subject_type = ${type} AND id IN (SELECT value FROM json_each(${list})))`,
  );
}

/**
 * Timeline entries on the linked records of some tasks, written only for the tasks that `guard` holds
 * for after the batch's earlier statements (so a completion that lost a race writes no entry).
 */
export function taskTimelineEntries(
  t: TenantDb,
  taskIds: number[],
  kind: "task_completed" | "task_reopened" | "task_added",
  actorId: string | null,
  now: number,
  guard: SQL,
): SQL {
  return sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
    SELECT tenant_id, subject_type, subject_id, ${actorId}, ${kind}, json_object('task', json_array(NULL, title)), ${now}
    FROM tasks WHERE tenant_id = ${t.tenantId} AND id IN (SELECT value FROM json_each(${JSON.stringify(taskIds)}))
      AND subject_type IS NOT NULL AND ${guard}`;
}

/**
 * Deletes the tasks linked to some records, for the records' deletion (or erasure, or an import's undo)
 * batch; their reminders and bell entries go with them (ON DELETE CASCADE).
 */
export function deleteTasksOfStatements(t: TenantDb, type: SubjectType, ids: number[]) {
  return [t.delete(tasks, eq(tasks.subjectType, type), inJsonList(tasks.subjectId, ids))];
}
