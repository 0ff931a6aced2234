/**
 * The plans SQLite makes of what our pages and API send, as production gets them: a D1 database has no
 * statistics (nothing runs ANALYZE), and without them SQLite picks an index by its columns alone, so a query that
 * is fast on an analysed copy can walk a whole workspace for every row. Every statement a request sends is
 * explained here (the test database has no statistics either) and its plan must not:
 * - scan a table of the schema (every workspace's rows);
 * - sort a workspace's rows to answer one page (a temporary B-tree under a search on `tenant_id` alone);
 * - walk a workspace's rows for each row of the answer (a correlated subquery searching on `tenant_id` alone).
 * The requests are every API read (from the OpenAPI document, ids filled with real records) and the app's pages
 * that read records, so a new read is checked without being named here.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { type BoundStatement, countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { api, makeKey } from "../api/helpers";
import { APP_ROUTES, urlOf } from "../helpers/app-routes";
import { addEndpoint, receiverUrl } from "../webhooks/helpers";
import { WEBHOOK_EVENT_TYPES } from "../../src/services/webhooks/events";
import { CONTACT_SORTS } from "../../src/services/contacts/sort";
import { COMPANY_SORTS } from "../../src/services/companies/list";
import { DEAL_SORTS } from "../../src/services/deals/list-sort";

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/**
 * A workspace's settings rather than its records: tens of rows each (members, pipelines and their stages, fields,
 * saved views, endpoints), so walking or sorting them in a request is fine.
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
]);

interface Schema {
  tables: Set<string>;
  /** Unique indexes on tenant_id alone (a table with one row per workspace): their search is a lookup. */
  unique: Set<string>;
}

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
  for (const r of rows) {
    const scan = r.detail.match(/^SCAN (\w+)(?: USING (?:COVERING )?INDEX \w+)?$/);
    if (scan && large(scan[1]!)) problems.push(`full scan: ${r.detail}`);
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
 * Statements that read a workspace's rows by design, each with why. The task titles of the search: a substring of
 * a title has no index to serve it, so the search reads the workspace's tasks (no more: the list of results is short).
 */
const BY_DESIGN = [/instr\(lower\("tasks"\."title"\), \?\) > 0/];

async function explain(s: BoundStatement): Promise<string[]> {
  if (!/^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)/i.test(s.sql) || BY_DESIGN.some((re) => re.test(s.sql))) return [];
  schema ??= await schemaOf();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
    .bind(...s.params)
    .all<PlanRow>();
  return planProblems(s.sql, results, schema);
}

