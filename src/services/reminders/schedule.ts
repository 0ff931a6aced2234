/**
 * When a task's reminder is due. A timed task reminds `remind_lead` minutes before its due instant
 * (the time as given in the creator's zone); a task due on a day reminds at 08:00 that day in the
 * assignee's zone, so it follows the assignee (recomputed when they change zone or the task is reassigned).
 */
import { wallTimeToUtc } from "../../lib/zoned-time";

/** The hour a task due on a day reminds its assignee, in their zone. */
export const DAY_REMINDER_TIME = "08:00";

export interface ReminderTask {
  dueDate: string;
  dueTime: string | null;
  timeZone: string;
  remindLead: number | null;
}

/** The instant (UTC ms) the task's due time names, or null for a task due on a day. */
export function dueInstant(task: Pick<ReminderTask, "dueDate" | "dueTime" | "timeZone">): number | null {
  return task.dueTime ? wallTimeToUtc(task.dueDate, task.dueTime, task.timeZone) : null;
}

/** When the reminder is due, or null when the task has none. */
export function remindAtFor(task: ReminderTask, assigneeZone: string): number | null {
  if (task.remindLead === null) return null;
  const due = dueInstant(task);
  if (due === null) return wallTimeToUtc(task.dueDate, DAY_REMINDER_TIME, assigneeZone);
  return due - task.remindLead * 60_000;
}
