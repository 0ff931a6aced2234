/**
 * What contact and company events carry: the record with its tags and custom values, as the batch leaves it, the
 * tags as the API lists them and each value by its field's name (as the export's columns and deal events do).
 */
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { insertField } from "../companies/helpers";
import { post } from "../contacts/contact-helpers";
import { insertTag } from "../helpers/records";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, eventsOf, receiverUrl } from "./helpers";

type Payload = { id: number; tags: { id: number; name: string }[]; custom_fields: Record<string, string> };
const payloads = async (tenantId: string) =>
  (await eventsOf(tenantId)).map((e) => ({ type: e.type, data: JSON.parse(e.payload) as Payload }));

describe("contact and company events carry tags and custom values", () => {
  it("created and updated through the API: the event shows what the API then answers", async () => {
    const t = await newTenant("Payload Labels");
    await addEndpoint(t.cookie, receiverUrl("payload-labels"), [
      "contact.created",
      "contact.updated",
      "company.created",
      "company.updated",
    ]);
    const key = await makeKey(t.cookie);
    await insertField(t.tenantId, "contact", "Tier");
    await insertField(t.tenantId, "company", "Region");
    const [zeta, alpha] = [await insertTag(t.tenantId, "Zeta"), await insertTag(t.tenantId, "Alpha")];

    const contact = (await (
      await api("/contacts", {
        key,
        method: "POST",
        json: { first_name: "Ada", tag_ids: [zeta, alpha], custom_fields: { Tier: "gold" } },
      })
    ).json()) as { id: number; tags: { id: number; name: string }[] };
    const company = (await (
      await api("/companies", {
        key,
        method: "POST",
        json: { name: "Engines Ltd", custom_fields: { Region: "north" } },
      })
    ).json()) as { id: number };
    let events = await payloads(t.tenantId);
    expect(events[0]).toEqual({
      type: "contact.created",
      data: expect.objectContaining({ id: contact.id, tags: contact.tags, custom_fields: { Tier: "gold" } }),
    });
    expect(contact.tags).toEqual([
      { id: alpha, name: "Alpha" },
      { id: zeta, name: "Zeta" },
    ]);
    expect(events[1]!.data).toMatchObject({ id: company.id, tags: [], custom_fields: { Region: "north" } });

    expect(
      (
        await api(`/contacts/${contact.id}`, {
          key,
          method: "PATCH",
          json: { tag_ids: [zeta], custom_fields: { Tier: "" } },
        })
      ).status,
    ).toBe(200);
    events = await payloads(t.tenantId);
    expect(events[2]).toEqual({
      type: "contact.updated",
      data: expect.objectContaining({ id: contact.id, tags: [{ id: zeta, name: "Zeta" }], custom_fields: {} }),
    });
  });

  it("tagging and untagging contacts from the list: each event shows the contact with the tag, then without it", async () => {
    const t = await newTenant("Payload Bulk Tags");
    await addEndpoint(t.cookie, receiverUrl("payload-bulk-tags"), ["contact.updated"]);
    const key = await makeKey(t.cookie);
    const vip = await insertTag(t.tenantId, "VIP");
    const old = await insertTag(t.tenantId, "Old");
    const ada = (await (
      await api("/contacts", { key, method: "POST", json: { first_name: "Ada", tag_ids: [old] } })
    ).json()) as { id: number };
    const bulk = (action: "tag" | "untag") =>
      post("/app/contacts/bulk", t.cookie, { action, tag_id: String(vip), ids: [String(ada.id)] });

    expect((await bulk("tag")).status).toBe(303);
    expect((await bulk("untag")).status).toBe(303);
    const tags = (await payloads(t.tenantId)).map((e) => e.data.tags.map((g) => g.name));
    expect(tags).toEqual([["Old", "VIP"], ["Old"]]);
  });

  it("deleting a tag: the events of the contact and company that carried it show them without it", async () => {
    const t = await newTenant("Payload Tag Delete");
    await addEndpoint(t.cookie, receiverUrl("payload-tag-delete"), ["contact.updated", "company.updated"]);
    const key = await makeKey(t.cookie);
    const [gone, kept] = [await insertTag(t.tenantId, "Gone"), await insertTag(t.tenantId, "Kept")];
    await api("/contacts", { key, method: "POST", json: { first_name: "Ada", tag_ids: [gone, kept] } });
    await api("/companies", { key, method: "POST", json: { name: "Engines Ltd", tag_ids: [gone] } });

    expect((await api(`/tags/${gone}`, { key, method: "DELETE" })).status).toBe(204);
    const events = await payloads(t.tenantId);
    expect(events.map((e) => [e.type, e.data.tags])).toEqual(
      expect.arrayContaining([
        ["contact.updated", [{ id: kept, name: "Kept" }]],
        ["company.updated", []],
      ]),
    );
    expect(events).toHaveLength(2);
  });
});
