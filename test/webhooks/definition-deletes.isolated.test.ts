/**
 * Deleting a tag or a custom field definition changes every record that carried it: each such deal, contact and
 * company gets a new updated_at (an API sync by updated_since sees it) and its *.updated event in the deletion's own batch (a deal's payload without what was deleted), and
 * records without it, and other workspaces, get nothing.
 *
 * Isolated: its 2,500 pending deliveries would fill another file's cron run (it sends the oldest due first).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { insertCompany, insertContacts, post } from "../contacts/contact-helpers";
import { pipelinesOf } from "../deals/helpers";
import { insertDeals } from "../deals/list-helpers";
import { countingDb } from "../helpers/query-count";
import { insertTag } from "../helpers/records";
import { newTenant } from "../helpers/tenants";
import { addEndpoint, deliveriesOf, eventsOf, receiverUrl } from "./helpers";

const UPDATED = ["deal.updated", "contact.updated", "company.updated"];

const run = (query: string, ...args: unknown[]) => env.DB.prepare(query).bind(...args);

/** A custom field of `entity`, written directly (setup only). */
async function insertField(tenantId: string, entity: string, name: string): Promise<number> {
  const row = await run(
    `INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at)
     VALUES (?, ?, ?, ?, 'text', 0, ?) RETURNING id`,
    tenantId,
    entity,
    name,
    name.toLowerCase(),
    Date.now(),
  ).first<{ id: number }>();
  return row!.id;
}

/**
 * A workspace with a tagged and an untagged deal, contact and company (the tagged ones also hold a value of their
 * type's field), both tags "Hot" and "Cold" on the tagged deal; no endpoint yet.
 */
async function workspace(name: string) {
  const t = await newTenant(name);
  const stage = (await pipelinesOf(t.tenantId))[0]!.stages[0]!.id;
  const [hot, cold] = [await insertTag(t.tenantId, "Hot"), await insertTag(t.tenantId, "Cold")];
  const deals = await insertDeals(t.tenantId, [
    { name: "Tagged deal", stageId: stage },
    { name: "Plain deal", stageId: stage },
  ]);
  await insertContacts(t.tenantId, 2, { prefix: name.replace(/\W/g, "") });
  const contacts = (
    await run("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id", t.tenantId).all<{ id: number }>()
  ).results.map((r) => r.id);
  const companies = [await insertCompany(t.tenantId, "Tagged Co"), await insertCompany(t.tenantId, "Plain Co")];
  const fields = {
    deal: await insertField(t.tenantId, "deal", "Tier"),
    contact: await insertField(t.tenantId, "contact", "Source"),
    company: await insertField(t.tenantId, "company", "Region"),
  };
  await env.DB.batch([
    run(
      "INSERT INTO deal_tags (tenant_id, deal_id, tag_id) VALUES (?1, ?2, ?3), (?1, ?2, ?4)",
      t.tenantId,
      deals[0],
      hot,
      cold,
    ),
    run("INSERT INTO contact_tags (tenant_id, contact_id, tag_id) VALUES (?, ?, ?)", t.tenantId, contacts[0], hot),
    run("INSERT INTO company_tags (tenant_id, company_id, tag_id) VALUES (?, ?, ?)", t.tenantId, companies[0], hot),
    run(
      `INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
       VALUES (?1, ?2, ?3, 'gold'), (?1, ?4, ?5, 'fair'), (?1, ?6, ?7, 'north')`,
      t.tenantId,
      fields.deal,
      deals[0],
      fields.contact,
      contacts[0],
      fields.company,
      companies[0],
    ),
  ]);
  return { ...t, hot, cold, deals, contacts, companies, fields };
}

const eventsByType = async (tenantId: string) =>
  (await eventsOf(tenantId)).map((e) => ({ type: e.type, data: JSON.parse(e.payload) }));

