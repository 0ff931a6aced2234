/**
 * The calendar periods charts are drawn over, as plain 'YYYY-MM-DD' / 'YYYY-MM' strings computed from the
 * reader's today: the last N months, the last N weeks (Monday first), and which week a day falls in.
 */
import { addDays } from "../../lib/zoned-time";

/** 'YYYY-MM' of the month `offset` months after `month`. */
export function addMonthsTo(month: string, offset: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The `count` months ending with today's, oldest first. */
export function lastMonths(today: string, count: number): string[] {
  const current = today.slice(0, 7);
  return Array.from({ length: count }, (_, i) => addMonthsTo(current, i - count + 1));
}

/** The `count` months starting with today's. */
export function nextMonths(today: string, count: number): string[] {
  const current = today.slice(0, 7);
  return Array.from({ length: count }, (_, i) => addMonthsTo(current, i));
}

/** The Monday of the week `day` is in. */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The Mondays of the `count` weeks ending with today's, oldest first. */
export function lastWeeks(today: string, count: number): string[] {
  const current = weekOf(today);
  return Array.from({ length: count }, (_, i) => addDays(current, (i - count + 1) * 7));
}
