/**
 * Staff admins' view of product usage (/staff/usage), inside the console's layout. Charts are the
 * dashboard's server-rendered SVG.
 */
import { BarChart } from "../../components/charts/BarChart";
import { LineChart } from "../../components/charts/LineChart";

export interface StaffUsageView {
  from: string;
  to: string;
  activeWorkspaces: number;
  weeks: { week: string; workspaces: number; users: number; conversions: number }[];
  adoption: { name: string; label: string; share: number; workspaces: number }[];
  areas: { area: string; hours: number }[];
}

interface Formats {
  count: (n: number) => string;
  countTick: (n: number) => string;
  percent: (n: number) => string;
  hours: (n: number) => string;
}

/** The page's content: four charts, each with what it counts. */
export function StaffUsageContent(p: { usage: StaffUsageView; formats: Formats }) {
  const u = p.usage;
  const f = p.formats;
  const weeks = u.weeks.map((w) => ({ key: w.week, label: `Week of ${w.week}`, tick: w.week.slice(5) }));
  const counts = { format: f.count, formatTick: f.countTick, integers: true };
  return (
    <div class="stack">
      <h1>Product usage</h1>
      <p class="muted">
        From the daily usage aggregates, {u.from} to {u.to}: {f.count(u.activeWorkspaces)} active workspaces. Staff
        support-view browsing is not counted.
      </p>
      <section class="card" aria-labelledby="usage-active-heading">
        <h2 id="usage-active-heading">Active workspaces and users per week</h2>
        <LineChart
          id="chart-staff-active"
          title="Active workspaces and users per week"
          xLabel="Week"
          yLabel="Active"
          categories={weeks}
          series={[
            { key: "workspaces", name: "Workspaces", values: u.weeks.map((w) => w.workspaces) },
            { key: "users", name: "Users", values: u.weeks.map((w) => w.users) },
          ]}
          empty="No usage recorded in these weeks."
          {...counts}
        />
      </section>
      <section class="card" aria-labelledby="usage-adoption-heading">
        <h2 id="usage-adoption-heading">Feature adoption</h2>
        <BarChart
          id="chart-staff-adoption"
          title="Share of active workspaces using each feature"
          xLabel="Feature"
          yLabel="Workspaces"
          categories={u.adoption.map((a) => ({ key: a.name, label: a.label }))}
          series={[{ key: "share", name: "Share of workspaces", values: u.adoption.map((a) => a.share) }]}
          format={f.percent}
          formatTick={f.percent}
          empty="No features were used in these weeks."
        />
      </section>
      <section class="card" aria-labelledby="usage-areas-heading">
        <h2 id="usage-areas-heading">Time spent per area</h2>
        <BarChart
          id="chart-staff-areas"
          title="Visible time per area of the app"
          xLabel="Area"
          yLabel="Hours"
          categories={u.areas.map((a) => ({ key: a.area, label: a.area }))}
          series={[{ key: "hours", name: "Hours", values: u.areas.map((a) => a.hours) }]}
          format={f.hours}
          formatTick={f.countTick}
          empty="No time was recorded in these weeks."
        />
      </section>
      <section class="card" aria-labelledby="usage-conversion-heading">
        <h2 id="usage-conversion-heading">Plan conversion: Free to Team</h2>
        <BarChart
          id="chart-staff-conversions"
          title="Workspaces that moved from Free to Team, per week"
          xLabel="Week"
          yLabel="Workspaces"
          categories={weeks}
          series={[{ key: "conversions", name: "Conversions", values: u.weeks.map((w) => w.conversions) }]}
          empty="No workspace moved from Free to Team in these weeks."
          {...counts}
        />
      </section>
    </div>
  );
}
