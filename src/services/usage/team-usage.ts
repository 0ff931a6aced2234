/**
 * A workspace's own usage, for its owners and admins on the reports page: members active per week and
 * features used, from the daily aggregates (usage_daily, on the control database) of this workspace only.
 */
import { sql } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { DAY_MS } from "../../lib/retention-periods";
import { FEATURE_EVENT_NAMES, type FeatureEvent } from "./definitions";

export interface TeamUsage {
  /** Every week (its Monday) from the one holding `from` to the one holding `to`, with members active in it. */
  weeks: { week: string; members: number }[];
  /** Every defined feature, with how many times the team used it in the period. */
  features: { name: FeatureEvent; count: number }[];
}

/** SQL: the Monday on or before a YYYY-MM-DD day column. */
export const WEEK_OF = (column: string) => sql.raw(`date(${column}, '-6 days', 'weekday 1')`);

/** The Monday on or before a YYYY-MM-DD day. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

/** The Mondays of every week from the one holding `from` to the one holding `to`. */
export function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const last = Date.parse(`${mondayOf(to)}T00:00:00Z`);
  for (let t = Date.parse(`${mondayOf(from)}T00:00:00Z`); t <= last && out.length < 200; t += 7 * DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The workspace's usage between two days (inclusive, YYYY-MM-DD). */
export async function loadTeamUsage(t: TenantDb, from: string, to: string): Promise<TeamUsage> {
  // One round trip for both reads, on the control database: the rollup writes usage_daily there, wherever the
  // workspace's records are (src/services/shards/control-tables.ts).
  const [weekRows, featureRows] = await rawBatchResults(t.control, [
    sql`SELECT ${WEEK_OF("day")} AS week, COUNT(DISTINCT user_id) AS members FROM usage_daily
        WHERE tenant_id = ${t.tenantId} AND day >= ${from} AND day <= ${to} GROUP BY week`,
    sql`SELECT name, SUM(count) AS count FROM usage_daily
        WHERE tenant_id = ${t.tenantId} AND kind = 'feature' AND day >= ${from} AND day <= ${to} GROUP BY name`,
  ]);
  const members = new Map((weekRows!.results as { week: string; members: number }[]).map((r) => [r.week, r.members]));
  const counts = new Map((featureRows!.results as { name: string; count: number }[]).map((r) => [r.name, r.count]));
  return {
    weeks: weeksBetween(from, to).map((week) => ({ week, members: members.get(week) ?? 0 })),
    features: FEATURE_EVENT_NAMES.map((name) => ({ name, count: counts.get(name) ?? 0 })),
  };
}
