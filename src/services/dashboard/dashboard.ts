/**
 * The dashboard: record counts (from tenant_counters, never counted), the tenant's newest activity and
 * logged calls, meetings and emails, the user's recently viewed records, the open pipeline value and the
 * deals closing this month and the charts (src/services/reports/dashboard-charts.ts), read in one round trip of
 * seven statements.
 */
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  activities,
  companies,
  contacts,
  deals,
  interactions,
  memberships,
  recentViews,
  tenantCounters,
  tenants,
  users,
  type Role,
  type SubjectType,
} from "../../db/schema";
import { dashboardDealsFromResults, dashboardDealsStatements, type DashboardDeals } from "../deals/related";
import { subjectExists } from "../records/notes";
import {
  type ChartReader,
  type DashboardCharts,
  dashboardChartStatement,
  dashboardChartsFromResults,
} from "../reports/dashboard-charts";

/** How many recently viewed records each user keeps; older ones are dropped as new ones come. */
export const RECENT_VIEWS_KEPT = 50;
export const RECENT_VIEWS_SHOWN = 10;
export const DASHBOARD_ACTIVITY = 10;

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

// A record's display name from the three optional joins (a contact's name, a company's or a deal's).
const recordName = sql<string | null>`coalesce(${companies.name}, ${deals.name},
  CASE WHEN ${contacts.id} IS NULL THEN NULL ELSE trim(${contacts.firstName} || ' ' || ${contacts.lastName}) END)`;

/** Joins the record that a row of `source` (an activity, a recent view) is about, when it is one of `table`'s kind. */
function isSubjectOf(
  table: typeof companies | typeof contacts | typeof deals,
  source: typeof activities | typeof recentViews | typeof interactions,
  type: SubjectType,
) {
  return and(eq(source.subjectType, type), eq(table.tenantId, source.tenantId), eq(table.id, source.subjectId));
}

/**
 * The dashboard's reads as one batch's statements, for the reader on their `today` (the reader may be SQL: the
 * session's user, when the route checks the session in the same batch).
 */
export function dashboardStatements(t: TenantDb, reader: ChartReader & { today: string }, now = Date.now()) {
  const userId =
    "userId" in reader
      ? reader.userId
      : sql`(SELECT s.user_id FROM sessions s WHERE s.id = ${reader.sessionId} AND s.tenant_id = ${t.tenantId})`;
  const charts = dashboardChartStatement(t, reader, reader.today);
  const db = t.db;
  // The workspace, its member count and its record counters in one row: each statement costs more than its SQL.
  const counter = (column: SQL) =>
    sql<number>`coalesce((SELECT ${column} FROM ${tenantCounters} WHERE ${tenantCounters.tenantId} = ${t.tenantId}), 0)`;
  return [
    db
      .select({
        name: tenants.name,
        createdAt: tenants.createdAt,
        memberCount: sql<number>`(SELECT count(*) FROM ${memberships} WHERE ${memberships.tenantId} = ${t.tenantId})`,
        currency: tenants.currency,
        reportScope: tenants.reportScope,
        contacts: counter(sql`${tenantCounters.contacts}`),
        companies: counter(sql`${tenantCounters.companies}`),
        notes: counter(sql`${tenantCounters.notes}`),
        deals: counter(sql`${tenantCounters.deals}`),
      })
      .from(tenants)
      .where(eq(tenants.id, t.tenantId)),
    db
      .select({
        id: activities.id,
        kind: activities.kind,
        subjectType: activities.subjectType,
        subjectId: activities.subjectId,
        actorEmail: users.email,
        createdAt: activities.createdAt,
        name: recordName,
      })
      .from(activities)
      .leftJoin(users, eq(users.id, activities.actorId))
      .leftJoin(companies, isSubjectOf(companies, activities, "company"))
      .leftJoin(contacts, isSubjectOf(contacts, activities, "contact"))
      .leftJoin(deals, isSubjectOf(deals, activities, "deal"))
      .where(t.where(activities))
      .orderBy(desc(activities.id))
      .limit(DASHBOARD_ACTIVITY),
    // interactions_tenant_idx walks the newest first.
    db
      .select({
        id: interactions.id,
        kind: interactions.kind,
        subjectType: interactions.subjectType,
        subjectId: interactions.subjectId,
        occurredAt: interactions.occurredAt,
        durationMinutes: interactions.durationMinutes,
        outcome: interactions.outcome,
        actorEmail: users.email,
        name: recordName,
      })
      .from(interactions)
      .leftJoin(users, eq(users.id, interactions.loggedBy))
      .leftJoin(companies, isSubjectOf(companies, interactions, "company"))
      .leftJoin(contacts, isSubjectOf(contacts, interactions, "contact"))
      .leftJoin(deals, isSubjectOf(deals, interactions, "deal"))
      .where(t.where(interactions))
      .orderBy(desc(interactions.occurredAt), desc(interactions.id))
      .limit(DASHBOARD_ACTIVITY),
    // recent_views_tenant_user_idx walks this user's views newest first; deleted records drop out.
    db
      .select({
        subjectType: recentViews.subjectType,
        subjectId: recentViews.subjectId,
        viewedAt: recentViews.viewedAt,
        name: recordName,
      })
      .from(recentViews)
      .leftJoin(companies, isSubjectOf(companies, recentViews, "company"))
      .leftJoin(contacts, isSubjectOf(contacts, recentViews, "contact"))
      .leftJoin(deals, isSubjectOf(deals, recentViews, "deal"))
      .where(
        t.where(
          recentViews,
          sql`${recentViews.userId} = ${userId}`,
          sql`(${companies.id} IS NOT NULL OR ${contacts.id} IS NOT NULL OR ${deals.id} IS NOT NULL)`,
        ),
      )
      .orderBy(desc(recentViews.viewedAt))
      .limit(RECENT_VIEWS_SHOWN),
    ...dashboardDealsStatements(t, now),
    charts,
  ] as const;
}

