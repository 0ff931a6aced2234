/** The next due date of a recurring task: from its due date, never from the day it was completed. */
import type { TaskRepeat } from "../../db/schema";
import { addDays, addMonths, isoWeekday } from "../../lib/zoned-time";

/**
 * `day`: a monthly series' day of the month (repeat_day). A month without that day has the task on its last day (30
 * June, 28 February), and the next one comes back to it where the month has it: 31 March, 30 June, 30 September,
 * 31 December every 3 months; 29 February, 28 February … 29 February again every 12.
 */
export function nextDueDate(dueDate: string, unit: TaskRepeat, every: number, day: number | null = null): string {
  if (unit === "day") return addDays(dueDate, every);
  if (unit === "week") return addDays(dueDate, 7 * every);
  if (unit === "month") {
    const wanted = day ?? Number(dueDate.slice(8));
    const target = addMonths(`${dueDate.slice(0, 8)}01`, every); // the 1st of the month it falls in
    return `${target.slice(0, 8)}${String(Math.min(wanted, daysIn(target))).padStart(2, "0")}`;
  }
  // "weekday": the next such weekday after the due date (every is 1 Monday … 7 Sunday).
  const ahead = (every - isoWeekday(dueDate) + 7) % 7 || 7;
  return addDays(dueDate, ahead);
}

/**
 * The day of the month a monthly series keeps. A task from before migration 0046 has none stored: its due date's day,
 * unless that is its month's last day and the task it was made from (`previousDue`) was on a later one (31 January,
 * then 28 February: the 31st).
 */
export function seriesDay(dueDate: string, repeatDay: number | null, previousDue: string | null): number {
  if (repeatDay !== null) return repeatDay;
  const day = Number(dueDate.slice(8));
  const before = previousDue === null ? 0 : Number(previousDue.slice(8));
  return day === daysIn(dueDate) && before > day ? before : day;
}

/**
 * repeat_day for a task as written: the due date's day for a monthly one, null for the rest. `kept`: the day it had,
 * which stays while the due date does (an edit of its title keeps a series on the 31st that is on the 30th now).
 */
export function repeatDayFor(
  unit: TaskRepeat | null,
  dueDate: string,
  kept?: { unit: TaskRepeat | null; dueDate: string; day: number | null },
): number | null {
  if (unit !== "month") return null;
  if (kept && kept.unit === "month" && kept.dueDate === dueDate) return kept.day;
  return Number(dueDate.slice(8));
}

/** How many days the month of `date` has. */
function daysIn(date: string): number {
  return Number(addDays(addMonths(`${date.slice(0, 8)}01`, 1), -1).slice(8));
}
