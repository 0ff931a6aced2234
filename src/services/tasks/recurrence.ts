/** The next due date of a recurring task: from its due date, never from the day it was completed. */
import type { TaskRepeat } from "../../db/schema";
import { addDays, addMonths, isoWeekday } from "../../lib/zoned-time";

/**
 * `previousDue`: the due date of the task this one was made from, if any. A monthly task on the 31st falls on
 * 28 February (the month has no 31st); the one after it is on 31 March again, not on the 28th for good: when the
 * due date is its month's last day and the previous one's day was later, that day is the one kept.
 */
export function nextDueDate(
  dueDate: string,
  unit: TaskRepeat,
  every: number,
  previousDue: string | null = null,
): string {
  if (unit === "day") return addDays(dueDate, every);
  if (unit === "week") return addDays(dueDate, 7 * every);
  if (unit === "month") {
    const day = Number(dueDate.slice(8));
    const wanted = previousDue ? Number(previousDue.slice(8)) : day;
    const lastOfMonth = addDays(dueDate, 1).slice(8) === "01";
    if (!lastOfMonth || wanted <= day) return addMonths(dueDate, every);
    const target = addMonths(`${dueDate.slice(0, 8)}01`, every); // the 1st of the month it falls in
    return `${target.slice(0, 8)}${String(Math.min(wanted, daysIn(target))).padStart(2, "0")}`;
  }
  // "weekday": the next such weekday after the due date (every is 1 Monday … 7 Sunday).
  const ahead = (every - isoWeekday(dueDate) + 7) % 7 || 7;
  return addDays(dueDate, ahead);
}

/** How many days the month of `date` has. */
function daysIn(date: string): number {
  return Number(addDays(addMonths(`${date.slice(0, 8)}01`, 1), -1).slice(8));
}
