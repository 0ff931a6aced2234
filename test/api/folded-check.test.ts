/**
 * A read by a key the isolate has seen pass sends the key check in the batch of the route's first query. What a
 * client sees must not change: a key revoked, expired or of a closed workspace gets its refusal and none of the
 * data the route read, and nothing is audited or counted for it; a key still good gets its data and its limits.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import { api, makeKey, problemOf } from "./helpers";

async function usedKey(name: string) {
  const t = await newTenant(name);
  const id = await createContact(t.cookie, { first_name: "Secretia", last_name: "Folded", email: "s@folded.example" });
  const key = await makeKey(t.cookie);
  // Its first use: the check in a batch of its own, and the key remembered.
  expect((await api(`/contacts/${id}`, { key })).status).toBe(200);
  return { ...t, id, key };
}

/** The key's audited uses and the workspace's request count. */
async function traces(tenantId: string) {
  const uses = await env.DB.prepare(
    "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'api_key.used'",
  )
    .bind(tenantId)
    .first<number>("n");
  const counted = await env.DB.prepare("SELECT count FROM rate_limits WHERE key = ?")
    .bind(`api-workspace:${tenantId}`)
    .first<number>("count");
  return { uses, counted };
}

describe("a read whose key check rides in its query's batch", () => {
  it("answers the data with its limits in one round trip while the key is good", async () => {
    const t = await usedKey("Folded Good Co");
    const counting = countingDb();
    const res = await api(`/contacts/${t.id}`, { key: t.key, env: { DB: counting.binding } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: t.id, first_name: "Secretia" });
    expect(res.headers.get("RateLimit-Policy") ?? res.headers.get("RateLimit")).toBeTruthy();
    expect(counting.roundTrips.count).toBe(1);
    expect(await traces(t.tenantId)).toEqual({ uses: 2, counted: 2 });
  });

  for (const [why, spoil, code, status] of [
    ["revoked", "UPDATE api_keys SET revoked_at = ?1 WHERE tenant_id = ?2", "revoked_api_key", 401],
    ["expired", "UPDATE api_keys SET expires_at = ?1 - 1 WHERE tenant_id = ?2", "expired_api_key", 401],
    ["of a closed workspace", "UPDATE tenants SET closed_at = ?1 WHERE id = ?2", "workspace_closed", 403],
  ] as const)
    it(`refuses a key ${why} at once, shows nothing it read, and audits and counts nothing`, async () => {
      const t = await usedKey(`Folded ${why} Co`);
      const before = await traces(t.tenantId);
      await env.DB.prepare(spoil).bind(Date.now(), t.tenantId).run();
      for (const path of [`/contacts/${t.id}`, "/contacts?limit=200", "/tags"]) {
        const res = await api(path, { key: t.key });
        const text = await res.clone().text();
        expect(res.status, path).toBe(status);
        expect((await problemOf(res)).code, path).toBe(code);
        expect(text, path).not.toContain("Secretia");
        expect(text, path).not.toContain("folded.example");
      }
      expect(await traces(t.tenantId)).toEqual(before);
    });

  it("never answers another workspace's record, however the key was used before", async () => {
    const a = await usedKey("Folded A Co");
    const b = await usedKey("Folded B Co");
    const res = await api(`/contacts/${b.id}`, { key: a.key });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Secretia");
  });
});
