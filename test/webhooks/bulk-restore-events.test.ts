/**
 * Webhook events of changes that had none: tagging or untagging many contacts at once (contact.updated for each
 * contact it changes, none for one it leaves alone) and restoring a record from the trash (its created event,
 * with `restored: true`), each written in the change's own batch.
 */
import { describe, expect, it } from "vitest";
import { createContact, post } from "../contacts/contact-helpers";
import { insertTag } from "../helpers/records";
import { newTenant } from "../helpers/tenants";
import { restoreTo, trashItemOf } from "../trash/helpers";
import { addEndpoint, deliveriesOf, eventsOf, receiverUrl } from "./helpers";

describe("webhook events of bulk tag changes and restores", () => {
  it("writes contact.updated for each contact a bulk tag or untag changes, and only those", async () => {
    const t = await newTenant("Hooked Bulk Tags");
    const ada = await createContact(t.cookie, { first_name: "Ada", emails: "ada@example.com" });
    const bob = await createContact(t.cookie, { first_name: "Bob" });
    const vip = await insertTag(t.tenantId, "VIP");
    await addEndpoint(t.cookie, receiverUrl("bulk-tags"), ["contact.updated"]);
    const tag = (action: "tag" | "untag", ids: number[]) =>
      post("/app/contacts/bulk", t.cookie, { action, tag_id: String(vip), ids: ids.map(String) });

    expect((await tag("tag", [ada])).status).toBe(303);
    expect((await eventsOf(t.tenantId)).map((e) => [e.type, JSON.parse(e.payload).id])).toEqual([
      ["contact.updated", ada],
    ]);
    // Ada has the tag already: only Bob changes.
    await tag("tag", [ada, bob]);
    await tag("untag", [ada, bob]);
    const events = (await eventsOf(t.tenantId)).map((e) => [e.type, JSON.parse(e.payload).id]);
    expect(events.slice(1)).toEqual(expect.arrayContaining([["contact.updated", bob]]));
    expect(events.slice(1).filter(([, id]) => id === bob)).toHaveLength(2);
    expect(events.slice(1).filter(([, id]) => id === ada)).toHaveLength(1);
    expect(JSON.parse((await eventsOf(t.tenantId))[0]!.payload)).toMatchObject({ emails: ["ada@example.com"] });
    expect((await deliveriesOf(t.tenantId)).length).toBe(events.length);
  });

  it("writes a restored record's created event, with restored: true", async () => {
    const t = await newTenant("Hooked Restore");
    await addEndpoint(t.cookie, receiverUrl("restore"), ["contact.created", "contact.deleted"]);
    const id = await createContact(t.cookie, { first_name: "Lazarus", emails: "laz@example.com" });
    expect((await post(`/app/contacts/${id}/delete`, t.cookie, {})).status).toBe(303);
    const item = await trashItemOf("contact", id);
    await restoreTo(t.cookie, item!.id, `/app/contacts/${id}`);
    const events = await eventsOf(t.tenantId);
    expect(events.map((e) => e.type)).toEqual(["contact.created", "contact.deleted", "contact.created"]);
    expect(JSON.parse(events[2]!.payload)).toMatchObject({
      id,
      first_name: "Lazarus",
      emails: ["laz@example.com"],
      restored: true,
    });
  });
});
