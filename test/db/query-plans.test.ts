/**
 * The plans SQLite makes of what our pages and API send, as production gets them: a D1 database has no
 * statistics (nothing runs ANALYZE), and without them SQLite picks an index by its columns alone, so a query that
 * is fast on an analysed copy can walk a whole workspace for every row. Every statement a request sends is
 * explained here (the test database has no statistics either) and its plan must not:
 * - scan a table of the schema that holds records (every workspace's rows);
 * - sort a workspace's rows to answer one page (a temporary B-tree under a search on `tenant_id` alone);
 * - walk a workspace's rows for each row of the answer (a correlated subquery searching on `tenant_id` alone).
 * What is explained: every API read (from the OpenAPI document, ids filled with real records), every page of the
 * app and every form it posts (from the route table, with its form, on real records), every list in each order and
 * with each filter, and the writes of each kind of record with a webhook subscribed; so a new read or form is
 * checked without being named here. Jobs (an import's steps
 * among them) are in job-plans.test.ts; the rules in test/helpers/query-plans.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { type BoundStatement, countingDb } from "../helpers/query-count";
import { distinct, statementsProblems } from "../helpers/query-plans";
import { workspace } from "../helpers/plans-workspace";
import { api } from "../api/helpers";
import { APP_ROUTES, postsOnRecords, urlOf } from "../helpers/app-routes";
import { CONTACT_SORTS } from "../../src/services/contacts/sort";
import { COMPANY_SORTS } from "../../src/services/companies/list";
import { DEAL_SORTS } from "../../src/services/deals/list-sort";

/** Problems of every statement `request` sends, as "problem — statement". */
async function problemsOf(request: (db: D1Database) => Promise<Response>, label: string): Promise<string[]> {
  const counting = countingDb();
  const res = await request(counting.binding);
  expect(res.status, label).toBeLessThan(500);
  // Read to its end: an export's rows are read as its body streams.
  await res.arrayBuffer();
  return statementsProblems(counting.bound, label);
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
      // A custom field shown as a column, and sorted by another column beside it.
      `cols=name,cf_${w.ids.custom_fields}`,
      `cols=name,cf_${w.ids.custom_fields}&q=ada&sort=updated`,
    ];
    const urls = [
      ...orders("/app/contacts", CONTACT_SORTS),
      ...filters.map((f) => `/app/contacts?${f}`),
      ...orders("/app/companies", COMPANY_SORTS),
      "/app/companies?q=plans",
      // A search in another order: the name range, its matches sorted.
      "/app/companies?q=plans&sort=updated&dir=desc",
      "/app/companies?q=plans&sort=contacted",
      ...orders("/app/deals/list", DEAL_SORTS),
      "/app/deals/list?q=renewal",
    ];
    expect(await pagesProblems(urls, w.cookie)).toEqual([]);
  }, 120_000);

  it("read no workspace whole in any form the app posts, on real records", async () => {
    // Its own workspace: these forms delete, erase and rename what the read tests look at.
    const w = await workspace();
    // What removes a record or the session goes last, so the other forms find theirs.
    const posts = postsOnRecords(w.ids);
    expect(posts.length).toBeGreaterThan(90);
    const problems: string[] = [];
    let onRecords = 0;
    for (const { route: r, url, onRecord } of posts) {
      if (onRecord) onRecords += 1;
      const label = `POST ${url}`;
      problems.push(
        ...(await problemsOf(async (db) => {
          const res = await send(url, { method: "POST", form: r.form, cookie: w.cookie, env: { DB: db } });
          // Still signed in: a form that ended the session would leave the rest unexplained.
          expect(res.headers.get("Location") ?? "", label).not.toMatch(/^\/login/);
          return res;
        }, label)),
      );
    }
    expect(onRecords).toBeGreaterThan(30);
    expect(distinct(problems)).toEqual([]);
  }, 180_000);

  it("read no workspace whole in the writes of records and their events", async () => {
    const writes: BoundStatement[] = [];
    await workspace(writes);
    expect(writes.length).toBeGreaterThan(50);
    expect(await statementsProblems(writes, "write")).toEqual([]);
  }, 120_000);
});
