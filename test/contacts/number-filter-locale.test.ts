/**
 * A custom number filter is read in the reader's locale, as the list shows the numbers: a de reader sees
 * "1.500" for 1500 and types "1.500" into More filters. The list, its export, "select all matching" and the
 * deals list read it so; a background job reads the query as the reader meant it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { drain, HeldQueue, jobEnv } from "../jobs/helpers";
import { insertField } from "../companies/helpers";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { createContact, insertContacts, insertTag, listedIds, post } from "./contact-helpers";

async function germanWorkspace(name: string) {
  const t = await newTenant(name);
  await env.DB.prepare("UPDATE users SET locale = 'de' WHERE email = ?").bind(t.email).run();
  return t;
}

const taggedCount = async (tagId: number, firstName: string) =>
  (await env.DB.prepare(
    `SELECT count(*) AS n FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
     WHERE ct.tag_id = ? AND c.first_name = ?`,
  )
    .bind(tagId, firstName)
    .first<{ n: number }>())!.n;

describe("a number filter in the reader's locale", () => {
  it("lists, exports and tags the contacts the reader meant", async () => {
    const t = await germanWorkspace("Filter Locale Co");
    const field = await insertField(t.tenantId, "contact", "Revenue", "number");
    const big = await createContact(t.cookie, { first_name: "Big", [`cf_${field}`]: "1.500" });
    const small = await createContact(t.cookie, { first_name: "Small", [`cf_${field}`]: "1,5" });
    const list = await textOf(`/app/contacts?cf_${field}=1.500`, { cookie: t.cookie });
    expect(list).toContain("1.500");
    expect(listedIds(list)).toEqual([big]);
    expect(listedIds(await textOf(`/app/contacts?cf_${field}=1,5`, { cookie: t.cookie }))).toEqual([small]);

    const csv = await textOf(`/app/export/contacts.csv?cf_${field}=1.500`, { cookie: t.cookie });
    expect(csv).toContain("Big");
    expect(csv).not.toContain("Small");

    const vip = await insertTag(t.tenantId, "VIP");
    const tagged = await post("/app/contacts/bulk", t.cookie, {
      action: "tag",
      tag_id: String(vip),
      scope: "matching",
      match_query: `cf_${field}=1.500`,
    });
    expect(tagged.status, await tagged.clone().text()).toBe(303);
    expect([await taggedCount(vip, "Big"), await taggedCount(vip, "Small")]).toEqual([1, 0]);
  });

  it("a background job tags the contacts the reader's filter matched", async () => {
    const t = await germanWorkspace("Filter Locale Job Co");
    const field = await insertField(t.tenantId, "contact", "Revenue", "number");
    await insertContacts(t.tenantId, 5_001, { prefix: "Big" });
    await insertContacts(t.tenantId, 3, { prefix: "Small" });
    await env.DB.prepare(
      `INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
       SELECT tenant_id, ?, id, CASE first_name WHEN 'Big' THEN '1500' ELSE '1.5' END FROM contacts WHERE tenant_id = ?`,
    )
      .bind(field, t.tenantId)
      .run();
    const vip = await insertTag(t.tenantId, "VIP");
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const res = await send("/app/contacts/bulk", {
      cookie: t.cookie,
      env: bindings,
      form: { action: "tag", tag_id: String(vip), scope: "matching", match_query: `cf_${field}=1.500` },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/^\/app\/contacts\/bulk-jobs\//);
    await drain(q, bindings, location.split("/").pop()!.split("?")[0]!);
    expect([await taggedCount(vip, "Big"), await taggedCount(vip, "Small")]).toEqual([5_001, 0]);
  });

  it("the deals list reads a deal field's number filter the same way", async () => {
    const t = await germanWorkspace("Deal Filter Locale Co");
    const row = await env.DB.prepare(
      "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'deal', 'Seats', 'seats', 'number', 0, 0) RETURNING id",
    )
      .bind(t.tenantId)
      .first<{ id: number }>();
    const field = row!.id;
    const stage = String((await pipelinesOf(t.tenantId))[0]!.stages[0]!.id);
    await createDeal(t.cookie, { name: "Thousands", stage_id: stage, [`cf_${field}`]: "1.500" });
    await createDeal(t.cookie, { name: "Handful", stage_id: stage, [`cf_${field}`]: "1,5" });
    const list = await textOf(`/app/deals/list?cf_${field}=1.500`, { cookie: t.cookie });
    expect(list).toContain("Thousands");
    expect(list).not.toContain("Handful");
  });
});