/** Each problem once, with the first request that showed it. */
const distinct = (problems: string[]) => {
  const seen = new Map<string, string>();
  for (const p of problems) {
    const key = p.slice(p.indexOf(" :: ") + 4);
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
};

/** Problems of every statement `request` sends, as "problem — statement". */
async function problemsOf(request: (db: D1Database) => Promise<Response>, label: string): Promise<string[]> {
  const counting = countingDb();
  const res = await request(counting.binding);
  expect(res.status, label).toBeLessThan(500);
  const out: string[] = [];
  for (const s of counting.bound) {
    for (const p of await explain(s)) out.push(`${label} :: ${p} — ${s.sql.replace(/\s+/g, " ").slice(0, 240)}`);
  }
  return out;
}

/**
 * A workspace with one record of each kind, made through the API with an endpoint subscribed to every event (so
 * each write builds its event's payload too), every statement of the writes recorded on `writes`.
 */
async function workspace(writes: BoundStatement[] | null = null) {
  const t = await newTenant("Plans Co");
  const key = await makeKey(t.cookie);
  // Only where the writes are checked: each event is a delivery on the queue the other files' jobs share.
  if (writes) await addEndpoint(t.cookie, receiverUrl("plans"), [...WEBHOOK_EVENT_TYPES]);
  const call = async (method: string, path: string, json: unknown, status: number) => {
    const counting = countingDb();
    const res = await api(path, { key, method, json, env: { DB: counting.binding } });
    expect(res.status, `${method} ${path}: ${res.status === status ? "" : await res.clone().text()}`).toBe(status);
    writes?.push(...counting.bound);
    return res;
  };
  const made = async (path: string, json: unknown) =>
    ((await (await call("POST", path, json, 201)).json()) as { id: number }).id;
  const tag = await made("/tags", { name: "Plans" });
  const field = await made("/custom_fields", { entity: "contact", name: "Tier", kind: "text" });
  const company = await made("/companies", { name: "Plans Ltd", domain: "plans.example" });
  const contact = await made("/contacts", {
    first_name: "Ada",
    last_name: "Plans",
    emails: ["ada@plans.example"],
    company_id: company,
    tag_ids: [tag],
    custom_fields: { Tier: "gold" },
  });
  const deal = await made("/deals", { name: "Plans renewal", amount_minor: 1000, company_id: company });
  const task = await made("/tasks", {
    title: "Call Ada",
    due_date: "2026-12-24",
    subject_type: "contact",
    subject_id: contact,
  });
  const note = await made("/notes", { subject_type: "contact", subject_id: contact, body: "Met at the fair." });
  const activity = await made("/activities", { subject_type: "contact", subject_id: contact, kind: "meeting" });
  await call("PATCH", `/contacts/${contact}`, { job_title: "Engineer", custom_fields: { Tier: "silver" } }, 200);
  await call("PATCH", `/deals/${deal}`, { status: "won" }, 200);
  await call("PATCH", `/tasks/${task}`, { status: "done" }, 200);
  const pipeline = ((await (await api("/pipelines", { key })).json()) as { data: { id: number }[] }).data[0]!.id;
  const stage = ((await (await api(`/pipelines/${pipeline}`, { key })).json()) as { stages: { id: number }[] })
    .stages[0]!.id;
  const ids: Record<string, number> = { tags: tag, custom_fields: field, companies: company, contacts: contact };
  Object.assign(ids, {
    deals: deal,
    tasks: task,
    notes: note,
    activities: activity,
    pipelines: pipeline,
    stages: stage,
  });
  return { ...t, key, ids };
}

/** The problems of the pages at `urls`, as `cookie` sees them, each once. */
async function pagesProblems(urls: string[], cookie: string): Promise<string[]> {
  const problems: string[] = [];
  for (const url of urls)
    problems.push(...(await problemsOf((db) => send(url, { cookie, env: { DB: db } }), `GET ${url}`)));
  return distinct(problems);
}

/** One workspace for the read tests (made once: each is a dozen API calls). */
let shared: ReturnType<typeof workspace> | null = null;
const readWorkspace = () => {
  shared ??= workspace();
  return shared;
};

describe("query plans without statistics", () => {
  it("read no workspace whole for one page, nor for each row, in any API read", async () => {
    const w = await readWorkspace();
    const doc = (await (await send("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const reads = Object.entries(doc.paths)
      .filter(([path, ops]) => "get" in ops && path !== "/openapi.json" && path !== "/docs")
      .map(([path]) => path.replace(/^\/(\w+)\/\{id\}/, (_, name: string) => `/${name}/${w.ids[name]}`));
    expect(reads.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const path of reads) {
      const url = path === "/search" ? "/search?q=ada" : path;
      problems.push(...(await problemsOf((db) => api(url, { key: w.key, env: { DB: db } }), `GET ${url}`)));
      if (!url.includes("{") && /^\/\w+$/.test(url) && url !== "/search") {
        const filtered = `${url}?limit=200&updated_since=2020-01-01T00:00:00Z`;
        problems.push(...(await problemsOf((db) => api(filtered, { key: w.key, env: { DB: db } }), `GET ${filtered}`)));
      }
    }
    expect(distinct(problems)).toEqual([]);
  }, 120_000);

  it("read no workspace whole for one page, nor for each row, in any page of the app", async () => {
    const w = await readWorkspace();
    // A record's pages with a real record; other routes with a parameter need records the seed lacks.
    const records = /^\/app\/(contacts|companies|deals|tasks|notes)\/:id(\/[a-z]+)?$/;
    const urls = APP_ROUTES.filter((r) => r.method === "GET").flatMap((r) => {
      const m = r.path.match(records);
      if (m) return [`/app/${m[1]}/${w.ids[m[1]!]}${m[2] ?? ""}`];
      return r.path.includes(":") ? [] : [urlOf(r)];
    });
    expect(urls.length).toBeGreaterThan(40);
    expect(await pagesProblems(urls, w.cookie)).toEqual([]);
  }, 120_000);

  it("read no workspace whole for a page of any list, in each order and with each filter", async () => {
    const w = await readWorkspace();
    const owner = await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ?")
      .bind(w.tenantId)
      .first<string>("user_id");
    const orders = (list: string, sorts: readonly string[]) =>
      sorts.flatMap((sort) => [`${list}?sort=${sort}&dir=asc`, `${list}?sort=${sort}&dir=desc`]);
    const filters = [
      `q=ada`,
      `tag=${w.ids.tags}`,
      `company=${w.ids.companies}`,
      `owner=${owner}`,
      `cf_${w.ids.custom_fields}=gold`,
      `q=ada&sort=name`,
      `tag=${w.ids.tags}&sort=company&dir=desc`,
    ];
    const urls = [
      ...orders("/app/contacts", CONTACT_SORTS),
      ...filters.map((f) => `/app/contacts?${f}`),
      ...orders("/app/companies", COMPANY_SORTS),
      "/app/companies?q=plans",
      ...orders("/app/deals/list", DEAL_SORTS),
      "/app/deals/list?q=renewal",
    ];
    expect(await pagesProblems(urls, w.cookie)).toEqual([]);
  }, 120_000);

  it("read no workspace whole in the writes of records and their events", async () => {
    const writes: BoundStatement[] = [];
    await workspace(writes);
    expect(writes.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const s of writes)
      for (const p of await explain(s)) problems.push(`write :: ${p} — ${s.sql.replace(/\s+/g, " ").slice(0, 240)}`);
    expect(distinct(problems)).toEqual([]);
  }, 120_000);
});
