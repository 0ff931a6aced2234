/**
 * A task's day as its reader sees it: a dated task is due on its calendar date wherever it is read; a timed one
 * on the reader's calendar day of its due instant (08:00 in Berlin is the evening before in Los Angeles). The
 * conditions keep a due_date range, so each read stays a range of the tasks' (…, due_date) indexes.
 */
import { type SQL, sql } from "drizzle-orm";
import { addDays, dateInZone, wallTimeToUtc } from "../../lib/zoned-time";

/** When `date` begins in `zone` (UTC ms). */
export const dayStart = (date: string, zone: string): number => wallTimeToUtc(date, "00:00", zone);

/** Zones are at most 26 hours apart: a timed task's day for any reader is within two days of its due_date. */
export const SLACK_DAYS = 2;

/** The reader's calendar date of a task. */
export function readerDueDate(task: { dueDate: string; dueAt: number | null }, zone: string): string {
  return task.dueAt === null ? task.dueDate : dateInZone(task.dueAt, zone);
}

/** SQL: the task (alias `k`) is due, for the reader in `zone`, before `date`. */
export function dueBefore(date: string, zone: string): SQL {
  return sql`(k.due_date < ${addDays(date, SLACK_DAYS)} AND CASE WHEN k.due_at IS NULL THEN k.due_date < ${date}
    ELSE k.due_at < ${dayStart(date, zone)} END)`;
}

/** SQL: the task (alias `k`) is due, for the reader in `zone`, on `date` or later. */
export function dueFrom(date: string, zone: string): SQL {
  return sql`(k.due_date >= ${addDays(date, -SLACK_DAYS)} AND CASE WHEN k.due_at IS NULL THEN k.due_date >= ${date}
    ELSE k.due_at >= ${dayStart(date, zone)} END)`;
}
