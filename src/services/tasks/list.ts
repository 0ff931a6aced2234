/**
 * My tasks: a member's open tasks in sections by due date in the reader's zone (Overdue, Today,
 * Upcoming = the next 7 days, Later) and the latest done, each section a bounded read of
 * tasks_tenant_assignee_idx (one assignee) or tasks_tenant_status_idx (everyone's), all in one batch.
 */
import { sql, type SQL } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType, TaskKind } from "../../db/schema";
import { addDays } from "../../lib/zoned-time";

export const SECTIONS = ["overdue", "today", "upcoming", "later", "done"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Rows shown per section on the page (about a screen's worth in all, today's first); "Show all N" opens
 * one section alone with up to SECTION_ALL.
 */
export const SECTION_ROWS: Record<Section, number> = { overdue: 10, today: 25, upcoming: 10, later: 5, done: 3 };
export const SECTION_ALL = 200;

export interface TaskFilter {
  /** One member's tasks, or everyone's (null). */
  assigneeId: string | null;
  kind: TaskKind | null;
  subject: { type: SubjectType; id: number } | null;
}

export interface TaskRow {
  id: number;
  title: string;
  kind: TaskKind;
  priority: "normal" | "high";
  dueDate: string;
  dueTime: string | null;
  dueAt: number | null;
  status: "open" | "done";
  completedAt: number | null;
  assigneeId: string;
  assignee: string;
  createdBy: string | null;
  subjectType: SubjectType | null;
  subjectId: number | null;
  subjectName: string | null;
}

export type TaskSections = Record<Section, { rows: TaskRow[]; count: number }>;

/** The columns of a task row with its assignee's email and its record's name. */
export const TASK_ROW_SQL = sql`k.id, k.title, k.kind, k.priority, k.due_date AS dueDate, k.due_time AS dueTime,
  k.due_at AS dueAt, k.status, k.completed_at AS completedAt, k.assignee_id AS assigneeId,
  coalesce(u.name, u.email, 'former member') AS assignee, k.created_by AS createdBy, k.subject_type AS subjectType,
  k.subject_id AS subjectId, CASE k.subject_type
    WHEN 'contact' THEN (SELECT trim(c.first_name || ' ' || c.last_name) FROM contacts c
      WHERE c.tenant_id = k.tenant_id AND c.id = k.subject_id)
    WHEN 'company' THEN (SELECT co.name FROM companies co WHERE co.tenant_id = k.tenant_id AND co.id = k.subject_id)
    WHEN 'deal' THEN (SELECT d.name FROM deals d WHERE d.tenant_id = k.tenant_id AND d.id = k.subject_id)
  END AS subjectName`;

/** The filter's conditions besides the tenant's (which each statement names itself). */
function filterSql(f: TaskFilter): SQL {
  const parts = [sql`1`];
  if (f.assigneeId) parts.push(sql`k.assignee_id = ${f.assigneeId}`);
  if (f.kind) parts.push(sql`k.kind = ${f.kind}`);
  if (f.subject) parts.push(sql`k.subject_type = ${f.subject.type} AND k.subject_id = ${f.subject.id}`);
  return sql.join(parts, sql` AND `);
}

function rangeOf(section: Section, today: string): SQL {
  const week = addDays(today, 7);
  if (section === "overdue") return sql`k.status = 'open' AND k.due_date < ${today}`;
  if (section === "today") return sql`k.status = 'open' AND k.due_date = ${today}`;
  if (section === "upcoming") return sql`k.status = 'open' AND k.due_date > ${today} AND k.due_date <= ${week}`;
  if (section === "later") return sql`k.status = 'open' AND k.due_date > ${week}`;
  return sql`k.status = 'done'`;
}

/** The statement reading one section's rows. */
function sectionRows(t: TenantDb, f: TaskFilter, section: Section, today: string, limit: number): SQL {
  const order =
    section === "done" ? sql`k.due_date DESC, k.id DESC` : sql`k.due_date, k.due_time IS NULL, k.due_time, k.id`;
  return sql`SELECT ${TASK_ROW_SQL} FROM tasks k LEFT JOIN users u ON u.id = k.assignee_id
    WHERE k.tenant_id = ${t.tenantId} AND ${filterSql(f)} AND ${rangeOf(section, today)} ORDER BY ${order} LIMIT ${limit}`;
}

/** The sections of the filter's tasks (or only `only`, with more rows) for a reader whose day is `today`. */
export async function listTaskSections(
  t: TenantDb,
  f: TaskFilter,
  today: string,
  only: Section | null = null,
): Promise<TaskSections> {
  const shown = only ? [only] : [...SECTIONS];
  const week = addDays(today, 7);
  const statements = [
    sql`SELECT sum(k.due_date < ${today}) AS overdue, sum(k.due_date = ${today}) AS today,
      sum(k.due_date > ${today} AND k.due_date <= ${week}) AS upcoming, sum(k.due_date > ${week}) AS later
      FROM tasks k WHERE k.tenant_id = ${t.tenantId} AND ${filterSql(f)} AND k.status = 'open'`,
    sql`SELECT count(*) AS done FROM tasks k WHERE k.tenant_id = ${t.tenantId} AND ${filterSql(f)} AND k.status = 'done'`,
    ...shown.map((s) => sectionRows(t, f, s, today, only ? SECTION_ALL : SECTION_ROWS[s])),
  ];
  const [counts, done, ...rows] = await runRawBatchRows(t.db, statements);
  const c: Record<string, unknown> = { ...counts![0], done: done![0]!.done };
  const out = {} as TaskSections;
  for (const s of SECTIONS) out[s] = { rows: [], count: Number(c[s] ?? 0) };
  shown.forEach((s, i) => {
    out[s].rows = rows[i] as unknown as TaskRow[];
  });
  return out;
}

/** A record's open tasks (and the few latest done), for its page. */
export async function recordTasks(t: TenantDb, type: SubjectType, id: number): Promise<TaskRow[]> {
  return t.db.all<TaskRow>(sql`SELECT ${TASK_ROW_SQL} FROM tasks k LEFT JOIN users u ON u.id = k.assignee_id
    WHERE k.tenant_id = ${t.tenantId} AND k.subject_type = ${type} AND k.subject_id = ${id}
    ORDER BY k.status = 'done', CASE WHEN k.status = 'open' THEN k.due_date END, k.completed_at DESC, k.id LIMIT 30`);
}

/** How many open tasks the user has due today or earlier: the navigation's badge. */
export async function dueTaskCount(t: TenantDb, userId: string, today: string): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM tasks WHERE tenant_id = ${t.tenantId}
    AND assignee_id = ${userId} AND status = 'open' AND due_date <= ${today}`);
  return row?.n ?? 0;
}

/** Some tasks by id, as rows (the ones a page just changed). */
export async function taskRowsById(t: TenantDb, ids: number[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return t.db.all<TaskRow>(sql`SELECT ${TASK_ROW_SQL} FROM tasks k LEFT JOIN users u ON u.id = k.assignee_id
    WHERE k.tenant_id = ${t.tenantId} AND k.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
}
