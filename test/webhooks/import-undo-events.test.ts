/**
 * The webhook events of an import's Notes column and of undoing an import (or an API bulk upsert, which is one):
 * note.created for each note the file adds; on undo, *.deleted for each record it created and deletes, *.updated for
 * each it changed and gets its values back, and for deals the events the board and the deal page send for the same
 * changes (deal.updated, deal.stage_changed, deal.won); note.deleted for each note it takes back from a record it
 * matched (none for the notes going with a record it deletes). Each written in the page's own batch.
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { pipelinesOf } from "../deals/helpers";
import { send } from "../helpers/http";
import { newTenant as makeTenant } from "../helpers/tenants";
import { importFile, waitFor } from "../import/helpers";
import { addEndpoint, eventsOf, receiverUrl } from "./helpers";

const tenants: string[] = [];

// The files of a worker share its storage and its one queue: no delivery of these is left for a later file's cron.
afterAll(async () => {
  await env.DB.prepare("DELETE FROM webhook_deliveries WHERE tenant_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(tenants))
    .run();
});

const undo = async (cookie: string, importId: string) => {
  expect((await send(`/app/import/${importId}/undo`, { cookie, form: {} })).status).toBe(303);
  expect((await waitFor(importId, ["undone", "failed"])).status).toBe("undone");
};

const newTenant = async (name: string) => {
  const t = await makeTenant(name);
  tenants.push(t.tenantId);
  return t;
};

/** The events after the first `skip`, as type and data. */
const eventsAfter = async (tenantId: string, skip: number) =>
  (await eventsOf(tenantId)).slice(skip).map((e) => ({ type: e.type, data: JSON.parse(e.payload) }));

