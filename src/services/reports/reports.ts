/**
 * /app/reports: won and lost by reason, win rate and average deal size by owner, time spent in each stage, and
 * where contacts came from, for a date range, pipeline and owner. One batch over the report aggregates
 * (migration 0020) and the filter choices; each report is a bounded range of an aggregate's primary key.
 */
import { sql, type SQL } from "drizzle-orm";
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { ReportFilters } from "./filters";
import { type ReportReader, readerRows, seesWholeTeam } from "./scope";

export interface ReportChoices {
  currency: string;
  /** Members and viewers see only their own figures. */
  ownOnly: boolean;
  pipelines: { id: number; name: string }[];
  owners: { id: string; name: string }[];
}

export interface OutcomeRow {
  status: "won" | "lost";
  reason: string;
  currency: string;
  deals: number;
  amountMinor: number;
}

export interface OwnerRow {
  ownerId: string;
  owner: string;
  status: "won" | "lost";
  currency: string;
  deals: number;
  amountMinor: number;
}

export interface StageRow {
  stageId: number;
  stage: string;
  pipeline: string;
  spans: number;
  totalMs: number;
}

export interface SourceRow {
  source: string;
  contacts: number;
}

export interface Reports {
  choices: ReportChoices;
  outcomes: OutcomeRow[];
  owners: OwnerRow[];
  stages: StageRow[];
  sources: SourceRow[];
}

/** The reports, and the filter refused when it names a pipeline or owner that is not the workspace's (or not the reader's to pick). */
export interface ReportsAnswer {
  reports: Reports;
  refused: "pipeline" | "owner" | null;
}

const num = (v: unknown) => Number(v ?? 0);

/** Reads every report for `f` as the reader may see it; a pipeline or owner not the workspace's is refused. */
export async function loadReports(t: TenantDb, reader: ReportReader, f: ReportFilters): Promise<ReportsAnswer> {
  const tenant = t.tenantId;
  const asked = f.owner === "none" ? "" : f.owner;
  const owner = (column: SQL) => readerRows(t, reader, column, asked);
  const pipeline = (column: SQL) => (f.pipelineId === null ? sql`1` : sql`${column} = ${f.pipelineId}`);
  const range = (day: SQL) => sql`${day} >= ${f.from} AND ${day} <= ${f.to}`;
  const rows = <K extends string>(statement: SQL, fields: readonly K[]) => selectFrom(t.db, statement, fields);
  const [tenantRows, pipelineRows, memberRows, outcomeRows, ownerRows, stageRows, sourceRows] = await t.db.batch([
    rows(sql`SELECT currency, report_scope AS scope FROM tenants WHERE id = ${tenant}`, ["currency", "scope"]),
    rows(sql`SELECT id, name FROM pipelines WHERE tenant_id = ${tenant} ORDER BY position, id`, ["id", "name"]),
    rows(
      sql`SELECT u.id, coalesce(nullif(u.name, ''), u.email) AS name FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = ${tenant} ORDER BY lower(coalesce(nullif(u.name, ''), u.email))`,
      ["id", "name"],
    ),
    rows(
      sql`SELECT status, reason, currency, sum(deals) AS deals, sum(amount_minor) AS amountMinor
        FROM report_deal_outcomes WHERE tenant_id = ${tenant} AND status IN ('won', 'lost') AND ${range(sql`day`)}
          AND ${pipeline(sql`pipeline_id`)} AND ${owner(sql`owner_key`)}
        GROUP BY 1, 2, 3 ORDER BY status DESC, deals DESC, reason`,
      ["status", "reason", "currency", "deals", "amountMinor"],
    ),
    rows(
      sql`SELECT r.owner_key AS ownerId, coalesce(nullif(u.name, ''), u.email, '') AS owner, r.status, r.currency,
          sum(r.deals) AS deals, sum(r.amount_minor) AS amountMinor
        FROM report_deal_outcomes r LEFT JOIN users u ON u.id = r.owner_key
        WHERE r.tenant_id = ${tenant} AND r.status IN ('won', 'lost') AND ${range(sql`r.day`)}
          AND ${pipeline(sql`r.pipeline_id`)} AND ${owner(sql`r.owner_key`)}
        GROUP BY 1, 3, 4`,
      ["ownerId", "owner", "status", "currency", "deals", "amountMinor"],
    ),
    // Stays have no owner: the time-in-stage report is the team's process, for every reader.
    rows(
      sql`SELECT r.stage_id AS stageId, coalesce(s.name, 'Removed stage') AS stage, coalesce(p.name, '') AS pipeline,
          sum(r.spans) AS spans, sum(r.total_ms) AS totalMs
        FROM report_stage_days r LEFT JOIN pipeline_stages s ON s.id = r.stage_id
        LEFT JOIN pipelines p ON p.id = r.pipeline_id
        WHERE r.tenant_id = ${tenant} AND ${range(sql`r.day`)} AND ${pipeline(sql`r.pipeline_id`)}
        GROUP BY r.stage_id ORDER BY p.position, r.pipeline_id, s.position, r.stage_id`,
      ["stageId", "stage", "pipeline", "spans", "totalMs"],
    ),
    rows(
      sql`SELECT source, sum(count) AS contacts FROM report_contact_days
        WHERE tenant_id = ${tenant} AND ${range(sql`day`)} AND ${owner(sql`user_key`)} GROUP BY 1 ORDER BY 2 DESC`,
      ["source", "contacts"],
    ),
  ]);
  const pipelines = pipelineRows.map((r) => ({ id: num(r.id), name: String(r.name) }));
  const members = memberRows.map((r) => ({ id: String(r.id), name: String(r.name) }));
  const ownOnly = tenantRows[0]?.scope === "own" && !seesWholeTeam(reader);
  const owners = ownOnly ? members.filter((m) => m.id === reader.userId) : members;
  const refused =
    f.pipelineId !== null && !pipelines.some((p) => p.id === f.pipelineId)
      ? "pipeline"
      : f.owner !== null && f.owner !== "none" && !owners.some((m) => m.id === f.owner)
        ? "owner"
        : null;
  return {
    refused,
    reports: {
      choices: { currency: String(tenantRows[0]?.currency ?? "USD"), ownOnly, pipelines, owners },
      outcomes: outcomeRows.map((r) => ({
        status: r.status === "won" ? "won" : "lost",
        reason: String(r.reason),
        currency: String(r.currency),
        deals: num(r.deals),
        amountMinor: num(r.amountMinor),
      })),
      owners: ownerRows.map((r) => ({
        ownerId: String(r.ownerId),
        owner: String(r.owner),
        status: r.status === "won" ? "won" : "lost",
        currency: String(r.currency),
        deals: num(r.deals),
        amountMinor: num(r.amountMinor),
      })),
      stages: stageRows.map((r) => ({
        stageId: num(r.stageId),
        stage: String(r.stage),
        pipeline: String(r.pipeline),
        spans: num(r.spans),
        totalMs: num(r.totalMs),
      })),
      sources: sourceRows.map((r) => ({ source: String(r.source), contacts: num(r.contacts) })),
    },
  };
}
