/** The next due date of a recurring task: from its due date, never from the day it was completed. */
import type { TaskRepeat } from "../../db/schema";
import { addDays, addMonths, isoWeekday } from "../../lib/zoned-time";

export function nextDueDate(dueDate: string, unit: TaskRepeat, every: number): string {
  if (unit === "day") return addDays(dueDate, every);
  if (unit === "week") return addDays(dueDate, 7 * every);
  if (unit === "month") return addMonths(dueDate, every);
  // "weekday": the next such weekday after the due date (every is 1 Monday … 7 Sunday).
  const ahead = (every - isoWeekday(dueDate) + 7) % 7 || 7;
  return addDays(dueDate, ahead);
}
