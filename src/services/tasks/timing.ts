/** A task's due instant and reminder time as its writes store them (create, change, reopen, bulk, the next of a series). */
import { type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { dueInstant, remindAtFor } from "../reminders/schedule";
import type { TaskInput } from "./form";

/**
 * The due and reminder columns of a task: the time read in `zone`. A task that is over gets no reminder; one whose
 * reminder time has passed but is not over is reminded now. `since`: that passed time (else null), for `unlessSent`.
 */
export function timingOf(
  input: Pick<TaskInput, "dueDate" | "dueTime" | "remindLead">,
  zone: string,
  assigneeZone: string,
  now: number,
) {
  const task = { dueDate: input.dueDate, dueTime: input.dueTime, timeZone: zone, remindLead: input.remindLead };
  const dueAt = dueInstant(task);
  let remindAt = remindAtFor(task, assigneeZone);
  let since: number | null = null;
  // A task whose due time (or whose day, in the assignee's zone) is over gets no reminder.
  const over = dueAt ?? remindAtFor({ ...task, remindLead: 0, dueTime: null }, assigneeZone)! + 16 * 3_600_000;
  if (remindAt !== null && over < now) remindAt = null;
  // Set (or given to someone) after its time: due at once, and not "late" (the sweep's note is for its own delays);
  // a new instant, so a new assignee's reminder is not taken for the one already sent for that time.
  else if (remindAt !== null && remindAt < now) [since, remindAt] = [remindAt, now];
  const columns = {
    dueDate: input.dueDate,
    dueTime: input.dueTime,
    timeZone: zone,
    dueAt,
    remindLead: input.remindLead,
  };
  return { columns: { ...columns, remindAt }, since };
}

/** The columns of `timingOf`, for a task not yet written (no reminder of it can have gone out). */
export function timing(
  input: Pick<TaskInput, "dueDate" | "dueTime" | "remindLead">,
  zone: string,
  assigneeZone: string,
  now: number,
) {
  return timingOf(input, zone, assigneeZone, now).columns;
}

/**
 * remind_at for a write to an existing task: none when the sweep has already reminded `assignee` of it at or after
 * `since` (its time had passed), so no write (an edit and back, a reassignment to the same person, a reopen) sends
 * that reminder twice; decided inside the write's statement, after any claim that came first. The arguments may
 * be SQL (a bulk write's JSON values).
 */
export function unlessSent(
  t: TenantDb,
  taskId: number | SQL,
  assignee: string | SQL,
  remindAt: number | null | SQL,
  since: number | null | SQL,
): number | null | SQL {
  if (since === null) return remindAt;
  return sql`CASE WHEN EXISTS (SELECT 1 FROM task_reminders r WHERE r.tenant_id = ${t.tenantId}
    AND r.task_id = ${taskId} AND r.user_id = ${assignee} AND r.remind_at >= ${since}) THEN NULL ELSE ${remindAt} END`;
}
