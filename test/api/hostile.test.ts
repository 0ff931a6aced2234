/**
 * Every operation of the OpenAPI document, sent what a careless or hostile client sends: ids that are not ids,
 * query values of the wrong kind, bodies that are not JSON objects, and each documented body field given a value
 * of the wrong type, too long or out of range, on real records of the workspace (and in a bulk request's records).
 * The operations come from the document, so a new one is covered without being named here. Every answer must be a
 * problem+json 4xx (or a success, where the value is fine), never a 5xx.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { workspace } from "../helpers/plans-workspace";
import { api, problemOf } from "./helpers";

type Schema = { $ref?: string; properties?: Record<string, Schema>; type?: string | string[]; items?: Schema };
type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const IDS = ["abc", "-1", "0", "1e3", "99999999999999999999", "0x10", "1.5", "%00", "%22"];
const QUERY_VALUES = ["", "-1", "abc", "1e309", "99999999999999999999", '"', "*", "NEAR(a", "2026-13-45", "%00"];
const BODIES: [string, string, string][] = [
  ["not JSON", "{", "application/json"],
  ["null", "null", "application/json"],
  ["an array", "[]", "application/json"],
  ["a string", '"x"', "application/json"],
  ["a number", "1", "application/json"],
  ["deeply nested", `${'{"a":'.repeat(2000)}1${"}".repeat(2000)}`, "application/json"],
  ["form-encoded", "a=1", "application/x-www-form-urlencoded"],
];
const WRONG_VALUES: unknown[] = [{}, [1, {}], "x".repeat(20_000), -1e308, null, true, "\u0000", 1.5, "2026-02-30"];

const resolve = (doc: Doc, s: Schema | undefined): Schema | undefined =>
  s?.$ref ? doc.components.schemas[s.$ref.split("/").pop()!] : s;

describe("the API, sent what it does not expect", () => {
  it("answers every operation's hostile ids, queries and bodies with a 4xx problem, never a 5xx", async () => {
    const doc = (await (await send("/api/v1/openapi.json")).json()) as Doc;
    // The API takes 300 requests a minute from a key: a fresh workspace, one record of each kind, every 250.
    let sent = 0;
    let succeeded = 0;
    let w: Awaited<ReturnType<typeof workspace>> | null = null;
    const failures: string[] = [];
    const call = async (label: string, path: string, opts: Parameters<typeof api>[1]) => {
      if (sent % 250 === 0) w = await workspace();
      sent += 1;
      const res = await api(path.replace("{real}", String(w!.ids[path.split("/")[1]!])), { ...opts, key: w!.key });
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      else if (res.status >= 400 && res.headers.get("Content-Type") !== "application/problem+json")
        failures.push(`${label}: ${res.status} answered as ${res.headers.get("Content-Type")}`);
      else await res.arrayBuffer();
      if (res.ok) succeeded += 1;
    };
    for (const [template, ops] of Object.entries(doc.paths)) {
      if (template === "/openapi.json" || template === "/docs") continue;
      for (const [method, op] of Object.entries(ops)) {
        const m = method.toUpperCase();
        const paths = template.includes("{") ? IDS.map((id) => template.replace(/\{\w+\}/g, id)) : [template];
        for (const path of paths) await call(`${m} ${path}`, path, { method: m, json: m === "GET" ? undefined : {} });
        // A record of the kind the path names (deleting it would leave the rest nothing to find: those get an id
        // of no record).
        const path = template.replace(/\{\w+\}/, m === "DELETE" ? "999999" : "{real}");
        for (const p of op.parameters ?? [])
          if (p.in === "query")
            for (const v of QUERY_VALUES) {
              const url = `${path}?${p.name}=${encodeURIComponent(v)}`;
              await call(`${m} ${url}`, url, { method: m, json: m === "GET" || m === "DELETE" ? undefined : {} });
            }
        const schema = resolve(doc, op.requestBody?.content["application/json"]?.schema);
        if (!schema) continue;
        for (const [name, body, type] of BODIES)
          await call(`${m} ${path} with ${name}`, path, { method: m, body, headers: { "Content-Type": type } });
        // A bulk request's records are checked one by one: their fields too.
        const list = schema.properties?.records;
        const item = list ? resolve(doc, list.items) : schema;
        for (const field of Object.keys(item?.properties ?? {}))
          for (const value of WRONG_VALUES) {
            const record = { [field]: value };
            await call(`${m} ${path} with ${field}: ${JSON.stringify(value).slice(0, 30)}`, path, {
              method: m,
              json: list ? { records: [record, { ...record, email: "ok@example.com" }] } : record,
            });
          }
      }
    }
    expect(sent).toBeGreaterThan(2000);
    // The real records were found: reads of them, and values that were fine after all, succeeded.
    expect(succeeded).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe("a query parameter an operation does not have", () => {
  it("is a 422 naming it on every read and every operation with a query, never ignored", async () => {
    const doc = (await (await send("/api/v1/openapi.json")).json()) as Doc;
    const w = await workspace();
    const ops = Object.entries(doc.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method, op]) => method === "get" || op.parameters?.some((p) => p.in === "query"))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          // A real record for a read, so a success would show; no record for a delete.
          path: template.replace(/\{\w+\}/, method === "get" ? String(w.ids[template.split("/")[1]!]) : "999999"),
          own: new Set((op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name)),
          // A search needs its words.
          needed: (op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=ada`),
        })),
    );
    // Every list, every record by id, search and a stage's delete: a new operation is covered unnamed.
    expect(ops.length).toBeGreaterThanOrEqual(21);
    // Every filter some list has is sent to each operation that lacks it (a company's `owner`, a deal's `q`),
    // with plausible inventions and typos.
    const anyList = new Set(ops.flatMap((op) => [...op.own]));
    const failures: string[] = [];
    for (const { method, path, own, needed } of ops) {
      const bare = await api(`${path}?${needed.join("&")}`, { key: w.key, method });
      if (method === "GET" && bare.status !== 200) failures.push(`${method} ${path}: ${bare.status} without a query`);
      await bare.arrayBuffer();
      const foreign = [...anyList, "tags", "fields", "expand", "no_such_filter"].filter((n) => !own.has(n)).sort();
      const url = `${path}?${[...needed, ...foreign.map((n) => `${n}=5`)].join("&")}`;
      const res = await api(url, { key: w.key, method });
      if (res.status !== 422) {
        failures.push(`${method} ${url}: ${res.status}`);
        await res.arrayBuffer();
        continue;
      }
      const problem = await problemOf(res);
      expect(problem.code).toBe("validation_failed");
      const named = (problem.errors ?? []).map((e) => e.field).sort();
      if (JSON.stringify(named) !== JSON.stringify(foreign)) failures.push(`${method} ${url}: named ${named}`);
    }
    expect(failures).toEqual([]);

    // The reviewer's cases, as a careless script sends them: refused by name, and nothing answered as a match.
    for (const [url, field] of [
      ["/companies?owner=u_1", "owner"],
      ["/deals?q=renewal", "q"],
      ["/contacts?tags=5", "tags"],
    ] as const) {
      const res = await api(url, { key: w.key });
      expect(res.status, url).toBe(422);
      expect((await problemOf(res)).errors, url).toEqual([
        { field, message: "There is no such query parameter here." },
      ]);
    }
    // A stage's delete with a misspelt destination is refused, and the stage stays.
    const stage = `/stages/${w.ids.stages}`;
    const del = await api(`${stage}?move_deal_to=1`, { key: w.key, method: "DELETE" });
    expect(del.status).toBe(422);
    expect((await problemOf(del)).errors).toEqual([
      { field: "move_deal_to", message: "There is no such query parameter here." },
    ]);
    expect((await api(stage, { key: w.key })).status).toBe(200);
  }, 120_000);
});