type DashboardResults = {
  [K in keyof ReturnType<typeof dashboardStatements>]: Awaited<ReturnType<typeof dashboardStatements>[K]>;
};

/** What dashboardStatements read, shaped for the page (amounts in the reader's `locale`), or null without a tenant. */
export function dashboardFromResults(
  results: readonly unknown[],
  reader: { locale: string; today: string },
): DashboardData | null {
  const [tenantRows, activityRows, interactionRows, recentRows, dealTotals, dealsClosing, chartRows] =
    results as unknown as DashboardResults;
  const tenant = tenantRows[0];
  if (!tenant) return null;
  return {
    tenant,
    counts: { contacts: tenant.contacts, companies: tenant.companies, notes: tenant.notes, deals: tenant.deals },
    deals: dashboardDealsFromResults([dealTotals, dealsClosing], reader.locale),
    charts: dashboardChartsFromResults(chartRows as { parts: unknown }[], reader.today, tenant.currency, reader.locale),
    activity: [
      ...activityRows.map(
        (a): DashboardActivity => ({
          id: a.id,
          kind: a.kind,
          actor: a.actorEmail ?? "former member",
          createdAt: a.createdAt,
          record: { type: a.subjectType, id: a.subjectId, name: a.name },
        }),
      ),
      ...interactionRows.map(
        (i): DashboardActivity => ({
          id: i.id,
          kind: "logged",
          actor: i.actorEmail ?? "former member",
          createdAt: i.occurredAt,
          record: { type: i.subjectType, id: i.subjectId, name: i.name },
          interaction: { kind: i.kind, durationMinutes: i.durationMinutes, outcome: i.outcome },
        }),
      ),
    ]
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, DASHBOARD_ACTIVITY),
    recent: recentRows.map((r) => ({
      viewedAt: r.viewedAt,
      record: { type: r.subjectType, id: r.subjectId, name: r.name ?? "" },
    })),
  };
}

/** Everything the dashboard shows, read in one batch (the session already checked). */
export async function dashboardData(
  t: TenantDb,
  reader: { userId: string; role: Role; locale: string; today: string },
  now = Date.now(),
): Promise<DashboardData | null> {
  return dashboardFromResults(await t.db.batch(dashboardStatements(t, reader, now)), reader);
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
