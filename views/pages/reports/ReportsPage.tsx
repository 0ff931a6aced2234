import type { Child } from "hono/jsx";
import { BarChart } from "../../components/charts/BarChart";
import { FormAlert } from "../../components/Field";
import { TeamUsageSection, type TeamUsageView } from "./TeamUsage";
import { InputField, SelectField } from "../companies/FormFields";

interface Amount {
  currency: string;
  amountMinor: number;
}

export interface ReportLines {
  outcomes: { label: string; status: "won" | "lost"; deals: number; amounts: Amount[] }[];
  owners: {
    ownerId: string;
    owner: string;
    won: number;
    lost: number;
    winRate: number;
    wonAmounts: (Amount & { averageMinor: number })[];
  }[];
  stages: { stageId: number; label: string; spans: number; averageDays: number }[];
  sources: { source: string; label: string; contacts: number }[];
}

export interface ReportsPageProps {
  values: { from: string; to: string; pipeline: string; owner: string };
  errors: Partial<Record<"from" | "to" | "pipeline" | "owner", string>>;
  choices: {
    currency: string;
    ownOnly: boolean;
    pipelines: { id: number; name: string }[];
    owners: { id: string; name: string }[];
  };
  /** The filters as a query, for the CSV links. */
  csvQuery: string;
  /** Null when the filters could not be read (the form shows why). */
  reports: ReportLines | null;
  /** The workspace's own usage (owners and admins only); null for others. */
  usage?: TeamUsageView | null;
  formats: {
    count: (n: number) => string;
    countTick: (n: number) => string;
    amount: (minor: number, currency: string) => string;
    percent: (fraction: number) => string;
    days: (days: number) => string;
  };
}

