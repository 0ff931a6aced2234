/**
 * When a task's reminder is due. A timed task reminds `remind_lead` minutes before its due instant
 * (the time as given in the creator's zone); a task due on a day reminds at 08:00 in the assignee's zone, that day
 * or, with a lead of a day or more, that many whole days before, so it follows the assignee (recomputed when they
 * change zone or the task is reassigned).
 */
import { addDays, wallTimeToUtc } from "../../lib/zoned-time";

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
  if (due === null) return wallTimeToUtc(reminderDay(task.dueDate, task.remindLead), DAY_REMINDER_TIME, assigneeZone);
  return due - task.remindLead * 60_000;
}

/** The day a task due on `dueDate` (no time) reminds: that day, or whole days before it for a lead of a day or more. */
export function reminderDay(dueDate: string, remindLead: number): string {
  return addDays(dueDate, -Math.floor(remindLead / 1440));
}
