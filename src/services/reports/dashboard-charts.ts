/**
 * The dashboard's charts, read from the report aggregates (migration 0020) in the dashboard's one batch: open
 * pipeline by stage, won per month (12), forecast by close month weighted by stage probability (6), activities
 * and contacts added per week (12), and what needs attention (overdue tasks, deals past their close date).
 * Every statement reads a bounded range of an aggregate or an index; none counts deals or activities.
 */
import { sql, type SQL } from "drizzle-orm";
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { ACTIVITY_REPORT_KINDS, type ActivityReportKind } from "../../db/schema";
import { monthLabel, monthTick, weekLabel } from "./labels";
import { type MoneyRow, type MoneySeries, moneySeries } from "./money-series";
import { addMonthsTo, lastMonths, lastWeeks, nextMonths } from "./periods";
import { type ReportReader, readerIsAdmin, readerRows } from "./scope";

export const WON_MONTHS = 12;
export const FORECAST_MONTHS = 6;
export const ACTIVITY_WEEKS = 12;
/** Needs attention lists this many of each, and counts up to ATTENTION_COUNT_CAP ("100+"). */
export const ATTENTION_SHOWN = 5;
export const ATTENTION_COUNT_CAP = 100;

export const ACTIVITY_NAMES: Record<ActivityReportKind, string> = {
  call: "Calls",
  meeting: "Meetings",
  email: "Emails",
  note: "Notes",
  task: "Tasks done",
};

export interface Category {
  key: string;
  label: string;
  tick?: string;
}

export interface DashboardCharts {
  pipeline: { categories: Category[] } & MoneySeries;
  won: { categories: Category[] } & MoneySeries;
  forecast: { categories: Category[] } & MoneySeries;
  activities: { categories: Category[]; series: { key: ActivityReportKind; name: string; values: number[] }[] };
  contacts: { categories: Category[]; values: number[] };
  attention: {
    tasks: { id: number; title: string; dueDate: string }[];
    taskCount: number;
    deals: { id: number; name: string; amountMinor: number; currency: string; closeDate: string }[];
    dealCount: number;
  };
}

interface Period {
  today: string;
  months: string[];
  forecast: string[];
  weeks: string[];
}

const periodOf = (today: string): Period => ({
  today,
  months: lastMonths(today, WON_MONTHS),
  forecast: nextMonths(today, FORECAST_MONTHS),
  weeks: lastWeeks(today, ACTIVITY_WEEKS),
});

/** The Monday of a row's day, in SQL, so weeks are summed by the database and not per row here. */
const MONDAY = sql.raw(`date(day, '-6 days', 'weekday 1')`);

const capped = (inner: SQL) => sql`SELECT count(*) AS n FROM (${inner} LIMIT ${ATTENTION_COUNT_CAP})`;

/** One part of the charts' statement: its rows as a JSON array of objects with `fields`. */
const rows = (statement: SQL, fields: readonly string[]) =>
  sql`(SELECT json_group_array(json_object(${sql.raw(fields.map((f) => `'${f}', "${f}"`).join(", "))}))
    FROM (${statement}))`;

/**
 * The charts' figures as ONE statement for the dashboard's batch (nine parts, each a JSON array in one row: a
 * statement costs more to build and run than its rows cost to parse), as the reader may see them on `today`.
 */