describe("events of deleting a tag or a custom field", () => {
  it("deleting a tag in Settings → Tags sends one *.updated per record that carried it, the deal without it", async () => {
    const t = await workspace("Tag Delete Events");
    const stranger = await workspace("Tag Delete Stranger");
    await addEndpoint(stranger.cookie, receiverUrl("tag-delete-stranger"), UPDATED);
    const updates = await addEndpoint(t.cookie, receiverUrl("tag-delete-updates"), UPDATED);
    await addEndpoint(t.cookie, receiverUrl("tag-delete-created"), ["contact.created", "deal.created"]);

    const res = await post(`/app/settings/tags/${t.hot}/delete`, t.cookie, {});
    expect(res.status).toBe(303);

    const events = await eventsByType(t.tenantId);
    expect(events.map((e) => [e.type, e.data.id]).sort()).toEqual(
      [
        ["company.updated", t.companies[0]],
        ["contact.updated", t.contacts[0]],
        ["deal.updated", t.deals[0]],
      ].sort(),
    );
    const deal = events.find((e) => e.type === "deal.updated")!.data;
    expect(deal).toMatchObject({
      id: t.deals[0],
      name: "Tagged deal",
      tags: [{ id: t.cold, name: "Cold" }],
      custom_fields: { Tier: "gold" },
      changed: ["tags"],
    });
    expect(events.find((e) => e.type === "contact.updated")!.data).toMatchObject({ id: t.contacts[0] });
    // Only the endpoint subscribed to the updates gets deliveries.
    const deliveries = await deliveriesOf(t.tenantId);
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.endpoint_id))).toEqual(new Set([updates]));
    // The tag is gone from every record, and the stranger's own "Hot" and its records are untouched.
    const links = await run("SELECT count(*) AS n FROM deal_tags WHERE tag_id = ?", t.hot).first<{ n: number }>();
    expect(links!.n).toBe(0);
    expect(await eventsOf(stranger.tenantId)).toEqual([]);
    expect(await deliveriesOf(stranger.tenantId)).toEqual([]);
    const strangerLinks = await run("SELECT count(*) AS n FROM deal_tags WHERE tag_id = ?", stranger.hot).first<{
      n: number;
    }>();
    expect(strangerLinks!.n).toBe(1);
  });

  it("deleting a custom field through the API sends one *.updated per record that held a value, without it", async () => {
    const t = await workspace("Field Delete Events");
    const stranger = await workspace("Field Delete Stranger");
    await addEndpoint(stranger.cookie, receiverUrl("field-delete-stranger"), UPDATED);
    await addEndpoint(t.cookie, receiverUrl("field-delete-updates"), ["deal.updated", "contact.updated"]);
    const key = await makeKey(t.cookie);
    const remove = async (id: number) =>
      expect((await api(`/custom_fields/${id}`, { key, method: "DELETE" })).status).toBe(204);

    await remove(t.fields.deal);
    let events = await eventsByType(t.tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "deal.updated",
      data: {
        id: t.deals[0],
        tags: [
          { id: t.cold, name: "Cold" },
          { id: t.hot, name: "Hot" },
        ],
        custom_fields: {},
        changed: ["custom_fields"],
      },
    });

    await remove(t.fields.contact);
    events = await eventsByType(t.tenantId);
    expect(events.map((e) => [e.type, e.data.id])).toEqual([
      ["deal.updated", t.deals[0]],
      ["contact.updated", t.contacts[0]],
    ]);
    // A company field: this endpoint is not subscribed to company.updated, so nothing is written.
    await remove(t.fields.company);
    expect(await eventsOf(t.tenantId)).toHaveLength(2);
    expect(await deliveriesOf(t.tenantId)).toHaveLength(2);
    expect(await eventsOf(stranger.tenantId)).toEqual([]);
  });

  it("an API client syncing by updated_since sees exactly the records that lost the tag or the value, at the events' time", async () => {
    const t = await workspace("Definition Delete Sync");
    await addEndpoint(t.cookie, receiverUrl("definition-delete-sync"), UPDATED);
    const key = await makeKey(t.cookie, { scope: "read" });
    const changedSince = async (since: number) => {
      const out: Record<string, { id: number; updated_at: string }[]> = {};
      for (const kind of ["deals", "contacts", "companies"]) {
        const res = await api(`/${kind}?updated_since=${encodeURIComponent(new Date(since).toISOString())}`, { key });
        expect(res.status).toBe(200);
        out[kind] = ((await res.json()) as { data: { id: number; updated_at: string }[] }).data;
      }
      return out;
    };
    const since = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    expect(Object.values(await changedSince(since)).flat()).toEqual([]);

    expect((await post(`/app/settings/tags/${t.hot}/delete`, t.cookie, {})).status).toBe(303);
    const afterTag = await changedSince(since);
    expect(afterTag.deals!.map((r) => r.id)).toEqual([t.deals[0]]);
    expect(afterTag.contacts!.map((r) => r.id)).toEqual([t.contacts[0]]);
    expect(afterTag.companies!.map((r) => r.id)).toEqual([t.companies[0]]);
    // Each event says the record's new time, as the API does.
    for (const e of await eventsByType(t.tenantId)) {
      const kind = { "deal.updated": "deals", "contact.updated": "contacts", "company.updated": "companies" }[e.type]!;
      expect(e.data.updated_at, e.type).toBe(afterTag[kind]![0]!.updated_at);
    }

    const sinceTag = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    expect((await post(`/app/settings/fields/${t.fields.company}/delete`, t.cookie, {})).status).toBe(303);
    const afterField = await changedSince(sinceTag);
    expect(afterField).toEqual({
      deals: [],
      contacts: [],
      companies: [expect.objectContaining({ id: t.companies[0] })],
    });
  });

  it("a tag on thousands of contacts: one event each, from a batch of a few statements (the API's DELETE)", async () => {
    const t = await newTenant("Tag Delete Many");
    const tag = await insertTag(t.tenantId, "Everyone");
    await insertContacts(t.tenantId, 2_500, { prefix: "Many" });
    await run(
      "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ?",
      tag,
      t.tenantId,
    ).run();
    await addEndpoint(t.cookie, receiverUrl("tag-delete-many"), ["contact.updated"]);
    const key = await makeKey(t.cookie);

    const counting = countingDb();
    expect((await api(`/tags/${tag}`, { key, method: "DELETE", env: { DB: counting.binding } })).status).toBe(204);
    // One INSERT ... SELECT per event type, however many contacts carry the tag.
    expect(counting.statements.filter((s) => /insert into "?webhook_events"?/i.test(s))).toHaveLength(3);
    expect(counting.statements.length).toBeLessThan(30);
    const events = await eventsOf(t.tenantId);
    expect(events).toHaveLength(2_500);
    expect(new Set(events.map((e) => JSON.parse(e.payload).id)).size).toBe(2_500);
    expect(await deliveriesOf(t.tenantId)).toHaveLength(2_500);
  });
});
