/**
 * Tasks as the API reads them (the webhook payload's field names: subject_type and subject_id for the linked
 * record, ISO 8601 times, calendar dates as `YYYY-MM-DD`): one page of the keyset list with My tasks' filters
 * (open or done, due before or after a date, assignee, linked record, `updated_since`) and one task. Writes go
 * through src/services/tasks/write.ts.
 */
import { asc, eq, gt, gte, lte, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { tasks, tenants, type SubjectType, type Task } from "../../db/schema";

type TaskStatus = Task["status"];
import { isoTime } from "../export/serialise";
import { getTask } from "../tasks/write";

/** A task as the API answers it. */
export interface ApiTask {
  id: number;
  title: string;
  description: string | null;
  kind: Task["kind"];
  priority: Task["priority"];
  due_date: string;
  due_time: string | null;
  time_zone: string;
  due_at: string | null;
  remind_lead: number | null;
  assignee_id: string;
  subject_type: SubjectType | null;
  subject_id: number | null;
  status: TaskStatus;
  repeat: { unit: NonNullable<Task["repeatUnit"]>; every: number } | null;
  completed_at: string | null;
  completed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiTaskQuery {
  status: TaskStatus | null;
  /** Due on or before / on or after these calendar dates. */
  dueBefore: string | null;
  dueAfter: string | null;
  assigneeId: string | null;
  subject: { type: SubjectType; id: number } | null;
  updatedSince: number | null;
  afterId: number;
  limit: number;
}

/** A task row in the API's shape. */
export function toApiTask(row: Task): ApiTask {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    kind: row.kind,
    priority: row.priority,
    due_date: row.dueDate,
    due_time: row.dueTime,
    time_zone: row.timeZone,
    due_at: row.dueAt === null ? null : isoTime(row.dueAt),
    remind_lead: row.remindLead,
    assignee_id: row.assigneeId,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    status: row.status,
    repeat: row.repeatUnit ? { unit: row.repeatUnit, every: row.repeatEvery ?? 1 } : null,
    completed_at: row.completedAt === null ? null : isoTime(row.completedAt),
    completed_by: row.completedBy,
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
  };
}

/** One task of the workspace, or null (another workspace's id is not found). */
export async function getApiTask(t: TenantDb, id: number): Promise<ApiTask | null> {
  const row = await getTask(t, id);
  return row ? toApiTask(row) : null;
}

/** One page of tasks by id: `limit` tasks and the id to continue after, or null on the last page. */
export async function listApiTasks(
  t: TenantDb,
  q: ApiTaskQuery,
): Promise<{ records: ApiTask[]; nextAfterId: number | null }> {
  const conditions: SQL[] = [gt(tasks.id, q.afterId)];
  if (q.status !== null) conditions.push(eq(tasks.status, q.status));
  if (q.dueBefore !== null) conditions.push(lte(tasks.dueDate, q.dueBefore));
  if (q.dueAfter !== null) conditions.push(gte(tasks.dueDate, q.dueAfter));
  if (q.assigneeId !== null) conditions.push(eq(tasks.assigneeId, q.assigneeId));
  if (q.subject !== null) conditions.push(eq(tasks.subjectType, q.subject.type), eq(tasks.subjectId, q.subject.id));
  if (q.updatedSince !== null) conditions.push(gte(tasks.updatedAt, q.updatedSince));
  const rows = await t.db
    .select()
    .from(tasks)
    .where(t.where(tasks, ...conditions))
    .orderBy(asc(tasks.id))
    .limit(q.limit + 1);
  const records = rows.slice(0, q.limit).map(toApiTask);
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}

/** The workspace's time zone: a key is nobody's, so the due times it sends are read in it. */
export async function workspaceTimeZone(t: TenantDb): Promise<string> {
  const [row] = await t.db.select({ zone: tenants.timeZone }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return row?.zone ?? "UTC";
}
