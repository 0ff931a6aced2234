/**
 * The API's list costs the same D1 round trips for 200 contacts as for a handful: the key check (lookup, audit
 * entry, last-used time, rate counters) and the page (the fields and every row with its emails, phones, tags
 * and custom values in subqueries), never a query per row. A key's first request sends them one after the
 * other; once the isolate knows the key's workspace, a read sends both in one batch.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { insertContacts, insertCustomField, insertTag } from "../contacts/contact-helpers";
import { api, makeKey } from "./helpers";

async function filled(n: number) {
  const t = await newTenant(`API queries ${n}`);
  await insertContacts(t.tenantId, n);
  const tag = await insertTag(t.tenantId, "Tagged");
  const field = await insertCustomField(t.tenantId, "Tier", "text");
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ?",
    ).bind(tag, t.tenantId),
    env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, 'gold' FROM contacts WHERE tenant_id = ?",
    ).bind(field, t.tenantId),
  ]);
  return { ...t, key: await makeKey(t.cookie), tag };
}

async function roundTrips(path: string, key: string) {
  const counting = countingDb();
  const res = await api(path, { key, env: { DB: counting.binding } });
  expect(res.status, path).toBe(200);
  const body = (await res.json()) as { data: { tags: unknown[]; custom_fields: Record<string, unknown> }[] };
  return { trips: counting.roundTrips.count, body };
}

describe("API list queries", () => {
  it("are one round trip for 5 contacts and for 200, with tags and custom values (two on a key's first use)", async () => {
    const small = await filled(5);
    const large = await filled(210);
    expect((await roundTrips("/contacts?limit=200", small.key)).trips).toBe(2);
    expect((await roundTrips("/contacts?limit=200", large.key)).trips).toBe(2);
    for (const query of ["?limit=200", "?limit=200&q=bulk", `?limit=200&tag=`]) {
      const s = await roundTrips(`/contacts${query}${query.endsWith("=") ? small.tag : ""}`, small.key);
      const l = await roundTrips(`/contacts${query}${query.endsWith("=") ? large.tag : ""}`, large.key);
      expect(s.body.data, query).toHaveLength(5);
      expect(l.body.data, query).toHaveLength(200);
      expect(l.body.data[199]!.tags, query).toHaveLength(1);
      expect(l.body.data[199]!.custom_fields, query).toEqual({ Tier: { kind: "text", value: "gold" } });
      expect(l.trips, query).toBe(1);
      expect(s.trips, query).toBe(1);
    }
  });
});
