/**
 * Committing an import after a select option its rows use was removed (the preview read the file before): the
 * value is not written, so the record stays editable through the app and the API; the other values are.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { readChunk } from "../../src/services/import/files";
import { getImport } from "../../src/services/import/jobs";
import { commitChunk, planChunk } from "../../src/services/import/write";
import { listCustomFields } from "../../src/services/records/custom-fields";
import { api, makeKey } from "../api/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { jobId, upload, waitFor } from "./helpers";

type Contact = { id: number; custom_fields: Record<string, { value: unknown }> };

/** A workspace with a select field Tier (Gold, Silver, Bronze), Ada at Gold, and a file's preview ready. */
async function previewed(name: string, file: string) {
  const owner = await newTenant(name);
  const key = await makeKey(owner.cookie);
  const res = await api("/custom_fields", {
    key,
    method: "POST",
    json: { entity: "contact", name: "Tier", kind: "select", options: ["Gold", "Silver", "Bronze"] },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const tier = ((await res.json()) as { id: number }).id;
  const created = await api("/contacts", {
    key,
    method: "POST",
    json: { first_name: "Ada", emails: ["ada@example.com"], custom_fields: { Tier: "Gold" } },
  });
  const ada = ((await created.json()) as Contact).id;
  const id = jobId(await upload(owner.cookie, file));
  expect(await waitFor(id, ["ready"])).toMatchObject({ new_count: 2, update_count: 1 });
  // Nobody holds Silver yet (only the preview's rows do), so Settings lets it go.
  const dropped = await api(`/custom_fields/${tier}`, {
    key,
    method: "PATCH",
    json: { options: ["Gold", "Bronze"] },
  });
  expect(dropped.status, await dropped.clone().text()).toBe(200);
  return { owner, key, id, ada };
}

/** Each contact's first name and Tier value, and that each can still be edited through the API. */
async function tiersAndEdits(tenantId: string, key: string) {
  const rows = await env.DB.prepare(
    `SELECT c.id, c.first_name AS name, v.value AS tier FROM contacts c
      LEFT JOIN custom_field_values v ON v.tenant_id = c.tenant_id AND v.entity_id = c.id
    WHERE c.tenant_id = ? ORDER BY c.first_name`,
  )
    .bind(tenantId)
    .all<{ id: number; name: string; tier: string | null }>();
  const out: Record<string, [string | null, number]> = {};
  for (const r of rows.results) {
    const edit = await api(`/contacts/${r.id}`, { key, method: "PATCH", json: { job_title: "Analyst" } });
    out[r.name] = [r.tier, edit.status];
  }
  return out;
}

const FILE =
  "First name,Email,Tier\nAda,ada@example.com,Silver\nGrace,grace@example.com,Silver\nHal,hal@example.com,Bronze\n";

describe("committing an import after a select option was removed", () => {
  it("leaves the removed option out: the matched record keeps its value, the new one has none, both stay editable", async () => {
    const { owner, key, id, ada } = await previewed("Commit Dropped Option Co", FILE);
    expect((await send(`/app/import/${id}/commit`, { method: "POST", cookie: owner.cookie, form: {} })).status).toBe(
      303,
    );
    // Ada's row changes nothing now: she is not counted as updated, and her timeline does not claim it.
    expect(await waitFor(id, ["done", "failed"])).toMatchObject({
      status: "done",
      created_count: 2,
      updated_count: 0,
    });
    expect(await tiersAndEdits(owner.tenantId, key)).toEqual({
      Ada: ["Gold", 200],
      Grace: [null, 200],
      Hal: ["Bronze", 200],
    });
    const entries = await env.DB.prepare(
      "SELECT count(*) AS n FROM activities WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ? AND kind = 'updated' AND json_extract(detail, '$.import') = ?",
    )
      .bind(owner.tenantId, ada, id)
      .first<{ n: number }>();
    expect(entries!.n).toBe(0);
  });

  it("leaves it out when the option goes between the chunk's plan and its batch", async () => {
    const { owner, key, id } = await previewed("Commit Race Option Co", FILE);
    const t = scoped(createDb(env.DB), owner.tenantId);
    const job = (await getImport(t, id))!;
    // The chunk planned with the fields as they were before Silver went (as a commit step that read them just then).
    const stale = (await listCustomFields(t, "contact")).map((f) =>
      f.name === "Tier" ? { ...f, options: ["Gold", "Silver", "Bronze"] } : f,
    );
    const ctx = { importId: id, actorId: null, owners: new Map(), fields: stale, freeMaxContacts: null };
    const plan = await planChunk(
      t,
      "contacts",
      { ...ctx, suppressionKey: undefined },
      0,
      await readChunk(env.FILES, job, 0),
      Date.now(),
    );
    expect(plan).toMatchObject({ creates: 2, updates: 1 });
    expect(await commitChunk(t, { ...ctx, suppressionKey: undefined }, plan)).toMatchObject({ ok: true });
    expect(await tiersAndEdits(owner.tenantId, key)).toEqual({
      Ada: ["Gold", 200],
      Grace: [null, 200],
      Hal: ["Bronze", 200],
    });
  });
});