function Filters(p: ReportsPageProps) {
  const e = p.errors;
  return (
    <form class="report-filters" method="get" action="/app/reports" aria-label="Report filters">
      <InputField name="from" label="From" type="date" value={p.values.from} error={e.from} />
      <InputField name="to" label="To" type="date" value={p.values.to} error={e.to} />
      <SelectField
        name="pipeline"
        label="Pipeline"
        empty="All pipelines"
        value={p.values.pipeline}
        options={p.choices.pipelines.map((x) => ({ value: String(x.id), label: x.name }))}
        error={e.pipeline}
      />
      <SelectField
        name="owner"
        label="Owner"
        empty={p.choices.ownOnly ? "You" : "Everyone"}
        value={p.values.owner}
        options={[
          ...p.choices.owners.map((x) => ({ value: x.id, label: x.name })),
          ...(p.choices.ownOnly ? [] : [{ value: "none", label: "No owner" }]),
        ]}
        error={e.owner}
      />
      <div class="actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

/** One report: its card, the CSV download of the same figures, and what it holds. */
function Report(p: { id: string; title: string; csv: string; note?: string; children: Child }) {
  return (
    <section class="card" id={p.id} aria-labelledby={`${p.id}-heading`}>
      <h2 id={`${p.id}-heading`}>{p.title}</h2>
      {p.note ? <p class="muted">{p.note}</p> : null}
      {p.children}
      <p>
        <a href={p.csv} download>
          Download CSV<span class="visually-hidden"> of {p.title.toLowerCase()}</span>
        </a>
      </p>
    </section>
  );
}

/**
 * A report's figures as a table beside its chart: the first cell of a row heads it, the others are numbers. A
 * region that can take focus: on a narrow screen it scrolls, and the keyboard must reach it. Nothing without rows.
 */
function ReportTable(p: { label: string; caption: string; headers: string[]; rows: string[][] }) {
  if (p.rows.length === 0) return null;
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-label={p.label}>
      <table class="table report-table">
        <caption class="visually-hidden">{p.caption}</caption>
        <thead>
          <tr>
            {p.headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map(([head, ...cells]) => (
            <tr>
              <th scope="row">{head}</th>
              {cells.map((c, i) => (
                <td class="num" data-label={p.headers[i + 1]}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const amounts = (list: Amount[], f: ReportsPageProps["formats"]) =>
  list.length === 0 ? "—" : list.map((a) => f.amount(a.amountMinor, a.currency)).join(" + ");

function Reports(p: ReportsPageProps & { reports: ReportLines }) {
  const { reports: r, formats: f } = p;
  const csv = (name: string) => `/app/reports/${name}.csv?${p.csvQuery}`;
  const counts = { format: f.count, formatTick: f.countTick, integers: true };
  return (
    <div class="reports">
      <Report id="report-outcomes" title="Won and lost by reason" csv={csv("outcomes")}>
        <BarChart
          id="chart-outcomes"
          title="Deals won, and lost by reason"
          xLabel="Outcome"
          yLabel="Deals"
          categories={r.outcomes.map((l, i) => ({ key: String(i), label: l.label }))}
          series={[{ key: "deals", name: "Deals", values: r.outcomes.map((l) => l.deals) }]}
          hasData={r.outcomes.length > 0}
          empty="No deals were won or lost in this period."
          {...counts}
        />
        <ReportTable
          label="Won and lost by reason, as a table"
          caption="Won and lost deals by reason, with their amounts"
          headers={["Outcome", "Deals", "Amount"]}
          rows={r.outcomes.map((l) => [
            l.status === "won" ? "Won" : `Lost: ${l.label}`,
            f.count(l.deals),
            amounts(l.amounts, f),
          ])}
        />
      </Report>
      <Report id="report-owners" title="Win rate and deal size by owner" csv={csv("owners")}>
        <BarChart
          id="chart-owners"
          title="Win rate by owner"
          xLabel="Owner"
          yLabel="Win rate"
          categories={r.owners.map((l) => ({ key: l.ownerId || "none", label: l.owner }))}
          series={[{ key: "rate", name: "Win rate", values: r.owners.map((l) => l.winRate) }]}
          format={f.percent}
          formatTick={f.percent}
          // An owner is listed for a deal won or lost: every one lost is a 0 % bar, not "nothing".
          hasData={r.owners.length > 0}
          empty="No deals were won or lost in this period."
        />
        <ReportTable
          label="Win rate and deal size by owner, as a table"
          caption="Won and lost deals, win rate and average won deal by owner"
          headers={["Owner", "Won", "Lost", "Win rate", "Won amount", "Average won deal"]}
          rows={r.owners.map((l) => [
            l.owner,
            f.count(l.won),
            f.count(l.lost),
            f.percent(l.winRate),
            amounts(l.wonAmounts, f),
            amounts(
              l.wonAmounts.map((a) => ({ currency: a.currency, amountMinor: a.averageMinor })),
              f,
            ),
          ])}
        />
      </Report>
      <Report
        id="report-stages"
        title="Time spent in each stage"
        csv={csv("stages")}
        note="Average days a deal stayed in a stage before it moved on, for stays that ended in this period (all owners)."
      >
        <BarChart
          id="chart-stages"
          title="Average days in stage"
          xLabel="Stage"
          yLabel="Days"
          categories={r.stages.map((l) => ({ key: String(l.stageId), label: l.label }))}
          series={[{ key: "days", name: "Average days", values: r.stages.map((l) => l.averageDays) }]}
          format={f.days}
          formatTick={f.countTick}
          // Stays under 0.1 days average 0.0: still stays.
          hasData={r.stages.some((l) => l.spans > 0)}
          empty="No deal left a stage in this period."
        />
      </Report>
      <Report id="report-sources" title="Where contacts came from" csv={csv("sources")}>
        <BarChart
          id="chart-sources"
          title="Contacts added by source"
          xLabel="Source"
          yLabel="Contacts added"
          categories={r.sources.map((l) => ({ key: l.source, label: l.label }))}
          series={[{ key: "contacts", name: "Contacts added", values: r.sources.map((l) => l.contacts) }]}
          empty="No contacts were added in this period."
          {...counts}
        />
      </Report>
    </div>
  );
}

/** /app/reports: filters, then each report with its chart, table and CSV download. */
export function ReportsPage(p: ReportsPageProps) {
  return (
    <div class="stack">
      <h1>Reports</h1>
      {p.choices.ownOnly ? (
        <p class="muted">Your workspace shows members their own figures: these are your deals and activities.</p>
      ) : null}
      <Filters {...p} />
      {/* The report tables count timestamps by day in UTC (migration 0020); deals close on a calendar date. */}
      <p class="muted">
        Won and lost deals count on the day they closed; contacts added, activities and stage stays by day in UTC.
      </p>
      {p.reports ? (
        <Reports {...p} reports={p.reports} />
      ) : (
        <FormAlert kind="error">Correct the filters above to see the reports.</FormAlert>
      )}
      {p.reports && p.usage ? (
        <TeamUsageSection usage={p.usage} format={p.formats.count} formatTick={p.formats.countTick} />
      ) : null}
    </div>
  );
}
