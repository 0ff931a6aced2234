/**
 * /app/reports: the owner's questions answered from the report aggregates, filtered by dates, pipeline and
 * owner, each report also a CSV download. Viewers read reports; whose figures they see is the workspace's
 * report scope (src/services/reports/scope.ts).
 */
import { trackFeature } from "../../../middleware/usage";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../../env";
import { render, wantsFragment } from "../../../lib/render";
import { dateInZone } from "../../../lib/zoned-time";
import { requireRole, roleAtLeast } from "../../../middleware/session";
import { loadTeamUsage } from "../../../services/usage/team-usage";
import { FEATURE_EVENTS } from "../../../services/usage/definitions";
import { reportCsv } from "../../../services/reports/csv";
import { type FilterErrors, filterQuery, readFilters } from "../../../services/reports/filters";
import { loadReports } from "../../../services/reports/reports";
import { REPORT_NAMES, outcomeLines, ownerLines, sourceLines, stageLines } from "../../../services/reports/summaries";
import { authOf, tenantOf } from "../../context";
import { chartFormats } from "./formats";
import { ReportsPage } from "../../../../views/pages/reports/ReportsPage";

/** Mounted at /app/reports. */
export const reportsRoutes = new Hono<AppEnv>();

const REFUSED = { pipeline: "Choose a pipeline from the list.", owner: "Choose an owner from the list." };

/**
 * The reports a query asks for, with the messages by field when it cannot be answered (then the reports are
 * read for the default filters, so the form still offers the workspace's pipelines and members).
 */
async function reportsOf(c: Context<AppEnv>, opts: { withTeamUsage?: boolean } = {}) {
  const auth = authOf(c);
  const today = dateInZone(Date.now(), auth.user.timeZone);
  const query = {
    from: c.req.query("from"),
    to: c.req.query("to"),
    pipeline: c.req.query("pipeline"),
    owner: c.req.query("owner"),
  };
  const asked = readFilters(query, today);
  const dated = Object.keys(asked.errors).length === 0;
  const filters = dated ? asked.filters : readFilters({}, today).filters;
  // The team's usage (owners and admins) is read beside the reports, not after them: two reads, one wait.
  const [answer, usage] = await Promise.all([
    loadReports(tenantOf(c), { userId: auth.user.id, role: auth.role }, filters),
    opts.withTeamUsage ? loadTeamUsage(tenantOf(c), filters.from, filters.to) : null,
  ]);
  const errors: FilterErrors = {
    ...asked.errors,
    ...(answer.refused ? { [answer.refused]: REFUSED[answer.refused] } : {}),
  };
  return {
    query,
    filters,
    errors,
    failed: Object.keys(errors).length > 0,
    reports: answer.reports,
    usage,
    locale: auth.user.locale,
  };
}

reportsRoutes.get("/", requireRole("viewer"), async (c) => {
  // Owners and admins also see how their own team uses the app (usage data, this workspace only).
  const r = await reportsOf(c, { withTeamUsage: roleAtLeast(authOf(c).role, "admin") });
  const { choices } = r.reports;
  if (!wantsFragment(c)) trackFeature(c, "report.viewed");
  const usage = r.failed ? null : r.usage;
  return render(
    c,
    "Reports",
    <ReportsPage
      values={{
        from: r.query.from ?? r.filters.from,
        to: r.query.to ?? r.filters.to,
        pipeline: r.query.pipeline ?? "",
        owner: r.query.owner ?? "",
      }}
      errors={r.errors}
      choices={choices}
      csvQuery={filterQuery(r.filters)}
      reports={
        r.failed
          ? null
          : {
              outcomes: outcomeLines(r.reports.outcomes),
              owners: ownerLines(r.reports.owners),
              stages: stageLines(r.reports.stages),
              sources: sourceLines(r.reports.sources),
            }
      }
      formats={chartFormats(choices.currency, r.locale)}
      usage={
        usage && {
          weeks: usage.weeks.map((w) => ({ ...w, label: w.week })),
          features: usage.features.map((f) => ({ ...f, label: sentenceCase(FEATURE_EVENTS[f.name]) })),
        }
      }
    />,
    r.failed ? 400 : 200,
  );
});

const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

for (const name of REPORT_NAMES) {
  reportsRoutes.get(`/${name}.csv`, requireRole("viewer"), async (c) => {
    const r = await reportsOf(c);
    if (r.failed) return c.text(Object.values(r.errors).join("\n"), 400);
    return c.body(reportCsv(name, r.reports), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${r.filters.from}-to-${r.filters.to}.csv"`,
      "Cache-Control": "no-store",
    });
  });
}
