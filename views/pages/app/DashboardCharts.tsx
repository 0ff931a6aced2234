import { Card } from "../../components/Card";
import { BarChart } from "../../components/charts/BarChart";
import { LineChart } from "../../components/charts/LineChart";
import type { ChartCategory } from "../../components/charts/types";
import { CalendarDate } from "../../components/Time";

interface MoneyChart {
  categories: ChartCategory[];
  values: number[];
  deals: number[];
  other: { currency: string; deals: number; amountMinor: number }[];
}

export interface DashboardChartsProps {
  pipeline: MoneyChart;
  won: MoneyChart;
  forecast: MoneyChart;
  activities: { categories: ChartCategory[]; series: { key: string; name: string; values: number[] }[] };
  contacts: { categories: ChartCategory[]; values: number[] };
  attention: {
    tasks: { id: number; title: string; dueDate: string }[];
    taskCount: number;
    deals: { id: number; name: string; amountMinor: number; currency: string; closeDate: string }[];
    dealCount: number;
  };
  /** The workspace's currency, the one the money charts draw. */
  currency: string;
  /** Formatters in the reader's locale: a chart amount (major units), its axis tick, a count, an amount in minor units. */
  money: (major: number) => string;
  moneyTick: (major: number) => string;
  count: (n: number) => string;
  countTick: (n: number) => string;
  amount: (minor: number, currency: string) => string;
  /** The reader sees only their own figures (the workspace's report scope). */
  ownOnly: boolean;
  /** Admins see everyone's overdue tasks; others their own. */
  teamTasks: boolean;
}

/** "Not shown: €700.00 in 1 deal, £20.00 in 2 deals" for the amounts in other currencies. */
function otherCurrencies(p: DashboardChartsProps, chart: MoneyChart): string | undefined {
  if (chart.other.length === 0) return undefined;
  const parts = chart.other.map(
    (o) => `${p.amount(o.amountMinor, o.currency)} in ${p.count(o.deals)} ${o.deals === 1 ? "deal" : "deals"}`,
  );
  return `Not drawn (other currencies): ${parts.join(", ")}`;
}

/**
 * A money chart's `hasData` and `empty` from its deals: drawn when it counts deals in the workspace's currency
 * (even of 0 value); when its deals are all in other currencies, it says so rather than that there are none.
 */
function moneyEmpty(p: DashboardChartsProps, chart: MoneyChart, none: string) {
  return {
    hasData: chart.deals.some((n) => n > 0),
    empty: chart.other.length ? `Nothing in ${p.currency} to draw: these deals are in other currencies.` : none,
  };
}

const capped = (n: number, count: (n: number) => string) => (n >= 100 ? "100+" : count(n));

function NeedsAttention(p: DashboardChartsProps) {
  const a = p.attention;
  return (
    <Card id="attention" title="Needs attention">
      {a.taskCount === 0 && a.dealCount === 0 ? (
        <p class="muted">Nothing overdue. Well done.</p>
      ) : (
        <div class="attention">
          <section aria-labelledby="attention-tasks">
            <h3 id="attention-tasks">
              <a href={p.teamTasks ? "/app/tasks?assignee=all&section=overdue" : "/app/tasks?section=overdue"}>
                {capped(a.taskCount, p.count)} overdue {a.taskCount === 1 ? "task" : "tasks"}
              </a>
            </h3>
            <ul class="plain-list" data-overdue-tasks="">
              {a.tasks.map((t) => (
                <li>
                  <a href={`/app/tasks/${t.id}/edit`}>{t.title}</a>{" "}
                  <span class="muted">
                    · due <CalendarDate date={t.dueDate} />
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="attention-deals">
            <h3 id="attention-deals">
              {capped(a.dealCount, p.count)} {a.dealCount === 1 ? "deal" : "deals"} past the close date
            </h3>
            <ul class="plain-list" data-past-deals="">
              {a.deals.map((d) => (
                <li>
                  <a href={`/app/deals/${d.id}`}>{d.name}</a>{" "}
                  <span class="muted">
                    · {p.amount(d.amountMinor, d.currency)} · expected <CalendarDate date={d.closeDate} />
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </Card>
  );
}

/** The dashboard's charts and what needs attention, drawn from the report aggregates. */
export function DashboardCharts(p: DashboardChartsProps) {
  const money = { format: p.money, formatTick: p.moneyTick };
  const counts = { format: p.count, formatTick: p.countTick, integers: true };
  return (
    <>
      <NeedsAttention {...p} />
      <section class="charts" aria-labelledby="charts-title">
        <h2 id="charts-title" class="visually-hidden">
          Charts
        </h2>
        {p.ownOnly ? <p class="muted">These figures are yours only: your workspace shows members their own.</p> : null}
        <BarChart
          id="chart-pipeline"
          title="Open pipeline by stage"
          xLabel="Stage"
          yLabel={`Open value (${p.currency})`}
          categories={p.pipeline.categories}
          series={[{ key: "open", name: "Open value", values: p.pipeline.values }]}
          summary={otherCurrencies(p, p.pipeline)}
          {...moneyEmpty(p, p.pipeline, "No open deals yet.")}
          {...money}
        />
        <BarChart
          id="chart-won"
          title="Deals won per month"
          xLabel="Month closed"
          yLabel={`Won (${p.currency})`}
          categories={p.won.categories}
          series={[{ key: "won", name: "Won", values: p.won.values }]}
          summary={otherCurrencies(p, p.won)}
          {...moneyEmpty(p, p.won, "No deals won in the last 12 months.")}
          {...money}
        />
        <BarChart
          id="chart-forecast"
          title="Forecast by expected close month"
          xLabel="Expected close month"
          yLabel={`Weighted value (${p.currency})`}
          summary={otherCurrencies(p, p.forecast) ?? "Each deal counts at its stage's win probability."}
          categories={p.forecast.categories}
          series={[{ key: "weighted", name: "Weighted value", values: p.forecast.values }]}
          {...moneyEmpty(p, p.forecast, "No open deals are expected to close in the next six months.")}
          {...money}
        />
        <LineChart
          id="chart-activities"
          title="Activities per week"
          xLabel="Week starting"
          yLabel="Activities"
          categories={p.activities.categories}
          series={p.activities.series}
          empty="No calls, meetings, emails, notes or completed tasks in the last 12 weeks."
          {...counts}
        />
        <LineChart
          id="chart-contacts"
          title="Contacts added per week"
          xLabel="Week starting"
          yLabel="Contacts added"
          categories={p.contacts.categories}
          series={[{ key: "contacts", name: "Contacts added", values: p.contacts.values }]}
          empty="No contacts added in the last 12 weeks."
          {...counts}
        />
      </section>
    </>
  );
}
