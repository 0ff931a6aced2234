/** The reports page's team usage (owners and admins): members active per week, features used, from usage data. */
import { BarChart } from "../../components/charts/BarChart";

export interface TeamUsageView {
  weeks: { week: string; label: string; members: number }[];
  features: { name: string; label: string; count: number }[];
}

/** Two charts of the workspace's own usage, each with a table of its figures. */
export function TeamUsageSection(p: {
  usage: TeamUsageView;
  format: (n: number) => string;
  formatTick: (n: number) => string;
}) {
  const u = p.usage;
  const counts = { format: p.format, formatTick: p.formatTick, integers: true };
  return (
    <section class="card" id="report-usage" aria-labelledby="report-usage-heading">
      <h2 id="report-usage-heading">How your team uses CustomerTrackr</h2>
      <p class="muted">
        From the app's usage data (see the <a href="/privacy#usage-data">privacy policy</a>): days are counted once they
        are over.
      </p>
      <BarChart
        id="chart-usage-members"
        title="Members active per week"
        xLabel="Week starting"
        yLabel="Members"
        categories={u.weeks.map((w) => ({ key: w.week, label: w.label }))}
        series={[{ key: "members", name: "Active members", values: u.weeks.map((w) => w.members) }]}
        empty="No usage recorded in this period yet."
        {...counts}
      />
      <BarChart
        id="chart-usage-features"
        title="Features used"
        xLabel="Feature"
        yLabel="Times used"
        categories={u.features.map((f) => ({ key: f.name, label: f.label }))}
        series={[{ key: "count", name: "Times used", values: u.features.map((f) => f.count) }]}
        empty="No features were used in this period yet."
        {...counts}
      />
      {/* Thirteen rows of zeros would only repeat the chart's "none yet". */}
      {u.features.some((f) => f.count > 0) ? (
        <table class="table report-table" id="usage-features-table">
          <caption>Features used in this period</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Times used</th>
            </tr>
          </thead>
          <tbody>
            {u.features.map((f) => (
              <tr>
                <th scope="row">{f.label}</th>
                <td class="num" data-label="Times used">
                  {p.format(f.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
