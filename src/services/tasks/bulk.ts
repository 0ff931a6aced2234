/**
 * Bulk actions on the tasks page: complete (write.ts), reschedule (+1 day, next Monday, a date) and
 * reassign. Each acts only on the selected tasks the actor may change (or reassign), in one batch with
 * the records' next_task_due; the answer says how many were changed.
 */
import { sql } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { Task } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";
import { addDays, dateInZone, isoWeekday, timeInZone } from "../../lib/zoned-time";
import { nextTaskDueOfTasks } from "./statements";
import { timingOf, unlessSent } from "./timing";
import { memberZone } from "./assignees";
import type { TaskActor } from "./write";

/** At most this many tasks per bulk action (the page shows at most SECTION_ALL). */
export const BULK_MAX = 500;

export type Reschedule = { kind: "plus_day" } | { kind: "next_monday" } | { kind: "date"; date: string };

type Row = Pick<Task, "id" | "dueDate" | "dueTime" | "timeZone" | "dueAt" | "remindLead" | "assigneeId">;

async function selected(t: TenantDb, actor: TaskActor, ids: number[], reassigning: boolean): Promise<Row[]> {
  const admin = roleAtLeast(actor.role, "admin");
  const mine = admin
    ? sql`1`
    : reassigning
      ? sql`assignee_id = ${actor.userId}`
      : sql`(assignee_id = ${actor.userId} OR created_by = ${actor.userId})`;
  return t.db.all<Row>(sql`SELECT id, due_date AS dueDate, due_time AS dueTime, time_zone AS timeZone,
    due_at AS dueAt, remind_lead AS remindLead, assignee_id AS assigneeId FROM tasks WHERE tenant_id = ${t.tenantId}
    AND id IN (SELECT value FROM json_each(${JSON.stringify(ids.slice(0, BULK_MAX))})) AND status = 'open' AND ${mine}`);
}

/** Writes new timing (and maybe assignee) for rows, in one batch with the records' next task dates. */
async function writeRows(
  t: TenantDb,
  actor: TaskActor,
  rows: (Row & { newDate: string; newAssignee: string })[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const zones = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.newAssignee))) zones.set(id, (await memberZone(t, id)) ?? "UTC");
  const values = rows.map((r) => {
    const { columns: w, since } = timingOf(
      { dueDate: r.newDate, dueTime: r.dueTime, remindLead: r.remindLead },
      r.timeZone,
      zones.get(r.newAssignee)!,
      actor.now,
    );
    return {
      id: r.id,
      d: w.dueDate,
      t: w.dueTime,
      z: w.timeZone,
      a: w.dueAt,
      r: w.remindAt,
      s: since,
      u: r.newAssignee,
    };
  });
  // A reminder that has gone out to the (same) assignee stays sent: a reassignment or move to the same time is no new one.
  // A monthly task moved to another day keeps that day from now on, as an edit of its date does (repeatDayFor).
  const remindAt = unlessSent(
    t,
    sql`tasks.id`,
    sql`json_extract(j.value, '$.u')`,
    sql`json_extract(j.value, '$.r')`,
    sql`json_extract(j.value, '$.s')`,
  );
  await runRawBatchRows(t.db, [
    sql`UPDATE tasks SET due_date = json_extract(j.value, '$.d'), due_time = json_extract(j.value, '$.t'),
        time_zone = json_extract(j.value, '$.z'), due_at = json_extract(j.value, '$.a'),
        remind_at = ${remindAt}, assignee_id = json_extract(j.value, '$.u'), updated_at = ${actor.now},
        repeat_day = CASE WHEN tasks.repeat_unit = 'month' AND tasks.due_date <> json_extract(j.value, '$.d')
          THEN CAST(substr(json_extract(j.value, '$.d'), 9) AS INTEGER) ELSE tasks.repeat_day END
      FROM json_each(${JSON.stringify(values)}) j
      WHERE tasks.tenant_id = ${t.tenantId} AND tasks.id = json_extract(j.value, '$.id') AND tasks.status = 'open'`,
    ...nextTaskDueOfTasks(
      t,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.length;
}

/** Moves the selected tasks' due dates; `today` is the reader's date (for "next Monday"). */
export async function rescheduleTasks(
  t: TenantDb,
  actor: TaskActor,
  ids: number[],
  how: Reschedule,
  today: string,
): Promise<number> {
  const rows = await selected(t, actor, ids, false);
  const monday = addDays(today, 8 - isoWeekday(today));
  return writeRows(
    t,
    actor,
    rows.map((r) => ({
      ...r,
      newAssignee: r.assigneeId,
      ...(how.kind === "plus_day"
        ? { newDate: addDays(r.dueDate, 1) }
        : onReadersDay(r, how.kind === "next_monday" ? monday : how.date, actor.timeZone)),
    })),
  );
}

/**
 * A task moved to `date` as the reader's list shows it: a timed task in another zone (a colleague's) keeps the
 * time of day the reader sees and takes the reader's zone, as the edit form does (updateTask), so it lands on that
 * day for the reader; one already on that day for them keeps its day, time and zone.
 */
function onReadersDay(r: Row, date: string, zone: string): Pick<Row, "dueTime" | "timeZone"> & { newDate: string } {
  if (r.dueTime === null || r.dueAt === null || r.timeZone === zone)
    return { newDate: date, dueTime: r.dueTime, timeZone: r.timeZone };
  if (dateInZone(r.dueAt, zone) === date) return { newDate: r.dueDate, dueTime: r.dueTime, timeZone: r.timeZone };
  return { newDate: date, dueTime: timeInZone(r.dueAt, zone), timeZone: zone };
}

/** Gives the selected tasks to a member (an admin or owner too); null when `assigneeId` is not one, or a viewer. */
export async function reassignTasks(
  t: TenantDb,
  actor: TaskActor,
  ids: number[],
  assigneeId: string,
): Promise<number | null> {
  if ((await memberZone(t, assigneeId, true)) === null) return null;
  const rows = await selected(t, actor, ids, true);
  return writeRows(
    t,
    actor,
    rows.map((r) => ({ ...r, newDate: r.dueDate, newAssignee: assigneeId })),
  );
}
