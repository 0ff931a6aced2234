/**
 * /app/reports: won and lost by reason, win rate and average deal size by owner, time spent in each stage, and
 * where contacts came from, for a date range, pipeline and owner. One batch over the report aggregates
 * (migration 0020) and the filter choices, as one statement (reports-sql.ts); each report is a bounded range of an
 * aggregate's primary key.
 */
import { selectFrom } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import type { ReportFilters } from "./filters";
import { reportsStatement } from "./reports-sql";
import { type ReportReader, seesWholeTeam } from "./scope";

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
type Row = Record<string, unknown>;
type Rows7 = [Row[], Row[], Row[], Row[], Row[], Row[], Row[]];

/** Reads every report for `f` as the reader may see it; a pipeline or owner not the workspace's is refused. */
export async function loadReports(t: TenantDb, reader: ReportReader, f: ReportFilters): Promise<ReportsAnswer> {
  const statement = reportsStatement({
    t: t.tenantId,
    me: reader.userId,
    admin: seesWholeTeam(reader) ? 1 : 0,
    dayFrom: f.from,
    dayTo: f.to,
    pipeline: f.pipelineId,
    owner: f.owner === "none" ? "" : f.owner,
  });
  const [result] = await t.db.batch([selectFrom(t.db, statement, ["parts"])]);
  const [tenantRows, pipelineRows, memberRows, outcomeRows, ownerRows, stageRows, sourceRows] = JSON.parse(
    String(result[0]?.parts ?? "[[],[],[],[],[],[],[]]"),
  ) as Rows7;
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
