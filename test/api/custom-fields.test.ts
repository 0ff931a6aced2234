/**
 * /api/v1/custom_fields: the workspace's definitions (only its own), which name the records' custom_fields;
 * created, renamed, given options and deleted as Settings → Custom fields does.
 */
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "../webhooks/helpers";
import { api, makeKey, problemOf } from "./helpers";

const hooked: string[] = [];

// The files of a worker share its storage and its one queue: no delivery of these is left for a later file's cron.
afterAll(async () => {
  await env.DB.prepare("DELETE FROM webhook_deliveries WHERE tenant_id IN (SELECT value FROM json_each(?))")
    .bind(JSON.stringify(hooked))
    .run();
});

async function field(tenantId: string, entity: string, name: string, kind: string, options: string[] | null = null) {
  await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, options, position, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
  )
    .bind(tenantId, entity, name, name.toLowerCase(), kind, options ? JSON.stringify(options) : null)
    .run();
}

describe("API custom fields", () => {
  it("list the workspace's definitions by record type, and the records read and write values by their names", async () => {
    const owner = await newTenant("Fields API Co");
    const other = await newTenant("Fields API Other");
    const key = await makeKey(owner.cookie, { scope: "read" });
    const writer = await makeKey(owner.cookie, { name: "Writer" });
    await field(owner.tenantId, "contact", "Tier", "select", ["gold", "silver"]);
    await field(owner.tenantId, "deal", "Renewal", "date");
    await field(other.tenantId, "contact", "Secret", "text");

    const all = (await (await api("/custom_fields", { key })).json()) as { data: { name: string }[] };
    expect(all.data).toEqual([
      expect.objectContaining({ entity: "contact", name: "Tier", kind: "select", options: ["gold", "silver"] }),
      expect.objectContaining({ entity: "deal", name: "Renewal", kind: "date", options: [] }),
    ]);
    const deals = (await (await api("/custom_fields?entity=deal", { key })).json()) as { data: { name: string }[] };
    expect(deals.data.map((f) => f.name)).toEqual(["Renewal"]);
    const bad = await api("/custom_fields?entity=task", { key });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.map((e) => e.field)).toEqual(["entity"]);

    const deal = await api("/deals", {
      key: writer,
      method: "POST",
      json: { name: "D", custom_fields: { Renewal: "2027-01-31" } },
    });
    expect(await deal.json()).toMatchObject({ custom_fields: { Renewal: { kind: "date", value: "2027-01-31" } } });
    const wrong = await api("/deals", {
      key: writer,
      method: "POST",
      json: { name: "D", custom_fields: { Renewal: "soon" } },
    });
    expect((await problemOf(wrong)).errors).toEqual([{ field: "custom_fields.Renewal", message: expect.any(String) }]);
  });
});

type Field = { id: number; entity: string; name: string; kind: string; options: string[]; position: number };

describe("API custom field writes", () => {
  it("creates a field as the settings page does, refusing bad input by field with nothing written", async () => {
    const owner = await newTenant("Fields Writes Co");
    const key = await makeKey(owner.cookie);
    const res = await api("/custom_fields", {
      key,
      method: "POST",
      json: { entity: "contact", name: "Tier", kind: "select", options: ["gold", "silver", "gold", " "] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const tier = (await res.json()) as Field;
    expect(tier).toMatchObject({ entity: "contact", name: "Tier", kind: "select", options: ["gold", "silver"] });
    expect(res.headers.get("Location")).toBe(`/api/v1/custom_fields/${tier.id}`);
    expect(await (await api(`/custom_fields/${tier.id}`, { key })).json()).toEqual(tier);
    // The contact form and the API take its values at once.
    const contact = await api("/contacts", {
      key,
      method: "POST",
      json: { first_name: "Ada", custom_fields: { Tier: "gold" } },
    });
    expect(contact.status).toBe(201);

    const refused = async (json: unknown, fields: string[]) => {
      const bad = await api("/custom_fields", { key, method: "POST", json });
      expect(bad.status, JSON.stringify(json)).toBe(422);
      expect((await problemOf(bad)).errors!.map((e) => e.field)).toEqual(fields);
    };
    await refused({ entity: "contact", name: "", kind: "text" }, ["name"]);
    await refused({ entity: "contact", name: "Size", kind: "select" }, ["options"]);
    await refused({ entity: "contact", name: "tier", kind: "text" }, ["name"]);
    await refused({ entity: "contact", name: "Email", kind: "text" }, ["name"]);
    await refused({ entity: "deal", name: "Size", kind: "number", options: ["1"] }, ["options"]);
    await refused({ entity: "deal", name: "Size", kind: "select", options: ["a\nb"] }, ["options[0]"]);
    await refused({ entity: "lead", name: "Size", kind: "colour" }, ["entity", "kind"]);
    const all = (await (await api("/custom_fields", { key })).json()) as { data: Field[] };
    expect(all.data.map((f) => f.name)).toEqual(["Tier"]);
  });

  it("renames a field and changes a select's options, never dropping one a record holds; deletes with values", async () => {
    const owner = await newTenant("Fields Update Co");
    const key = await makeKey(owner.cookie);
    const create = async (json: unknown) =>
      (await (await api("/custom_fields", { key, method: "POST", json })).json()) as Field;
    const tier = await create({ entity: "deal", name: "Tier", kind: "select", options: ["gold", "silver"] });
    const notes = await create({ entity: "deal", name: "Notes", kind: "text" });
    const deal = (await (
      await api("/deals", { key, method: "POST", json: { name: "Gold deal", custom_fields: { Tier: "gold" } } })
    ).json()) as { id: number };

    const patch = (id: number, json: unknown) => api(`/custom_fields/${id}`, { key, method: "PATCH", json });
    const renamed = await patch(tier.id, { name: "Level", options: ["bronze", "gold", "silver"] });
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: "Level", options: ["bronze", "gold", "silver"] });
    expect(await (await api(`/deals/${deal.id}`, { key })).json()).toMatchObject({
      custom_fields: { Level: { kind: "select", value: "gold" } },
    });

    const dropHeld = await patch(tier.id, { options: ["bronze", "silver"] });
    expect(dropHeld.status).toBe(422);
    expect((await problemOf(dropHeld)).errors).toEqual([
      { field: "options", message: "Records hold “gold”: change them before dropping it." },
    ]);
    expect(((await (await api(`/custom_fields/${tier.id}`, { key })).json()) as Field).options).toEqual([
      "bronze",
      "gold",
      "silver",
    ]);
    expect((await patch(tier.id, { options: ["gold"] })).status).toBe(200);
    expect((await patch(tier.id, { name: "notes" })).status).toBe(422);
    expect((await patch(notes.id, { options: ["x"] })).status).toBe(422);
    expect((await patch(notes.id, { name: "Remarks" })).status).toBe(200);

    expect((await api(`/custom_fields/${tier.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/custom_fields/${tier.id}`, { key })).status).toBe(404);
    expect(
      ((await (await api(`/deals/${deal.id}`, { key })).json()) as { custom_fields: object }).custom_fields,
    ).toEqual({});
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'custom_field.%' ORDER BY id",
    )
      .bind(owner.tenantId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "custom_field.created",
      "custom_field.created",
      "custom_field.updated",
      "custom_field.updated",
      "custom_field.updated",
      "custom_field.deleted",
    ]);
  });
});

