/** A task's due instant and reminder time as its writes store them (create, change, reopen, bulk, the next of a series). */
import { dueInstant, remindAtFor } from "../reminders/schedule";
import type { TaskInput } from "./form";

/**
 * The due and reminder columns of a task: the time read in `zone`. A task that is over gets no reminder; one whose
 * reminder time has passed but is not over is reminded now (`past: "keep"` leaves that time as it was).
 */
export function timing(
  input: Pick<TaskInput, "dueDate" | "dueTime" | "remindLead">,
  zone: string,
  assigneeZone: string,
  now: number,
  past: "now" | "keep" = "now",
) {
  const task = { dueDate: input.dueDate, dueTime: input.dueTime, timeZone: zone, remindLead: input.remindLead };
  const dueAt = dueInstant(task);
  let remindAt = remindAtFor(task, assigneeZone);
  // A task whose due time (or whose day, in the assignee's zone) is over gets no reminder.
  const over = dueAt ?? remindAtFor({ ...task, remindLead: 0, dueTime: null }, assigneeZone)! + 16 * 3_600_000;
  if (remindAt !== null && over < now) remindAt = null;
  // Set (or given to someone) after its time: due at once, and not "late" (the sweep's note is for its own delays);
  // a new instant, so a new assignee's reminder is not taken for the one already sent for that time.
  else if (remindAt !== null && remindAt < now && past === "now") remindAt = now;
  return {
    dueDate: input.dueDate,
    dueTime: input.dueTime,
    timeZone: zone,
    dueAt,
    remindLead: input.remindLead,
    remindAt,
  };
}
