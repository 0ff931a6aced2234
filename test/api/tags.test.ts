/** /api/v1/tags writes: create, rename or recolour, delete, as Settings → Tags does (its checks and audit entries). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

type Tag = { id: number; name: string; color: string };

describe("API tag writes", () => {
  it("creates, reads, renames and recolours a tag; bad input and taken names are 422 by field", async () => {
    const owner = await newTenant("Tags API Co");
    const key = await makeKey(owner.cookie);
    const res = await api("/tags", { key, method: "POST", json: { name: "VIP", color: "red" } });
    expect(res.status, await res.clone().text()).toBe(201);
    const tag = (await res.json()) as Tag;
    expect(tag).toMatchObject({ name: "VIP", color: "red" });
    expect(res.headers.get("Location")).toBe(`/api/v1/tags/${tag.id}`);
    expect(await (await api(`/tags/${tag.id}`, { key })).json()).toEqual(tag);
    const plain = (await (await api("/tags", { key, method: "POST", json: { name: "Lead" } })).json()) as Tag;
    expect(plain.color).toBe("gray");

    const bad = await api("/tags", { key, method: "POST", json: { name: "a;b", color: "mauve" } });
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors!.map((e) => e.field)).toEqual(["name", "color"]);
    const taken = await api("/tags", { key, method: "POST", json: { name: "vip" } });
    expect(taken.status).toBe(422);
    expect((await problemOf(taken)).errors).toEqual([
      { field: "name", message: "A tag with this name already exists." },
    ]);

    const renamed = await api(`/tags/${tag.id}`, { key, method: "PATCH", json: { name: "Very important" } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toEqual({ id: tag.id, name: "Very important", color: "red" });
    const recoloured = await api(`/tags/${tag.id}`, { key, method: "PATCH", json: { color: "teal" } });
    expect(await recoloured.json()).toEqual({ id: tag.id, name: "Very important", color: "teal" });
    const clash = await api(`/tags/${tag.id}`, { key, method: "PATCH", json: { name: "LEAD" } });
    expect(clash.status).toBe(422);
    expect((await problemOf(clash)).errors!.map((e) => e.field)).toEqual(["name"]);
    const list = (await (await api("/tags", { key })).json()) as { data: Tag[] };
    expect(list.data.map((g) => g.name)).toEqual(["Lead", "Very important"]);
  });

  it("deletes a tag, taking it off the records that had it", async () => {
    const owner = await newTenant("Tags API Delete");
    const key = await makeKey(owner.cookie);
    const tag = (await (await api("/tags", { key, method: "POST", json: { name: "Old" } })).json()) as Tag;
    const contact = await api("/contacts", { key, method: "POST", json: { first_name: "Ada", tag_ids: [tag.id] } });
    const { id } = (await contact.json()) as { id: number };
    const deal = await api("/deals", { key, method: "POST", json: { name: "Tagged", tag_ids: [tag.id] } });
    const dealId = ((await deal.json()) as { id: number }).id;
    expect((await api(`/tags/${tag.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await api(`/tags/${tag.id}`, { key })).status).toBe(404);
    expect(((await (await api(`/contacts/${id}`, { key })).json()) as { tags: Tag[] }).tags).toEqual([]);
    expect(((await (await api(`/deals/${dealId}`, { key })).json()) as { tags: Tag[] }).tags).toEqual([]);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE 'tag.%' ORDER BY id",
    )
      .bind(owner.tenantId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["tag.created", "tag.deleted"]);
  });
});
