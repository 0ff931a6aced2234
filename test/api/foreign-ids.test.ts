/**
 * Another workspace's ids inside API bodies, not in their URLs (test/api/isolation.test.ts has those). Every
 * write of the OpenAPI document is sent, on this workspace's real records, with each field that names a record or
 * a person set to another workspace's. Afterwards the other workspace is exactly as it was, and no row of this one
 * names anything of the other's (test/helpers/foreign-refs.ts: from the schema). A create is sent with a valid
 * body of its resource, so its references are read; a new resource fails here until it has one below.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { pointingAt, snapshot, tenantTables, twoWorkspaces } from "../helpers/foreign-refs";
import { api } from "./helpers";

type Doc = { paths: Record<string, Record<string, unknown>> };

/** A valid body for each collection's create, without its references. */
const CREATE: Record<string, Record<string, unknown>> = {
  "/contacts": { first_name: "Foreign", last_name: "Ids" },
  "/contacts/bulk": { records: [{ first_name: "Bulk", emails: ["bulk@foreign.example"] }] },
  "/companies": { name: "Foreign Ids Ltd" },
  "/companies/bulk": { records: [{ name: "Bulk Foreign Ltd", domain: "bulk-foreign.example" }] },
  "/deals": { name: "Foreign deal", amount_minor: 100 },
  "/tasks": { title: "Foreign task", due_date: "2026-12-24" },
  "/notes": { body: "Foreign note" },
  "/activities": { kind: "call" },
  "/tags": { name: "Foreign" },
  "/custom_fields": { entity: "contact", name: "Foreign field", kind: "text" },
  "/pipelines": { name: "Foreign pipeline" },
  "/pipelines/{id}/stages": { name: "Foreign stage", probability: 10 },
  // Its only id is the duplicate's; another workspace's is refused as unknown (test/contacts/merge.test.ts).
  "/contacts/{id}/merge": {},
  "/companies/{id}/merge": {},
};

describe("another workspace's ids in an API body", () => {
  it("change nothing of the other workspace and leave no reference to it", async () => {
    const { mine, theirs, theirOwner } = await twoWorkspaces();
    const ids = theirs.ids;
    const foreign = {
      company_id: ids.companies,
      contacts: [{ contact_id: ids.contacts, role: "Buyer" }],
      contact_id: ids.contacts,
      tag_ids: [ids.tags],
      stage_id: ids.stages,
      pipeline_id: ids.pipelines,
      subject_type: "contact",
      subject_id: ids.contacts,
      owner_id: theirOwner,
      assignee_id: theirOwner,
    };
    const tables = await tenantTables();
    const before = await snapshot(tables, theirs.tenantId);

    const doc = (await (await send("/api/v1/openapi.json")).json()) as Doc;
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m === "post" || m === "patch")
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    const creates = writes.filter((w) => w.method === "POST" && !w.path.endsWith("}")).map((w) => w.path);
    expect(creates.filter((p) => !(p in CREATE) && p !== "/search")).toEqual([]);
    let written = 0;
    for (const w of writes) {
      // My record where the path names one (the resource before {id}: /pipelines/{id}/stages is a pipeline).
      const url = w.path.replace(/^\/(\w+)\/\{id\}/, (_, name: string) => `/${name}/${mine.ids[name]}`);
      const base = w.method === "POST" ? (CREATE[w.path] ?? {}) : {};
      const json =
        "records" in base
          ? { records: (base.records as object[]).map((r) => ({ ...r, ...foreign })) }
          : { ...base, ...foreign };
      const res = await api(url, { key: mine.key, method: w.method, json });
      expect(res.status, `${w.method} ${url}`).toBeLessThan(500);
      if (res.ok) written += 1;
      await res.arrayBuffer();
    }
    // Most writes were refused (a reference not found is a 422); what was written is checked below.
    expect(written).toBeGreaterThan(0);
    const found = await pointingAt(tables, mine.tenantId, theirs.tenantId, theirOwner);
    expect(found.pointing).toEqual([]);
    expect(found.checked).toBeGreaterThan(10);
    expect(await snapshot(tables, theirs.tenantId)).toEqual(before);
  }, 180_000);
});
