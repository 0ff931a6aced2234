/**
 * The UI's tenant isolation and role table, run against the API and derived from the OpenAPI document (which
 * test/api/openapi.test.ts holds equal to the app's route table): every operation on an `{id}` answers another
 * workspace's id with 404 and leaves it as it was, and a read-only key is refused every write. A new API
 * resource fails here until it has a fixture below, so it cannot be forgotten.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Doc = { paths: Record<string, Record<string, unknown>> };

let made = 0;

/** How to get one record of each resource in a workspace, by its collection's path. */
const FIXTURES: Record<string, (key: string) => Promise<number>> = {
  "/contacts": (key) => createdId(key, "/contacts", { first_name: "Theirs" }),
  "/companies": (key) => createdId(key, "/companies", { name: "Theirs Ltd" }),
  "/deals": (key) => createdId(key, "/deals", { name: "Their deal" }),
  "/tasks": (key) => createdId(key, "/tasks", { title: "Their task", due_date: "2026-12-24" }),
  "/activities": async (key) =>
    createdId(key, "/activities", {
      subject_type: "company",
      subject_id: await createdId(key, "/companies", { name: "Called Ltd" }),
      kind: "meeting",
    }),
  "/notes": async (key) =>
    createdId(key, "/notes", {
      subject_type: "contact",
      subject_id: await createdId(key, "/contacts", { first_name: "Noted" }),
      body: "Their note",
    }),
  "/pipelines": async (key) => (await pipelinesOf(key))[0]!.id,
  "/stages": async (key) => (await pipelinesOf(key))[0]!.stages[0]!.id,
  // Names are unique per workspace: one per operation tried.
  "/tags": (key) => createdId(key, "/tags", { name: `Theirs ${++made}` }),
  "/custom_fields": (key) =>
    createdId(key, "/custom_fields", { entity: "deal", name: `Theirs ${++made}`, kind: "select", options: ["a"] }),
};

/**
 * A valid body for each POST on an `{id}` (PATCHes send `{}`), so that the answer is about the id and not the
 * body. A new one fails below until it has its body here.
 */
const BODIES: Record<string, unknown> = {
  "POST /pipelines/{id}/stages": { name: "Not theirs", probability: 10 },
  "POST /contacts/{id}/merge": { merge_id: 1 },
  "POST /companies/{id}/merge": { merge_id: 1 },
};

async function pipelinesOf(key: string) {
  return ((await (await api("/pipelines", { key })).json()) as { data: { id: number; stages: { id: number }[] }[] })
    .data;
}

async function createdId(key: string, path: string, json: unknown): Promise<number> {
  const res = await api(path, { key, method: "POST", json });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function operations() {
  const doc = (await (await send("/api/v1/openapi.json")).json()) as Doc;
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method })));
}

describe("API isolation and scopes, for every operation of the OpenAPI document", () => {
  it("answer another workspace's id with 404 and leave its record as it was", async () => {
    const ours = await newTenant("Isolation API Ours");
    const theirs = await newTenant("Isolation API Theirs");
    const key = await makeKey(ours.cookie);
    const theirKey = await makeKey(theirs.cookie);
    const byId = (await operations()).filter((op) => op.path.includes("{id}"));
    expect(byId.length).toBeGreaterThanOrEqual(10);
    for (const { path, method } of byId) {
      const collection = path.slice(0, path.indexOf("/{id}"));
      const fixture = FIXTURES[collection];
      expect(fixture, `no fixture for ${collection}: add one to FIXTURES`).toBeDefined();
      const id = await fixture!(theirKey);
      const url = path.replace("{id}", String(id));
      // The record the operation names (for /pipelines/{id}/stages, the pipeline), read before and after.
      const record = path.slice(0, path.indexOf("{id}") + "{id}".length).replace("{id}", String(id));
      const before = await (await api(record, { key: theirKey })).text();
      const label = `${method.toUpperCase()} ${path}`;
      const json = method === "patch" ? {} : BODIES[label];
      if (method === "post") expect(json, `no body for ${label}: add one to BODIES`).toBeDefined();
      const res = await api(url, { key, method: method.toUpperCase(), json });
      expect(res.status, label).toBe(404);
      expect((await problemOf(res)).code, label).toBe("not_found");
      expect(await (await api(record, { key: theirKey })).text(), label).toBe(before);
    }
  });

  it("refuse every write to a read-only key, before reading the body", async () => {
    const owner = await newTenant("Isolation API Scopes");
    const reader = await makeKey(owner.cookie, { name: "Reader", scope: "read" });
    const writes = (await operations()).filter((op) => op.method !== "get");
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const { path, method } of writes) {
      const label = `${method.toUpperCase()} ${path}`;
      const res = await api(path.replace("{id}", "1"), { key: reader, method: method.toUpperCase(), json: {} });
      expect(res.status, label).toBe(403);
      expect((await problemOf(res)).code, label).toBe("insufficient_scope");
    }
  });
});