describe("renaming a custom field", () => {
  it("gives each record holding a value a new updated_at and its *.updated event, under the new name", async () => {
    const owner = await newTenant("Fields Rename Events");
    hooked.push(owner.tenantId);
    await addEndpoint(owner.cookie, receiverUrl("field-rename"), ["contact.updated", "deal.updated"]);
    const key = await makeKey(owner.cookie);
    const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;
    const tier = await json<Field>(
      api("/custom_fields", {
        key,
        method: "POST",
        json: { entity: "contact", name: "Tier", kind: "select", options: ["gold"] },
      }),
    );
    const renewal = await json<Field>(
      api("/custom_fields", { key, method: "POST", json: { entity: "deal", name: "Renewal", kind: "date" } }),
    );
    type Rec = { id: number; updated_at: string; custom_fields: Record<string, unknown> };
    const ada = await json<Rec>(
      api("/contacts", { key, method: "POST", json: { first_name: "Ada", custom_fields: { Tier: "gold" } } }),
    );
    const bob = await json<Rec>(api("/contacts", { key, method: "POST", json: { first_name: "Bob" } }));
    const deal = await json<Rec>(
      api("/deals", { key, method: "POST", json: { name: "Renewing", custom_fields: { Renewal: "2027-01-31" } } }),
    );
    const updates = async () =>
      (await eventsOf(owner.tenantId))
        .filter((e) => e.type.endsWith(".updated"))
        .map((e) => ({ type: e.type, data: JSON.parse(e.payload) as Rec & { changed?: string[] } }));
    expect(await updates()).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));

    // Through the API: Ada, who holds a value, changes; Bob does not.
    expect((await api(`/custom_fields/${tier.id}`, { key, method: "PATCH", json: { name: "Level" } })).status).toBe(
      200,
    );
    const adaNow = await json<Rec>(api(`/contacts/${ada.id}`, { key }));
    expect(adaNow.updated_at > ada.updated_at).toBe(true);
    expect(adaNow.custom_fields).toEqual({ Level: { kind: "select", value: "gold" } });
    expect((await json<Rec>(api(`/contacts/${bob.id}`, { key }))).updated_at).toBe(bob.updated_at);
    let events = await updates();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "contact.updated",
      data: { id: ada.id, custom_fields: { Level: "gold" }, updated_at: adaNow.updated_at },
    });

    // New options, the same name, or a refused rename: no record changes.
    expect(
      (
        await api(`/custom_fields/${tier.id}`, {
          key,
          method: "PATCH",
          json: { name: "Level", options: ["gold", "bronze"] },
        })
      ).status,
    ).toBe(200);
    expect((await api(`/custom_fields/${tier.id}`, { key, method: "PATCH", json: { name: "Email" } })).status).toBe(
      422,
    );
    expect(await updates()).toHaveLength(1);

    // Through Settings → Custom fields: the deal holding a date.
    const saved = await send(`/app/settings/fields/${renewal.id}`, {
      cookie: owner.cookie,
      form: { name: "Renewal date" },
    });
    expect(saved.status).toBe(303);
    events = await updates();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      type: "deal.updated",
      data: { id: deal.id, custom_fields: { "Renewal date": "2027-01-31" }, changed: ["custom_fields"] },
    });
    const dealNow = await json<Rec>(api(`/deals/${deal.id}`, { key }));
    expect(dealNow.updated_at > deal.updated_at).toBe(true);
    expect(events[1]!.data.updated_at).toBe(dealNow.updated_at);
  });
});