export function dashboardChartStatement(t: TenantDb, reader: ReportReader, today: string) {
  const p = periodOf(today);
  const tenant = t.tenantId;
  const owner = (column: SQL) => readerRows(t, reader, column);
  const pastDeals = sql`FROM deals d WHERE d.tenant_id = ${tenant}
    AND d.stage_id IN (SELECT id FROM pipeline_stages WHERE tenant_id = ${tenant})
    AND d.status = 'open' AND d.close_key < ${today} AND ${owner(sql`coalesce(d.owner_id, '')`)}`;
  // Members and viewers are reminded of their own tasks only: the tasks page shows them no one else's.
  const taskScope = sql`(k.assignee_id = ${reader.userId} OR ${readerIsAdmin(t, reader)})`;
  const overdue = sql`FROM tasks k WHERE k.tenant_id = ${tenant} AND k.status = 'open' AND k.due_date < ${today}
    AND ${taskScope}`;
  const parts = [
    rows(
      sql`SELECT s.id AS stageId, s.name AS stage, p.name AS pipeline, r.currency AS currency,
        coalesce(sum(r.deals), 0) AS deals, coalesce(sum(r.amount_minor), 0) AS amountMinor
      FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id
      LEFT JOIN report_open_deals r ON r.tenant_id = s.tenant_id AND r.stage_id = s.id AND ${owner(sql`r.owner_key`)}
      WHERE s.tenant_id = ${tenant} GROUP BY s.id, r.currency ORDER BY p.position, p.id, s.position, s.id`,
      ["stageId", "stage", "pipeline", "currency", "deals", "amountMinor"],
    ),
    rows(
      sql`SELECT substr(day, 1, 7) AS key, currency, sum(deals) AS deals, sum(amount_minor) AS amountMinor
      FROM report_deal_outcomes WHERE tenant_id = ${tenant} AND status = 'won'
        AND day >= ${`${p.months[0]}-01`} AND day < ${`${addMonthsTo(p.months.at(-1)!, 1)}-01`}
        AND ${owner(sql`owner_key`)}
      GROUP BY 1, 2`,
      ["key", "currency", "deals", "amountMinor"],
    ),
    // Weighted: amount × probability (percent); divided by 100 when read, so no rounding per row.
    rows(
      sql`SELECT r.close_month AS key, r.currency AS currency, sum(r.deals) AS deals,
        sum(r.amount_minor * s.probability) AS weighted
      FROM report_open_deals r JOIN pipeline_stages s ON s.id = r.stage_id
      WHERE r.tenant_id = ${tenant} AND r.close_month >= ${p.forecast[0]} AND r.close_month <= ${p.forecast.at(-1)}
        AND ${owner(sql`r.owner_key`)}
      GROUP BY 1, 2`,
      ["key", "currency", "deals", "weighted"],
    ),
    rows(
      sql`SELECT ${MONDAY} AS week, kind, sum(count) AS n FROM report_activity_days
      WHERE tenant_id = ${tenant} AND day >= ${p.weeks[0]} AND ${owner(sql`user_key`)} GROUP BY 1, 2`,
      ["week", "kind", "n"],
    ),
    rows(
      sql`SELECT ${MONDAY} AS week, sum(count) AS n FROM report_contact_days
      WHERE tenant_id = ${tenant} AND day >= ${p.weeks[0]} AND ${owner(sql`user_key`)} GROUP BY 1`,
      ["week", "n"],
    ),
    rows(
      sql`SELECT k.id, k.title, k.due_date AS dueDate ${overdue} ORDER BY k.due_date, k.id LIMIT ${ATTENTION_SHOWN}`,
      ["id", "title", "dueDate"],
    ),
    rows(capped(sql`SELECT 1 ${overdue}`), ["n"]),
    rows(
      sql`SELECT d.id, d.name, d.amount_minor AS amountMinor, d.currency, d.close_date AS closeDate ${pastDeals}
      ORDER BY d.close_key, d.id LIMIT ${ATTENTION_SHOWN}`,
      ["id", "name", "amountMinor", "currency", "closeDate"],
    ),
    rows(capped(sql`SELECT 1 ${pastDeals}`), ["n"]),
  ];
  return selectFrom(t.db, sql`SELECT json_array(${sql.join(parts, sql`, `)}) AS parts`, ["parts"]);
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/** Per week (by its Monday, as SQL grouped them), `value` of the rows that `keep`. */
function byWeek(rows: Row[], weeks: string[], value: (r: Row) => number, keep: (r: Row) => boolean = () => true) {
  const at = new Map(weeks.map((w, i) => [w, i]));
  const out = weeks.map(() => 0);
  for (const r of rows) {
    const i = at.get(String(r.week));
    if (i !== undefined && keep(r)) out[i]! += value(r);
  }
  return out;
}

/** The charts from what dashboardChartStatements read, in the workspace's `currency` and the reader's `locale`. */
export function dashboardChartsFromResults(
  result: { parts: unknown }[],
  today: string,
  currency: string,
  locale: string,
): DashboardCharts {
  const p = periodOf(today);
  const [stageRows, wonRows, forecastRows, activityRows, contactRows, taskRows, taskCount, dealRows, dealCount] =
    JSON.parse(String(result[0]?.parts ?? "[]")) as [Row[], Row[], Row[], Row[], Row[], Row[], Row[], Row[], Row[]];
  const pipelines = new Set(stageRows.map((r) => r.pipeline));
  const stages: Category[] = [];
  for (const r of stageRows) {
    const key = String(r.stageId);
    if (stages.at(-1)?.key !== key)
      stages.push({ key, label: pipelines.size > 1 ? `${r.pipeline}: ${r.stage}` : String(r.stage) });
  }
  const money = (rows: Row[], key: (r: Row) => string, amount: (r: Row) => number): MoneyRow[] =>
    rows
      .filter((r) => r.currency !== null)
      .map((r) => ({ key: key(r), currency: String(r.currency), deals: num(r.deals), amountMinor: amount(r) }));
  const months = (list: string[]) =>
    list.map((m) => ({ key: m, label: monthLabel(m, locale), tick: monthTick(m, locale) }));
  const weeks = p.weeks.map((w) => ({ key: w, label: weekLabel(w, locale) }));
  return {
    pipeline: {
      categories: stages,
      ...moneySeries(
        money(
          stageRows,
          (r) => String(r.stageId),
          (r) => num(r.amountMinor),
        ),
        stages.map((s) => s.key),
        currency,
      ),
    },
    won: {
      categories: months(p.months),
      ...moneySeries(
        money(
          wonRows,
          (r) => String(r.key),
          (r) => num(r.amountMinor),
        ),
        p.months,
        currency,
      ),
    },
    forecast: {
      categories: months(p.forecast),
      ...moneySeries(
        money(
          forecastRows,
          (r) => String(r.key),
          (r) => Math.round(num(r.weighted) / 100),
        ),
        p.forecast,
        currency,
      ),
    },
    activities: {
      categories: weeks,
      series: ACTIVITY_REPORT_KINDS.map((kind) => ({
        key: kind,
        name: ACTIVITY_NAMES[kind],
        values: byWeek(
          activityRows,
          p.weeks,
          (r) => num(r.n),
          (r) => r.kind === kind,
        ),
      })),
    },
    contacts: { categories: weeks, values: byWeek(contactRows, p.weeks, (r) => num(r.n)) },
    attention: {
      tasks: taskRows.map((r) => ({ id: num(r.id), title: String(r.title), dueDate: String(r.dueDate) })),
      taskCount: num(taskCount[0]?.n),
      deals: dealRows.map((r) => ({
        id: num(r.id),
        name: String(r.name),
        amountMinor: num(r.amountMinor),
        currency: String(r.currency),
        closeDate: String(r.closeDate),
      })),
      dealCount: num(dealCount[0]?.n),
    },
  };
}
