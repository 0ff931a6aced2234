/**
 * The daily rollup: a finished day's raw usage points (usage_events) become per-workspace aggregates
 * (usage_daily), the rows reports read and keep for USAGE_RETENTION.dailyAggregateMonths. Replacing a day
 * is one batch (delete its rows, insert them again from the raw points, mark it rolled up), so running a
 * day twice gives the same rows. Production's raw points are in Analytics Engine, which this does not read
 * (docs/operations.md says what would).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import { DAY_MS } from "../../lib/retention-periods";

/** Days back the rollup looks for days it has not made yet (a missed cron minute, an outage). */
const LOOKBACK_DAYS = 7;
/** A day is rolled up this long after it ended, so writes made just before midnight (after the response) are in. */
const SETTLE_MS = 10 * 60_000;

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The batch that (re)makes one day's aggregates from its raw points, for every workspace. */
export function rollUpDayStatements(day: string, now: number) {
  return [
    sql`DELETE /* all tenants: the rollup replaces a whole day */ FROM usage_daily WHERE day = ${day}`,
    sql`INSERT /* all tenants: the rollup makes a whole day */ INTO usage_daily
          (tenant_id, day, user_id, kind, name, device, plan, count, seconds)
        SELECT tenant_id, day, user_id, kind, name, device, plan, COUNT(*), SUM(seconds)
        FROM usage_events WHERE day = ${day}
        GROUP BY tenant_id, user_id, kind, name, device, plan`,
    sql`INSERT INTO usage_rollups (day, rolled_at) VALUES (${day}, ${now})
        ON CONFLICT (day) DO UPDATE SET rolled_at = excluded.rolled_at`,
  ];
}

/** Rolls up one day now, whether or not it was rolled up before (the same rows either way). */
export async function rollUpDay(db: Database, day: string, now: number): Promise<void> {
  await runRawBatch(db, rollUpDayStatements(day, now));
}

/** One cron run: the finished days of the last week not rolled up yet (3 statements each; usually none or one). */
export async function rollUpUsage(db: Database, now: number): Promise<string[]> {
  const lastFinished = now - SETTLE_MS - DAY_MS;
  const days: string[] = [];
  for (let back = LOOKBACK_DAYS - 1; back >= 0; back--) days.push(isoDay(lastFinished - back * DAY_MS));
  const done = new Set(
    (
      await db.$client
        .prepare("SELECT day FROM usage_rollups WHERE day >= ? AND day <= ?")
        .bind(days[0], days.at(-1))
        .all<{ day: string }>()
    ).results.map((r) => r.day),
  );
  const due = days.filter((d) => !done.has(d));
  for (const day of due) await rollUpDay(db, day, now);
  return due;
}
