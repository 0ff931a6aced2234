/**
 * The daily rollup: a finished day's aggregates, read from the UsageSource (usage_events in development and
 * tests, Analytics Engine's SQL API in production: source.ts), become the rows of usage_daily that reports
 * read and keep for USAGE_RETENTION.dailyAggregateMonths. Replacing a day is one batch (delete its rows,
 * insert the source's rows, mark it rolled up), so running a day twice gives the same rows, and a source that
 * fails leaves the day as it was and unmarked, for the next run.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { runRawBatch } from "../../db/raw-batch";
import { DAY_MS } from "../../lib/retention-periods";
import { d1UsageSource } from "./source";
import { assertIsoDay, type UsageDayRow, type UsageSource } from "./usage-day";

/** Days back the rollup looks for days it has not made yet (a missed cron minute, an outage). */
const LOOKBACK_DAYS = 7;
/** A day is rolled up this long after it ended, so writes made just before midnight (after the response) are in. */
const SETTLE_MS = 10 * 60_000;
/** Rows one insert carries, as one JSON parameter (well under D1's 100 KB a statement and 100 parameters). */
const ROWS_PER_INSERT = 250;

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The batch that replaces one day's aggregates with `rows`, for every workspace. Rows of a workspace or user
 * that no longer exists are left out: Analytics Engine keeps a deleted account's points until they expire, and
 * they must not come back here.
 */
export function rollUpDayStatements(day: string, rows: UsageDayRow[], now: number) {
  assertIsoDay(day);
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = JSON.stringify(
      rows
        .slice(i, i + ROWS_PER_INSERT)
        .map((r) => [r.tenantId, r.userId, r.kind, r.name, r.device, r.plan, r.count, r.seconds]),
    );
    inserts.push(sql`INSERT /* all tenants: the rollup makes a whole day */ INTO usage_daily
          (tenant_id, day, user_id, kind, name, device, plan, count, seconds)
        SELECT r.tenant_id, ${day}, r.user_id, r.kind, r.name, r.device, r.plan, r.count, r.seconds
        FROM (SELECT json_extract(value, '$[0]') AS tenant_id, json_extract(value, '$[1]') AS user_id,
            json_extract(value, '$[2]') AS kind, json_extract(value, '$[3]') AS name,
            json_extract(value, '$[4]') AS device, json_extract(value, '$[5]') AS plan,
            json_extract(value, '$[6]') AS count, json_extract(value, '$[7]') AS seconds
          FROM json_each(${chunk})) r
        WHERE r.tenant_id IN (SELECT id FROM tenants) AND r.user_id IN (SELECT id FROM users)`);
  }
  return [
    sql`DELETE /* all tenants: the rollup replaces a whole day */ FROM usage_daily WHERE day = ${day}`,
    ...inserts,
    sql`INSERT INTO usage_rollups (day, rolled_at) VALUES (${day}, ${now})
        ON CONFLICT (day) DO UPDATE SET rolled_at = excluded.rolled_at`,
  ];
}

/** Rolls up one day now, whether or not it was rolled up before (the same rows either way). */
export async function rollUpDay(
  db: Database,
  day: string,
  now: number,
  source: UsageSource = d1UsageSource(db.$client),
): Promise<void> {
  const rows = await source.dayRows(day);
  await runRawBatch(db, rollUpDayStatements(day, rows, now));
}

/** One cron run: the finished days of the last week not rolled up yet (usually none or one), oldest first. */
export async function rollUpUsage(db: Database, now: number, source: UsageSource): Promise<string[]> {
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
  // A day the source cannot read stops the run (the cron reports it); the days after it wait for the next run.
  for (const day of due) await rollUpDay(db, day, now, source);
  return due;
}
