/**
 * /api/v1/custom_fields: the workspace's definitions (only its own), which name the records' custom_fields;
 * created, renamed, given options and deleted as Settings → Custom fields does.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

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