describe("webhook events of an import's notes and of its undo", () => {
  it("an import's Notes column sends note.created for each note it adds, new and matched records alike", async () => {
    const t = await newTenant("Hooked Import Notes");
    await importFile(t.cookie, "first_name,email\nGrace,grace@example.com");
    await addEndpoint(t.cookie, receiverUrl("import-notes"), ["note.created"]);
    await importFile(
      t.cookie,
      "first_name,email,notes\nAda,ada@example.com,Met at expo\nGrace,grace@example.com,Wants COBOL\nAlan,,",
    );
    const ids = await env.DB.prepare("SELECT id, first_name FROM contacts WHERE tenant_id = ?")
      .bind(t.tenantId)
      .all<{ id: number; first_name: string }>();
    const idOf = (name: string) => ids.results.find((c) => c.first_name === name)!.id;
    const events = await eventsAfter(t.tenantId, 0);
    expect(events.map((e) => e.type)).toEqual(["note.created", "note.created"]);
    expect(events.map((e) => [e.data.subject_id, e.data.body]).sort()).toEqual(
      [
        [idOf("Ada"), "Met at expo"],
        [idOf("Grace"), "Wants COBOL"],
      ].sort(),
    );
    expect(events[0]!.data).toMatchObject({ subject_type: "contact" });
  });

  it("undoing an API bulk upsert sends contact.deleted for the ones it created, contact.updated for the one it changed", async () => {
    const t = await newTenant("Hooked Bulk Undo");
    const key = await makeKey(t.cookie);
    const ada = (await (
      await api("/contacts", {
        key,
        method: "POST",
        json: { first_name: "Ada", emails: ["ada@example.com"], job_title: "Analyst" },
      })
    ).json()) as { id: number };
    await addEndpoint(t.cookie, receiverUrl("bulk-undo"), ["contact.deleted", "contact.updated"]);
    const res = await api("/contacts/bulk", {
      key,
      method: "POST",
      json: {
        records: [
          { first_name: "Ada", emails: ["ada@example.com"], job_title: "Countess" },
          { first_name: "Grace", emails: ["grace@example.com"] },
          { first_name: "Alan", emails: ["alan@example.com"] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { import_id: string; results: { status: string; id: number }[] };
    const created = out.results.filter((r) => r.status === "created").map((r) => r.id);
    expect(created).toHaveLength(2);
    const before = (await eventsOf(t.tenantId)).length; // Ada's contact.updated

    await undo(t.cookie, out.import_id);
    const events = await eventsAfter(t.tenantId, before);
    expect(events.filter((e) => e.type === "contact.deleted").map((e) => e.data)).toEqual(
      expect.arrayContaining(created.map((id) => ({ id, erased: false, merged_into: null }))),
    );
    expect(events.map((e) => e.type).sort()).toEqual(["contact.deleted", "contact.deleted", "contact.updated"]);
    expect(events.find((e) => e.type === "contact.updated")!.data).toMatchObject({
      id: ada.id,
      job_title: "Analyst",
    });
  });

  it("undoing a companies import sends company.deleted and company.updated", async () => {
    const t = await newTenant("Hooked Company Undo");
    await importFile(t.cookie, "Name,Domain,Industry\nAcme,acme.example,Anvils", { kind: "companies" });
    await addEndpoint(t.cookie, receiverUrl("company-undo"), ["company.deleted", "company.updated"]);
    const { id, result } = await importFile(
      t.cookie,
      "Name,Domain,Industry\nAcme,acme.example,Rockets\nGlobex,globex.example,Energy",
      { kind: "companies" },
    );
    expect(result).toMatchObject({ status: "done", created_count: 1, updated_count: 1 });
    const before = (await eventsOf(t.tenantId)).length;
    await undo(t.cookie, id);
    const events = await eventsAfter(t.tenantId, before);
    expect(events.map((e) => e.type).sort()).toEqual(["company.deleted", "company.updated"]);
    expect(events.find((e) => e.type === "company.deleted")!.data).toMatchObject({
      name: "Globex",
      domain: "globex.example",
      merged_into: null,
    });
    expect(events.find((e) => e.type === "company.updated")!.data).toMatchObject({ name: "Acme", industry: "Anvils" });
  });

  it("undoing a deals import sends what putting each deal back changes: updated, stage_changed, won", async () => {
    const t = await newTenant("Hooked Deal Undo");
    const importDeals = (rows: string[]) =>
      importFile(t.cookie, ["Name,Amount,Currency,Stage,Status", ...rows].join("\n"), { kind: "deals" });
    await importDeals(["Moved,100,USD,Lead,open", "Closed,50,USD,Qualified,won"]);
    const stages = (await pipelinesOf(t.tenantId))[0]!.stages;
    const stage = (name: string) => stages.find((s) => s.name === name)!.id;
    await addEndpoint(t.cookie, receiverUrl("deal-undo"), [
      "deal.updated",
      "deal.stage_changed",
      "deal.won",
      "deal.lost",
    ]);
    const { id, result } = await importDeals(["Moved,120,USD,Proposal,open", "Closed,50,USD,Qualified,open"]);
    expect(result).toMatchObject({ status: "done", updated_count: 2 });
    // The file's reopen is a deal.updated naming the status, as the deal page's Reopen.
    const imported = await eventsAfter(t.tenantId, 0);
    expect(imported.filter((e) => e.data.name === "Closed")).toEqual([
      { type: "deal.updated", data: expect.objectContaining({ status: "open", changed: ["status", "closed_on"] }) },
    ]);

    await undo(t.cookie, id);
    const events = await eventsAfter(t.tenantId, imported.length);
    const moved = events.filter((e) => e.data.name === "Moved");
    expect(moved.map((e) => e.type).sort()).toEqual(["deal.stage_changed", "deal.updated"]);
    expect(moved.find((e) => e.type === "deal.updated")!.data).toMatchObject({
      amount_minor: 10000,
      stage_id: stage("Lead"),
      changed: ["amount_minor"],
    });
    expect(moved.find((e) => e.type === "deal.stage_changed")!.data).toMatchObject({
      stage_id: stage("Lead"),
      previous_stage_id: stage("Proposal"),
      previous_stage: "Proposal",
    });
    expect(events.filter((e) => e.data.name === "Closed")).toEqual([
      { type: "deal.won", data: expect.objectContaining({ status: "won" }) },
    ]);
  });

  it("undoing a contacts import sends note.deleted for the note it added to a matched record, none for its created ones", async () => {
    const t = await newTenant("Hooked Undo Notes");
    await importFile(t.cookie, "first_name,email\nGrace,grace@example.com");
    await addEndpoint(t.cookie, receiverUrl("undo-notes"), ["note.created", "note.deleted", "contact.deleted"]);
    const { id } = await importFile(
      t.cookie,
      "first_name,email,notes\nAda,ada@example.com,Met at expo\nGrace,grace@example.com,Wants COBOL",
    );
    const added = await eventsAfter(t.tenantId, 0);
    const graceNote = added.find((e) => e.type === "note.created" && e.data.body === "Wants COBOL")!.data;
    const ada = added.find((e) => e.type === "note.created" && e.data.body === "Met at expo")!.data.subject_id;

    await undo(t.cookie, id);
    const events = await eventsAfter(t.tenantId, added.length);
    expect(events.filter((e) => e.type === "note.deleted")).toEqual([
      {
        type: "note.deleted",
        data: { id: graceNote.id, subject_type: "contact", subject_id: graceNote.subject_id },
      },
    ]);
    expect(events.filter((e) => e.type === "contact.deleted").map((e) => e.data.id)).toEqual([ada]);
    expect(await env.DB.prepare("SELECT id FROM notes WHERE tenant_id = ?").bind(t.tenantId).all()).toMatchObject({
      results: [],
    });
  });

  it("undoing a deals import sends deal.deleted for each deal it created, as it was", async () => {
    const t = await newTenant("Hooked Deal Import Undo");
    await addEndpoint(t.cookie, receiverUrl("deal-import-undo"), ["deal.deleted"]);
    const { id, result } = await importFile(
      t.cookie,
      "Name,Amount,Currency,Stage,Status\nFresh,100,USD,Lead,open\nClosed fresh,75,EUR,Qualified,won",
      { kind: "deals" },
    );
    expect(result).toMatchObject({ status: "done", created_count: 2 });
    const deals = (
      await env.DB.prepare("SELECT id, name FROM deals WHERE tenant_id = ?")
        .bind(t.tenantId)
        .all<{ id: number; name: string }>()
    ).results;
    expect(await eventsOf(t.tenantId)).toEqual([]);

    await undo(t.cookie, id);
    const events = await eventsAfter(t.tenantId, 0);
    expect(events.map((e) => e.type)).toEqual(["deal.deleted", "deal.deleted"]);
    expect(events.map((e) => [e.data.id, e.data.name, e.data.amount_minor, e.data.status]).sort()).toEqual(
      [
        [deals.find((d) => d.name === "Fresh")!.id, "Fresh", 10000, "open"],
        [deals.find((d) => d.name === "Closed fresh")!.id, "Closed fresh", 7500, "won"],
      ].sort(),
    );
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM deals WHERE tenant_id = ?").bind(t.tenantId).first())!.n,
    ).toBe(0);
  });
});
