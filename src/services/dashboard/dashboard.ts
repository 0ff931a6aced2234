/**
 * The dashboard: record counts (from tenant_counters, never counted), the tenant's newest activity and
 * logged calls, meetings and emails, the user's recently viewed records, the open pipeline value and the
 * deals closing this month (dashboard-sql.ts) and the charts (src/services/reports/dashboard-charts.ts), read in
 * one round trip of two statements.
 */
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { recentViews, type Role, type SubjectType } from "../../db/schema";
import { selectFrom } from "../../db/raw-batch";
import { dashboardDealsFromResults, type DashboardDeals } from "../deals/related";
import { addMonthsTo } from "../reports/periods";
import { subjectExists } from "../records/notes";
import { DASHBOARD_ACTIVITY, listsStatement } from "./dashboard-sql";
import {
  type ChartReader,
  type DashboardCharts,
  dashboardChartStatement,
  dashboardChartsFromResults,
} from "../reports/dashboard-charts";

/** How many recently viewed records each user keeps; older ones are dropped as new ones come. */
export const RECENT_VIEWS_KEPT = 50;

export interface DashboardRecord {
  type: SubjectType;
  id: number;
  /** Null when the record has been deleted since. */
  name: string | null;
}

export interface DashboardActivity {
  id: number;
  kind: string;
  actor: string;
  createdAt: number;
  record: DashboardRecord;
  /** For a logged call, meeting or email: what the list says of it. */
  interaction?: { kind: string; durationMinutes: number | null; outcome: string | null };
}

export interface DashboardData {
  tenant: { name: string; createdAt: number; memberCount: number; currency: string; reportScope: "team" | "own" };
  counts: { contacts: number; companies: number; notes: number; deals: number };
  deals: DashboardDeals;
  /** Timeline entries and logged interactions together, newest first (an interaction by when it happened). */
  activity: DashboardActivity[];
  recent: { viewedAt: number; record: DashboardRecord & { name: string } }[];
  charts: DashboardCharts;
}

/**
 * The dashboard's reads as one batch's two statements (its lists, its charts), for the reader on their `today`:
 * the reader's id, or the session being checked in the same batch.
 */
export function dashboardStatements(t: TenantDb, reader: ChartReader & { today: string; zone: string }) {
  // "Closing this month" is the reader's month, as the charts' periods are: not UTC's, which in Los Angeles turns
  // at 16:00 on the last day.
  const month = reader.today.slice(0, 7);
  const from = `${month}-01`;
  const until = `${addMonthsTo(month, 1)}-01`;
  const lists = listsStatement({
    t: t.tenantId,
    me: "userId" in reader ? reader.userId : null,
    sid: "sessionId" in reader ? reader.sessionId : null,
    monthFrom: from,
    monthUntil: until,
  });
  return [selectFrom(t.db, lists, ["parts"]), dashboardChartStatement(t, reader, reader.today, reader.zone)] as const;
}

type Row = Record<string, unknown>;
type ListParts = [Row[], Row[], Row[], Row[], Row[], Row[]];
const partsOf = (rows: unknown) => JSON.parse(String((rows as { parts: unknown }[])[0]?.parts ?? "[]")) as ListParts;
const record = (r: Row) => ({
  type: r.subjectType as SubjectType,
  id: Number(r.subjectId),
  name: r.name as string | null,
});

/** What dashboardStatements read, shaped for the page (amounts in the reader's `locale`), or null without a tenant. */
export function dashboardFromResults(
  results: readonly unknown[],
  reader: { locale: string; today: string },
): DashboardData | null {
  const [tenantRows, activityRows, interactionRows, recentRows, dealTotals, dealsClosing] = partsOf(results[0]);
  const w = tenantRows[0];
  if (!w) return null;
  const tenant = {
    name: String(w.name),
    createdAt: Number(w.createdAt),
    memberCount: Number(w.memberCount),
    currency: String(w.currency),
    reportScope: w.reportScope === "own" ? ("own" as const) : ("team" as const),
  };
  return {
    tenant,
    counts: {
      contacts: Number(w.contacts),
      companies: Number(w.companies),
      notes: Number(w.notes),
      deals: Number(w.deals),
    },
    deals: dashboardDealsFromResults([dealTotals, dealsClosing], reader.locale),
    charts: dashboardChartsFromResults(
      results[1] as { parts: unknown }[],
      reader.today,
      tenant.currency,
      reader.locale,
    ),
    activity: [
      ...activityRows.map(
        (a): DashboardActivity => ({
          id: Number(a.id),
          kind: String(a.kind),
          actor: (a.actorEmail as string | null) ?? "former member",
          createdAt: Number(a.createdAt),
          record: record(a),
        }),
      ),
      ...interactionRows.map(
        (i): DashboardActivity => ({
          id: Number(i.id),
          kind: "logged",
          actor: (i.actorEmail as string | null) ?? "former member",
          createdAt: Number(i.occurredAt),
          record: record(i),
          interaction: {
            kind: String(i.kind),
            durationMinutes: i.durationMinutes === null ? null : Number(i.durationMinutes),
            outcome: (i.outcome as string | null) ?? null,
          },
        }),
      ),
    ]
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, DASHBOARD_ACTIVITY),
    recent: recentRows.map((r) => ({
      viewedAt: Number(r.viewedAt),
      record: { ...record(r), name: String(r.name ?? "") },
    })),
  };
}

/** Everything the dashboard shows, read in one batch (the session already checked). */
export async function dashboardData(
  t: TenantDb,
  reader: { userId: string; role: Role; locale: string; today: string; zone: string },
): Promise<DashboardData | null> {
  return dashboardFromResults(await t.db.batch(dashboardStatements(t, reader)), reader);
}

/**
 * Records that a user viewed a record of the tenant (the record pages' beacon), keeping only the
 * newest RECENT_VIEWS_KEPT per user. False when the record is not the tenant's.
 */
export async function recordView(
  t: TenantDb,
  userId: string,
  type: SubjectType,
  id: number,
  now: number,
): Promise<boolean> {
  if (!(await subjectExists(t, type, id))) return false;
  const mine = t.where(recentViews, eq(recentViews.userId, userId));
  await t.db.batch([
    t.insert(recentViews, { userId, subjectType: type, subjectId: id, viewedAt: now }).onConflictDoUpdate({
      target: [recentViews.tenantId, recentViews.userId, recentViews.subjectType, recentViews.subjectId],
      set: { viewedAt: now },
    }),
    // The OFFSET is bounded by RECENT_VIEWS_KEPT on this user's index range, never a page of records.
    t.delete(
      recentViews,
      sql`${recentViews.userId} = ${userId}`,
      sql`${recentViews.viewedAt} < (SELECT ${recentViews.viewedAt} FROM ${recentViews} WHERE ${mine}
        ORDER BY ${recentViews.viewedAt} DESC LIMIT 1 OFFSET ${RECENT_VIEWS_KEPT - 1})`,
    ),
  ]);
  return true;
}
