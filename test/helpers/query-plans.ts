/**
 * How test/db/query-plans.test.ts reads a plan: EXPLAIN QUERY PLAN of a statement as it was sent, and what in it
 * reads a whole workspace (see that file).
 */
import { env } from "cloudflare:workers";
import type { BoundStatement } from "./query-count";

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/**
 * A workspace's settings rather than its records: tens of rows each (members, pipelines and their stages, fields,
 * saved views, endpoints), and tables of a few rows in all, so walking or sorting them is fine.
 */
const SMALL = new Set([
  "memberships",
  "invitations",
  "pipelines",
  "pipeline_stages",
  "deal_stage_totals",
  "lost_reasons",
  "custom_fields",
  "saved_views",
  "webhook_endpoints",
  "api_keys",
  // One row per table with AUTOINCREMENT: the writes read the id just given from it.
  "sqlite_sequence",
  // One row a week: the weekly digest's progress.
  "digest_runs",
]);

interface Schema {
  tables: Set<string>;
  /** Unique indexes on tenant_id alone (a table with one row per workspace): their search is a lookup. */
  unique: Set<string>;
}

/**
 * Partial indexes of the moves under way (status not done or failed): a handful of rows in all, so walking one is
 * reading those moves, not a table (the reminder sweep reads them to skip a move's second copy).
 */
const UNDER_WAY = new Set(["shard_moves_working_idx", "shard_moves_one_working"]);

/** The tables a statement names and their aliases (`FROM contacts c`, `JOIN tags AS g`), alias → table. */
function aliasesOf(sql: string, tables: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+["`]?(\w+)["`]?(?:\s+(?:AS\s+)?["`]?(\w+)["`]?)?/gi)) {
    const table = m[1]!;
    if (!tables.has(table)) continue;
    out.set(table, table);
    if (m[2] && !/^(ON|WHERE|JOIN|LEFT|INNER|CROSS|USING|GROUP|ORDER|LIMIT)$/i.test(m[2])) out.set(m[2], table);
  }
  return out;
}

/** What is wrong with one statement's plan, one line each (empty: nothing). */
function planProblems(sql: string, rows: PlanRow[], schema: Schema): string[] {
  const aliases = aliasesOf(sql, schema.tables);
  const large = (name: string) => {
    const table = aliases.get(name);
    return table !== undefined && !SMALL.has(table);
  };
  const byId = new Map(rows.map((r) => [r.id, r]));
  const correlated = (r: PlanRow) => {
    for (let p = byId.get(r.parent); p; p = byId.get(p.parent)) if (p.detail.startsWith("CORRELATED")) return true;
    return false;
  };
  // A statement whose outer loop is over its one row of parameters (`WITH a AS (SELECT ? AS j)`), as the dashboard
  // and reports send, runs each correlated subquery once.
  const perRow = rows.some((r) => r.parent === 0 && aliases.has(r.detail.match(/^(?:SCAN|SEARCH) (\w+)/)?.[1] ?? ""));
  const problems: string[] = [];
  // A column compared with itself: drizzle writes a one-table select's columns unqualified, so inside a subquery
  // `${inner.tenantId} = ${outer.tenantId}` reads "tenant_id" = "tenant_id", true of every row of every workspace.
  for (const m of sql.matchAll(/("\w+"(?:\."\w+")?) = \1(?![."\w])/g))
    problems.push(`a column compared with itself: ${m[0]}`);
  for (const r of rows) {
    const scan = r.detail.match(/^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$/);
    if (scan && large(scan[1]!) && !UNDER_WAY.has(scan[2] ?? "")) problems.push(`full scan: ${r.detail}`);
    const search = r.detail.match(/^SEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \(tenant_id=\?\)$/);
    if (!search || schema.unique.has(search[2]!) || !large(search[1]!)) continue;
    if (perRow && correlated(r)) problems.push(`a workspace's rows for each row: ${r.detail}`);
    const sorted = rows.some(
      (s) => s.parent === r.parent && s.id > r.id && /^USE TEMP B-TREE FOR (?:RIGHT PART OF )?ORDER BY$/.test(s.detail),
    );
    if (sorted) problems.push(`a workspace's rows sorted: ${r.detail}`);
  }
  return problems;
}

/** The schema's tables and its unique indexes on tenant_id alone, from its SQL (D1 refuses the pragma functions). */
async function schemaOf(): Promise<Schema> {
  const { results } = await env.DB.prepare(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL",
  ).all<{ type: string; name: string; tbl_name: string; sql: string }>();
  const tables = new Set(results.filter((r) => r.type === "table").map((r) => r.name));
  const unique = new Set<string>();
  for (const r of results) {
    if (r.type === "table" && /`tenant_id` text PRIMARY KEY|PRIMARY KEY\(`tenant_id`\)/.test(r.sql))
      unique.add(`sqlite_autoindex_${r.tbl_name}_1`);
    if (r.type === "index" && /^CREATE UNIQUE INDEX .* \(`tenant_id`\)$/.test(r.sql)) unique.add(r.name);
  }
  return { tables, unique };
}

let schema: Schema | null = null;

/**
 * Statements that read a workspace's rows by design, each with why. The cron's hourly measure for placement (src/services/shards/directory.ts measureDatabases, at minute 7): it counts
 * every workspace per database from the directory, one row per workspace. Any test whose cron ran at minute 7 of an
 * hour met it, and failed by the clock.
 */
const BY_DESIGN = [
  /^select "shard", count\(\*\) from "workspace_shards" group by "workspace_shards"\."shard"$/,
  /^select count\(\*\) from "tenants" where NOT EXISTS \(SELECT 1 FROM "workspace_shards" WHERE "workspace_shards"\."tenant_id" = "tenants"\."id"\)$/,
];

export async function explain(s: BoundStatement): Promise<string[]> {
  const flat = s.sql.replace(/\s+/g, " ").trim();
  if (!/^(SELECT|WITH|UPDATE|DELETE|INSERT)/i.test(flat) || BY_DESIGN.some((re) => re.test(flat))) return [];
  schema ??= await schemaOf();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
    .bind(...s.params)
    .all<PlanRow>();
  return planProblems(s.sql, results, schema);
}

/** Each problem once, with the first request that showed it. */
export const distinct = (problems: string[]) => {
  const seen = new Map<string, string>();
  for (const p of problems) {
    const key = p.slice(p.indexOf(" :: ") + 4);
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
};

/** Problems of `statements`, each once, labelled: "label :: problem — statement". */
export async function statementsProblems(statements: BoundStatement[], label: string): Promise<string[]> {
  const out: string[] = [];
  for (const s of statements)
    for (const p of await explain(s)) out.push(`${label} :: ${p} — ${s.sql.replace(/\s+/g, " ").slice(0, 240)}`);
  return distinct(out);
}
