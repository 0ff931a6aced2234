/**
 * The dashboard's charts, read from the report aggregates (migration 0020) in the dashboard's one batch: open
 * pipeline by stage, won per month (12), forecast by close month weighted by stage probability (6), activities
 * and contacts added per week (12), and what needs attention (overdue tasks, deals past their close date).
 * Every statement reads a bounded range of an aggregate or an index; none counts deals or activities.
 */
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { ACTIVITY_REPORT_KINDS, type ActivityReportKind, type Role } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";
import { monthLabel, monthTick, weekLabel } from "./labels";
import { type MoneyRow, type MoneySeries, moneySeries } from "./money-series";
import { addMonthsTo, lastMonths, lastWeeks, nextMonths } from "./periods";
import { addDays } from "../../lib/zoned-time";
import { dayStart, SLACK_DAYS } from "../tasks/due-day";
import { chartsStatement } from "./dashboard-sql";

export const WON_MONTHS = 12;
export const FORECAST_MONTHS = 6;
export const ACTIVITY_WEEKS = 12;

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

/** The reader of the dashboard: their id, or (while their session is checked in the same batch) its id. */
export type ChartReader = { userId: string; role: Role } | { sessionId: string; role: null };

/**
 * The charts' figures as ONE statement for the dashboard's batch (nine parts, each a JSON array in one row: a
 * statement costs more to build and run than its rows cost to parse), as the reader may see them on `today`.
 */
export function dashboardChartStatement(t: TenantDb, reader: ChartReader, today: string, zone: string) {
  const p = periodOf(today);
  const statement = chartsStatement({
    t: t.tenantId,
    me: "userId" in reader ? reader.userId : null,
    sid: "sessionId" in reader ? reader.sessionId : null,
    admin: reader.role === null ? null : roleAtLeast(reader.role, "admin") ? 1 : 0,
    today,
    taskBefore: dayStart(today, zone),
    taskDateBelow: addDays(today, SLACK_DAYS),
    wonFrom: `${p.months[0]}-01`,
    wonUntil: `${addMonthsTo(p.months.at(-1)!, 1)}-01`,
    forecastFrom: p.forecast[0]!,
    forecastTo: p.forecast.at(-1)!,
    weeksFrom: p.weeks[0]!,
  });
  return selectFrom(t.db, statement, ["parts"]);
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
