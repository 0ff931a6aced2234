/** /api/v1/custom_fields: the workspace's definitions (only its own), which name the records' custom_fields. */
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
