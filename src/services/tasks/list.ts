/**
 * My tasks: a member's open tasks in sections by their day in the reader's zone (Overdue, Today,
 * Upcoming = the next 7 days, Later: due-day.ts) and the latest done, each section a bounded read of
 * tasks_tenant_assignee_idx (one assignee) or tasks_tenant_status_idx (everyone's), all in one batch.
 */
import { sql, type SQL } from "drizzle-orm";
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType, TaskKind } from "../../db/schema";
import { addDays } from "../../lib/zoned-time";
import { dueBefore, dueFrom, readerDueDate } from "./due-day";
import { contactNameSql } from "../contacts/names";
import { ownersQuery, type Member } from "../records/workspace";

export const SECTIONS = ["overdue", "today", "upcoming", "later", "done"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Rows shown per section on the page (about a screen's worth in all, today's first); "Show all N" opens
 * one section alone, SECTION_ALL a page, paged by keyset (SectionCursor) in the section's order.
 */
export const SECTION_ROWS: Record<Section, number> = { overdue: 10, today: 25, upcoming: 10, later: 5, done: 3 };
export const SECTION_ALL = 200;

/**
 * Where a section's page starts: after the last task of the page before, by the section's SQL order (due date,
 * timed before dated, time, id; Done by when each was completed, the latest first, then id).
 */
export type SectionCursor =
  | { dueDate: string; dueTime: string | null; id: number }
  | { completedAt: number; id: number };

/** The cursor as its URL parameter: "2026-05-04_14:30_12" (open), "1780000000000_12" (done). */
export const encodeSectionCursor = (c: SectionCursor) =>
  "completedAt" in c ? `${c.completedAt}_${c.id}` : `${c.dueDate}_${c.dueTime ?? ""}_${c.id}`;

/** The URL parameter read back; null for anything else (the first page). */
export function decodeSectionCursor(raw: string | undefined): SectionCursor | null {
  const done = /^(\d{1,15})_(\d{1,15})$/.exec(raw ?? "");
  if (done) return { completedAt: Number(done[1]), id: Number(done[2]) };
  const m = /^(\d{4}-\d{2}-\d{2})_(\d{2}:\d{2})?_(\d{1,15})$/.exec(raw ?? "");
  return m ? { dueDate: m[1]!, dueTime: m[2] ?? null, id: Number(m[3]) } : null;
}

/** The cursor after `r` in `section`'s order. */
const cursorOf = (section: Section, r: TaskRow): SectionCursor =>
  section === "done"
    ? { completedAt: r.completedAt ?? 0, id: r.id }
    : { dueDate: r.dueDate, dueTime: r.dueTime, id: r.id };

export interface TaskFilter {
  /** One member's tasks (their id, or SQL naming them: the signed-in user read from the session), or everyone's (null). */
  assigneeId: string | SQL | null;
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
    WHEN 'contact' THEN (SELECT ${sql.raw(contactNameSql("c"))} FROM contacts c
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

/** The reader's day: their calendar date and zone. */
export interface ReaderDay {
  today: string;
  zone: string;
}

function rangeOf(section: Section, { today, zone }: ReaderDay): SQL {
  const [tomorrow, week] = [addDays(today, 1), addDays(today, 8)];
  if (section === "overdue") return sql`k.status = 'open' AND ${dueBefore(today, zone)}`;
  if (section === "today") return sql`k.status = 'open' AND ${dueFrom(today, zone)} AND ${dueBefore(tomorrow, zone)}`;
  if (section === "upcoming") return sql`k.status = 'open' AND ${dueFrom(tomorrow, zone)} AND ${dueBefore(week, zone)}`;
  if (section === "later") return sql`k.status = 'open' AND ${dueFrom(week, zone)}`;
  return sql`k.status = 'done'`;
}

/** The tasks after `after` in the section's order (sectionIds' ORDER BY, as a row value); another section's: all. */
function afterSql(section: Section, after: SectionCursor | null): SQL {
  if (!after || (section === "done") !== "completedAt" in after) return sql`1`;
  if ("completedAt" in after) return sql`(k.completed_at, k.id) < (${after.completedAt}, ${after.id})`;
  return sql`(k.due_date, k.due_time IS NULL, coalesce(k.due_time, ''), k.id)
    > (${after.dueDate}, ${after.dueTime === null ? 1 : 0}, ${after.dueTime ?? ""}, ${after.id})`;
}

/** One section's task ids, in the section's order, as a subquery tagged with the section's name. */
function sectionIds(
  t: TenantDb,
  f: TaskFilter,
  section: Section,
  today: ReaderDay,
  limit: number,
  after: SectionCursor | null = null,
): SQL {
  // Done walks tasks_tenant_assignee_done_idx or tasks_tenant_done_idx newest first (migration 0045); one record's
  // (`+`: not by that order) are read from tasks_tenant_subject_idx and sorted, rather than found among the
  // workspace's done tasks.
  const order =
    section !== "done"
      ? sql`k.due_date, k.due_time IS NULL, k.due_time, k.id`
      : f.subject
        ? sql`+k.completed_at DESC, k.id DESC`
        : sql`k.completed_at DESC, k.id DESC`;
  return sql`SELECT * FROM (SELECT ${section} AS section, k.id FROM tasks k WHERE k.tenant_id = ${t.tenantId}
    AND ${filterSql(f)} AND ${rangeOf(section, today)} AND ${afterSql(section, after)} ORDER BY ${order} LIMIT ${limit})`;
}

/** Done: the latest completed first (then the higher id), as sectionIds' SQL. */
const doneOrder = (a: TaskRow, b: TaskRow) => (b.completedAt ?? 0) - (a.completedAt ?? 0) || b.id - a.id;

/** sectionIds' order in JS, to find a page's last task (the next page's cursor) among rows read in any order. */
function sqlOrder(section: Section) {
  if (section === "done") return doneOrder;
  return (a: TaskRow, b: TaskRow) =>
    a.dueDate.localeCompare(b.dueDate) ||
    Number(a.dueTime === null) - Number(b.dueTime === null) ||
    (a.dueTime ?? "").localeCompare(b.dueTime ?? "") ||
    a.id - b.id;
}

/**
 * Counted per section up to this many (more shows as "100+"): a count reads its index range, so
 * 10,000 open tasks would otherwise be read whole on every visit. A section opened alone, with its pages,
 * is counted further (ONLY_COUNT_CAP), so its heading tells how many pages there are to go.
 */
export const COUNT_CAP = 100;
export const ONLY_COUNT_CAP = 1_000;

/** The number of the filter's tasks in a section, up to `cap`, as a scalar subquery. */
function sectionCount(t: TenantDb, f: TaskFilter, section: Section, today: ReaderDay, cap: number): SQL {
  return sql`(SELECT count(*) FROM (SELECT 1 FROM tasks k WHERE k.tenant_id = ${t.tenantId} AND ${filterSql(f)}
    AND ${rangeOf(section, today)} LIMIT ${cap})) AS ${sql.identifier(section)}`;
}

/** The order of items within their section: by the reader's day, timed tasks by their instant before dated ones. */
function sectionOrder(section: Section, zone: string) {
  const key = (r: TaskRow) =>
    `${readerDueDate(r, zone)} ${r.dueAt === null ? "~" : String(r.dueAt).padStart(15, "0")} ${String(r.id).padStart(15, "0")}`;
  return section === "done" ? doneOrder : (a: TaskRow, b: TaskRow) => (key(a) < key(b) ? -1 : 1);
}

const ROW_FIELDS = [
  "section",
  "id",
  "title",
  "kind",
  "priority",
  "dueDate",
  "dueTime",
  "dueAt",
  "status",
  "completedAt",
  "assigneeId",
  "assignee",
  "createdBy",
  "subjectType",
  "subjectId",
  "subjectName",
] as const;

/**
 * The page's reads, for one batch (with the session check, when it was deferred): each section's
 * count, the shown rows of every section (of `only`, its page from `after`, and one more to tell whether
 * a next page exists), and the workspace's members (for the filter and the form).
 */
export function taskSectionStatements(
  t: TenantDb,
  f: TaskFilter,
  today: ReaderDay,
  only: Section | null,
  after: SectionCursor | null = null,
) {
  const picked = only
    ? sectionIds(t, f, only, today, SECTION_ALL + 1, after)
    : sql.join(
        SECTIONS.map((s) => sectionIds(t, f, s, today, SECTION_ROWS[s])),
        sql` UNION ALL `,
      );
  const counts = sql`SELECT ${sql.join(
    SECTIONS.map((s) => sectionCount(t, f, s, today, s === only ? ONLY_COUNT_CAP : COUNT_CAP)),
    sql`, `,
  )}`;
  const rows = sql`WITH picked AS (${picked}) SELECT p.section, ${TASK_ROW_SQL} FROM picked p
    JOIN tasks k ON k.tenant_id = ${t.tenantId} AND k.id = p.id LEFT JOIN users u ON u.id = k.assignee_id`;
  return [selectFrom(t.db, counts, SECTIONS), selectFrom(t.db, rows, ROW_FIELDS), ownersQuery(t)] as const;
}

/**
 * What taskSectionStatements read (the batch's results in that order); `next` is the cursor of the page after
 * `only`'s, or null at its end.
 */
export function taskSectionsFromResults(results: readonly unknown[], only: Section | null, zone: string) {
  const [counts, rows, members] = results as [Record<Section, number>[], (TaskRow & { section: Section })[], Member[]];
  const out = { members, next: null } as TaskSections & { members: Member[]; next: SectionCursor | null };
  for (const s of SECTIONS) out[s] = { rows: [], count: Number(counts[0]?.[s] ?? 0) };
  for (const r of rows) out[r.section].rows.push(r);
  if (only && out[only].rows.length > SECTION_ALL) {
    // The page ends where the SQL order says (the shown order is the reader's day, which may differ slightly).
    const page = out[only].rows.sort(sqlOrder(only)).slice(0, SECTION_ALL);
    out[only].rows = page;
    out.next = cursorOf(only, page[page.length - 1]!);
  }
  for (const s of only ? [only] : SECTIONS) out[s].rows.sort(sectionOrder(s, zone));
  return out;
}

/** The sections of the filter's tasks and the workspace's members, read on their own. */
export async function listTaskSections(
  t: TenantDb,
  f: TaskFilter,
  today: ReaderDay,
  only: Section | null = null,
  after: SectionCursor | null = null,
) {
  const statements = taskSectionStatements(t, f, today, only, after);
  return taskSectionsFromResults(await t.db.batch(statements), only, today.zone);
}

/** A record's open tasks (and the few latest done), for its page. */
export async function recordTasks(t: TenantDb, type: SubjectType, id: number): Promise<TaskRow[]> {
  return t.db.all<TaskRow>(sql`SELECT ${TASK_ROW_SQL} FROM tasks k LEFT JOIN users u ON u.id = k.assignee_id
    WHERE k.tenant_id = ${t.tenantId} AND k.subject_type = ${type} AND k.subject_id = ${id}
    ORDER BY k.status = 'done', CASE WHEN k.status = 'open' THEN k.due_date END, k.completed_at DESC, k.id LIMIT 30`);
}

/** How many open tasks the user has due today or earlier (up to 100: the badge says "99+"). */
export async function dueTaskCount(t: TenantDb, userId: string, { today, zone }: ReaderDay): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM tasks k
    WHERE k.tenant_id = ${t.tenantId} AND k.assignee_id = ${userId} AND k.status = 'open'
    AND ${dueBefore(addDays(today, 1), zone)} LIMIT 100)`);
  return row?.n ?? 0;
}

/** Some tasks by id, as rows (the ones a page just changed). */
export async function taskRowsById(t: TenantDb, ids: number[]): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return t.db.all<TaskRow>(sql`SELECT ${TASK_ROW_SQL} FROM tasks k LEFT JOIN users u ON u.id = k.assignee_id
    WHERE k.tenant_id = ${t.tenantId} AND k.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
}
