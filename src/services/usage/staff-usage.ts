/**
 * Product usage across workspaces, for staff admins (/staff/usage): active workspaces and users per week,
 * feature adoption, time spent per area, and Free → Team conversions, from the daily aggregates.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { rawBatchResults } from "../../db/raw-batch";
import { DAY_MS } from "../../lib/retention-periods";
import { areaOf, FEATURE_EVENT_NAMES, type FeatureEvent } from "./definitions";
import { mondayOf, WEEK_OF, weeksBetween } from "./team-usage";

export interface StaffUsage {
  from: string;
  to: string;
  weeks: { week: string; workspaces: number; users: number; conversions: number }[];
  /** Share (0..1) of the workspaces active in the period that used each feature. */
  adoption: { name: FeatureEvent; workspaces: number; share: number }[];
  activeWorkspaces: number;
  /** Visible seconds per area of the app, most first. */
  areas: { area: string; seconds: number }[];
}

/** The last `weeks` whole and current weeks up to `now`. */
export async function loadStaffUsage(db: Database, now: number, weeks = 12): Promise<StaffUsage> {
  const to = new Date(now).toISOString().slice(0, 10);
  const from = mondayOf(new Date(now - (weeks - 1) * 7 * DAY_MS).toISOString().slice(0, 10));
  const [active, adoption, total, areas, conversions] = await rawBatchResults(db, [
    sql`SELECT /* all tenants: product usage for staff admins */ ${WEEK_OF("day")} AS week,
          COUNT(DISTINCT tenant_id) AS workspaces, COUNT(DISTINCT user_id) AS users
        FROM usage_daily WHERE day >= ${from} AND day <= ${to} GROUP BY week`,
    sql`SELECT /* all tenants: product usage for staff admins */ name, COUNT(DISTINCT tenant_id) AS workspaces
        FROM usage_daily WHERE day >= ${from} AND day <= ${to} AND kind = 'feature' GROUP BY name`,
    sql`SELECT /* all tenants: product usage for staff admins */ COUNT(DISTINCT tenant_id) AS n
        FROM usage_daily WHERE day >= ${from} AND day <= ${to}`,
    sql`SELECT /* all tenants: product usage for staff admins */ name, SUM(seconds) AS seconds
        FROM usage_daily WHERE day >= ${from} AND day <= ${to} AND kind = 'time' GROUP BY name`,
    // A conversion: a workspace's first day on a paid Team plan (a trial is its own plan), when it had been seen on
    // Free before that day.
    sql`SELECT /* all tenants: product usage for staff admins */ ${WEEK_OF("first_team")} AS week, COUNT(*) AS n
        FROM (SELECT tenant_id, MIN(day) AS first_team FROM usage_daily WHERE plan = 'team' GROUP BY tenant_id) t
        WHERE first_team >= ${from} AND first_team <= ${to}
          AND EXISTS (SELECT 1 FROM usage_daily f
                      WHERE f.tenant_id = t.tenant_id AND f.plan = 'free' AND f.day < t.first_team)
        GROUP BY week`,
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const byWeek = new Map(rows<{ week: string; workspaces: number; users: number }>(active).map((r) => [r.week, r]));
  const converted = new Map(rows<{ week: string; n: number }>(conversions).map((r) => [r.week, r.n]));
  const activeWorkspaces = rows<{ n: number }>(total)[0]?.n ?? 0;
  const usedBy = new Map(rows<{ name: string; workspaces: number }>(adoption).map((r) => [r.name, r.workspaces]));
  const perArea = new Map<string, number>();
  for (const r of rows<{ name: string; seconds: number }>(areas)) {
    perArea.set(areaOf(r.name), (perArea.get(areaOf(r.name)) ?? 0) + r.seconds);
  }
  return {
    from,
    to,
    weeks: weeksBetween(from, to).map((week) => ({
      week,
      workspaces: byWeek.get(week)?.workspaces ?? 0,
      users: byWeek.get(week)?.users ?? 0,
      conversions: converted.get(week) ?? 0,
    })),
    adoption: FEATURE_EVENT_NAMES.map((name) => {
      const workspaces = usedBy.get(name) ?? 0;
      return { name, workspaces, share: activeWorkspaces ? workspaces / activeWorkspaces : 0 };
    }),
    activeWorkspaces,
    areas: [...perArea].map(([area, seconds]) => ({ area, seconds })).sort((x, y) => y.seconds - x.seconds),
  };
}
