/**
 * deal.deleted and note.deleted: a deal deleted from its page, the deal list's bulk delete or the API sends the deal
 * as it was; a note deleted in the app or the API sends which note it was and on what record. The notes that go with
 * their deal send none (the deal's own event says so), a restore from the trash sends deal.created again, and an
 * endpoint not subscribed to them gets nothing.
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { createDeal, pipelinesOf, post } from "../deals/helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { restoreTo, trashItemOf } from "../trash/helpers";
import { addEndpoint, deliveriesOf, eventsOf, receiverUrl } from "./helpers";

const tenants: string[] = [];

// The files of a worker share its storage and its one queue: no delivery of these is left for a later file's cron.
afterAll(async () => {
  await env.DB.prepare("DELETE FROM webhook_deliveries WHERE tenant_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(tenants))
    .run();
});

async function hookedTenant(name: string, events: string[]) {
  const t = await newTenant(name);
  tenants.push(t.tenantId);
  const endpoint = await addEndpoint(t.cookie, receiverUrl(`deleted-${tenants.length}`), events);
  return { ...t, endpoint, stage: (await pipelinesOf(t.tenantId))[0]!.stages[1]! };
}

/** The workspace's events as type and data. */
const eventsIn = async (tenantId: string) =>
  (await eventsOf(tenantId)).map((e) => ({ type: e.type, data: JSON.parse(e.payload) as Record<string, unknown> }));

/** Adds a note through a record's page (`path`: /app/deals/1 …); its id. */
async function addNote(cookie: string, tenantId: string, path: string, body: string): Promise<number> {
  expect((await send(`${path}/notes`, { cookie, form: { body } })).status).toBe(303);
  const row = await env.DB.prepare("SELECT max(id) AS id FROM notes WHERE tenant_id = ?")
    .bind(tenantId)
    .first<{ id: number }>();
  return row!.id;
}

describe("deal.deleted and note.deleted", () => {
  it("deleting a deal from its page sends deal.deleted with the deal as it was, none for its notes; a restore sends deal.created", async () => {
    const t = await hookedTenant("Hooked Deal Delete", ["deal.deleted", "deal.created", "note.deleted"]);
    const id = await createDeal(t.cookie, { name: "Doomed", amount: "1200", stage_id: String(t.stage.id) });
    await addNote(t.cookie, t.tenantId, `/app/deals/${id}`, "Goes with the deal");
    const before = (await eventsIn(t.tenantId)).length; // its deal.created

    expect((await post(`/app/deals/${id}/delete`, t.cookie, {})).status).toBe(303);
    const events = (await eventsIn(t.tenantId)).slice(before);
    expect(events).toEqual([
      {
        type: "deal.deleted",
        data: expect.objectContaining({
          id,
          name: "Doomed",
          amount_minor: 120000,
          stage_id: t.stage.id,
          stage: t.stage.name,
          status: "open",
        }),
      },
    ]);
    expect((await deliveriesOf(t.tenantId)).filter((d) => d.endpoint_id === t.endpoint)).toHaveLength(before + 1);

    const item = await trashItemOf("deal", id);
    await restoreTo(t.cookie, item!.id, `/app/deals/${id}`);
    expect((await eventsIn(t.tenantId)).slice(before + 1)).toEqual([
      { type: "deal.created", data: expect.objectContaining({ id, name: "Doomed", restored: true }) },
    ]);
  });

  it("the deal list's bulk delete sends deal.deleted for each deal it deletes, and only those", async () => {
    const t = await hookedTenant("Hooked Deal Bulk", ["deal.deleted"]);
    const deal = (name: string) => createDeal(t.cookie, { name, amount: "10", stage_id: String(t.stage.id) });
    const [one, two, kept] = [await deal("One"), await deal("Two"), await deal("Kept")];

    const res = await post("/app/deals/list/bulk", t.cookie, {
      action: "delete",
      confirm: "1",
      ids: [one, two].map(String),
    });
    expect(res.status).toBe(303);
    const events = await eventsIn(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["deal.deleted", "deal.deleted"]);
    expect(events.map((e) => [e.data.id, e.data.name]).sort()).toEqual([
      [one, "One"],
      [two, "Two"],
    ]);
    expect(events.some((e) => e.data.id === kept)).toBe(false);
  });

  it("DELETE /api/v1/deals/:id and /api/v1/notes/:id send deal.deleted and note.deleted", async () => {
    const t = await hookedTenant("Hooked API Deletes", ["deal.deleted", "note.deleted"]);
    const key = await makeKey(t.cookie);
    const created = async (path: string, json: unknown) => {
      const res = await api(path, { key, method: "POST", json });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };
    const deal = await created("/deals", { name: "API deal", amount_minor: 5000, currency: "EUR" });
    const contact = await created("/contacts", { first_name: "Ada" });
    const note = await created("/notes", { subject_type: "contact", subject_id: contact, body: "Secret *plans*" });

    expect((await api(`/notes/${note}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/deals/${deal}`, { key, method: "DELETE" })).status).toBe(204);
    const events = await eventsIn(t.tenantId);
    expect(events).toEqual([
      // Which note, on which record: not its body.
      { type: "note.deleted", data: { id: note, subject_type: "contact", subject_id: contact } },
      {
        type: "deal.deleted",
        data: expect.objectContaining({ id: deal, name: "API deal", amount_minor: 5000, currency: "EUR" }),
      },
    ]);
    // Deleting again is a 404 and sends nothing more.
    expect((await api(`/notes/${note}`, { key, method: "DELETE" })).status).toBe(404);
    expect((await api(`/deals/${deal}`, { key, method: "DELETE" })).status).toBe(404);
    expect(await eventsIn(t.tenantId)).toHaveLength(2);
  });

  it("deleting a note in the app sends note.deleted; an endpoint not subscribed gets no delivery", async () => {
    const t = await hookedTenant("Hooked Note Delete", ["note.deleted"]);
    const other = await addEndpoint(t.cookie, receiverUrl("deleted-notes-other"), ["note.created"]);
    const deal = await createDeal(t.cookie, { name: "Noted", amount: "10", stage_id: String(t.stage.id) });
    const note = await addNote(t.cookie, t.tenantId, `/app/deals/${deal}`, "Call back on Monday");
    const created = (await eventsIn(t.tenantId)).length; // the note.created for `other`

    expect((await send(`/app/notes/${note}/delete`, { cookie: t.cookie, form: {} })).status).toBe(303);
    const [event] = (await eventsOf(t.tenantId)).slice(created);
    expect(JSON.parse(event!.payload)).toEqual({ id: note, subject_type: "deal", subject_id: deal });
    expect(event!.type).toBe("note.deleted");
    const deliveries = (await deliveriesOf(t.tenantId)).filter((d) => d.event_id === event!.id);
    expect(deliveries.map((d) => d.endpoint_id)).toEqual([t.endpoint]);
    expect(deliveries.map((d) => d.endpoint_id)).not.toContain(other);
  });
});
