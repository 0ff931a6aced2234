/**
 * What a member's calendar feed of a workspace carries: their open tasks there, and the close dates of their
 * open deals. Titles and record names only: no description, note, email address or phone number. Two
 * statements in one batch on the workspace's database, each bounded.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatchRows } from "../../db/raw-batch";
import { mailLink, taskPath } from "../reminders/links";
import { writeCalendar, type CalendarEvent } from "./ical";
import { contactNameSql } from "../contacts/names";

/** The most tasks and deals one feed carries: the next ones first, then the latest overdue. */
export const FEED_TASK_LIMIT = 1000;
export const FEED_DEAL_LIMIT = 500;
/** How long a timed task's event lasts in the calendar. */
export const TIMED_TASK_MINUTES = 30;

interface TaskRow {
  id: number;
  title: string;
  dueDate: string;
  dueAt: number | null;
  updatedAt: number;
  subjectType: string | null;
  subjectId: number | null;
  subjectName: string | null;
}

interface DealRow {
  id: number;
  name: string;
  closeDate: string;
  updatedAt: number;
}

function tasksQuery(tenantId: string, userId: string, today: string) {
  // tasks_tenant_assignee_idx (tenant_id, then assignee, status, due date).
  return sql`SELECT k.id, k.title, k.due_date AS dueDate, k.due_at AS dueAt, k.updated_at AS updatedAt,
      k.subject_type AS subjectType, k.subject_id AS subjectId,
      CASE k.subject_type
        WHEN 'contact' THEN (SELECT ${sql.raw(contactNameSql("c"))} FROM contacts c
          WHERE c.tenant_id = k.tenant_id AND c.id = k.subject_id)
        WHEN 'company' THEN (SELECT co.name FROM companies co WHERE co.tenant_id = k.tenant_id AND co.id = k.subject_id)
        WHEN 'deal' THEN (SELECT d.name FROM deals d WHERE d.tenant_id = k.tenant_id AND d.id = k.subject_id)
      END AS subjectName
    FROM tasks k
    WHERE k.tenant_id = ${tenantId} AND k.assignee_id = ${userId} AND k.status = 'open'
    ORDER BY k.due_date < ${today}, CASE WHEN k.due_date >= ${today} THEN k.due_date END, k.due_date DESC, k.id
    LIMIT ${FEED_TASK_LIMIT}`;
}

function dealsQuery(tenantId: string, userId: string, today: string) {
  // deals_tenant_owner_idx (tenant_id, then owner, close key).
  return sql`SELECT d.id, d.name, d.close_date AS closeDate, d.updated_at AS updatedAt
    FROM deals d
    WHERE d.tenant_id = ${tenantId} AND d.owner_id = ${userId} AND d.status = 'open' AND d.close_date IS NOT NULL
    ORDER BY d.close_key < ${today}, CASE WHEN d.close_key >= ${today} THEN d.close_key END, d.close_key DESC, d.id
    LIMIT ${FEED_DEAL_LIMIT}`;
}

/** The feed's two reads, for one batch: the member's tasks, then their deals. */
export function calendarFeedStatements(tenantId: string, userId: string, today: string) {
  return [tasksQuery(tenantId, userId, today), dealsQuery(tenantId, userId, today)];
}

// Links name the workspace (as a mail's do): the reader's browser may be working in another of theirs, where the
// record's own address is a 404.
function taskEvent(r: TaskRow, origin: string, host: string, tenantId: string): CalendarEvent {
  const subject = r.subjectName?.trim();
  return {
    uid: `task-${r.id}@${host}`,
    stampMs: r.updatedAt,
    time:
      r.dueAt !== null
        ? { kind: "timed", startMs: r.dueAt, minutes: TIMED_TASK_MINUTES }
        : { kind: "day", date: r.dueDate },
    summary: subject ? `${r.title} — ${subject}` : r.title,
    url: mailLink(origin, tenantId, taskPath(r.subjectType, r.subjectId)),
  };
}

function dealEvent(r: DealRow, origin: string, host: string, tenantId: string): CalendarEvent {
  return {
    uid: `deal-${r.id}@${host}`,
    stampMs: r.updatedAt,
    time: { kind: "day", date: r.closeDate },
    summary: `Expected close: ${r.name}`,
    url: mailLink(origin, tenantId, `/app/deals/${r.id}`),
  };
}

/**
 * The member's feed of one workspace as iCalendar text, read from `db`, the database holding that workspace's
 * records; `origin` is the app's (links and the events' UIDs).
 */
export async function calendarFeedText(
  db: Database,
  feed: { tenantId: string; userId: string; workspace: string },
  p: { now: number; origin: string; appName: string },
): Promise<string> {
  const today = new Date(p.now).toISOString().slice(0, 10);
  const [taskRows, dealRows] = await runRawBatchRows(db, calendarFeedStatements(feed.tenantId, feed.userId, today));
  const tasks = (taskRows ?? []) as unknown as TaskRow[];
  const deals = (dealRows ?? []) as unknown as DealRow[];
  const host = new URL(p.origin).host;
  return writeCalendar({
    prodId: `-//${p.appName}//Calendar feed//EN`,
    name: `${p.appName}: my tasks in ${feed.workspace}`,
    events: [
      ...tasks.map((r) => taskEvent(r, p.origin, host, feed.tenantId)),
      ...deals.map((r) => dealEvent(r, p.origin, host, feed.tenantId)),
    ],
  });
}
