/** Settings → API: keys made by admins, shown once, stored hashed, listed with last use, revoked at once, audited. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { api, makeKey } from "./helpers";

describe("API keys in settings", () => {
  it("are made by an admin, shown once, and only their hash and prefix are stored", async () => {
    const owner = await newTenant("Keys Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const secret = await makeKey(admin.cookie, { name: "Billing sync", scope: "read" });
    expect(secret).toMatch(/^ct_live_[A-Za-z0-9_-]{43}$/);
    const rows = await env.DB.prepare("SELECT * FROM api_keys WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .all<Record<string, unknown>>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0]!;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.prefix).toBe(secret.slice(0, 12));
    expect(row.scope).toBe("read");
    // The list shows the prefix and never the secret again.
    const page = await textOf("/app/settings/api", { cookie: owner.cookie });
    expect(page).toContain("Billing sync");
    expect(page).toContain(secret.slice(0, 12));
    expect(page).not.toContain(secret);
    // The audit entry names the key, never the secret.
    const audit = await env.DB.prepare(
      "SELECT target_label, detail FROM audit_log WHERE tenant_id = ? AND action = 'api_key.created'",
    )
      .bind(owner.tenantId)
      .first<{ target_label: string; detail: string }>();
    expect(audit?.target_label).toBe("Billing sync");
    expect(JSON.stringify(audit)).not.toContain(secret.slice(8));
  });

  it("are refused to members, and a bad form is a 422 with the message by its field", async () => {
    const owner = await newTenant("Keys Roles Co");
    const member = await memberOf(owner.tenantId, "member");
    const refused = await send("/app/settings/api", {
      cookie: member.cookie,
      form: { name: "x", scope: "read", expires: "never" },
    });
    expect(refused.status).toBe(403);
    const bad = await send("/app/settings/api", {
      cookie: owner.cookie,
      form: { name: "", scope: "admin", expires: "2" },
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Enter name.");
    expect(html).toContain("Choose read only or read and write.");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(0);
  });

  it("record last use at most once a minute, every use in the audit trail, and stop at once when revoked", async () => {
    const owner = await newTenant("Keys Use Co");
    const secret = await makeKey(owner.cookie, { name: "Forms" });
    expect((await api("/contacts", { key: secret })).status).toBe(200);
    expect((await api("/contacts", { key: secret })).status).toBe(200);
    const key = await env.DB.prepare("SELECT id, last_used_at FROM api_keys WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ id: string; last_used_at: number }>();
    expect(key!.last_used_at).toBeGreaterThan(Date.now() - 60_000);
    const uses = await env.DB.prepare(
      "SELECT target_label, detail, actor_user_id FROM audit_log WHERE tenant_id = ? AND action = 'api_key.used'",
    )
      .bind(owner.tenantId)
      .all<{ target_label: string; detail: string; actor_user_id: string | null }>();
    expect(uses.results).toHaveLength(2);
    expect(uses.results[0]).toMatchObject({ target_label: "Forms", actor_user_id: null });
    expect(JSON.parse(uses.results[0]!.detail)).toEqual({ method: "GET", path: "/api/v1/contacts" });
    expect(await textOf("/app/settings/audit", { cookie: owner.cookie })).toContain("Used an API key");

    // An old last-use time is moved by the next request; a recent one is left as it is (no write).
    await env.DB.prepare("UPDATE api_keys SET last_used_at = 1000 WHERE id = ?").bind(key!.id).run();
    await api("/contacts", { key: secret });
    const moved = await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
      .bind(key!.id)
      .first<number>("last_used_at");
    expect(moved).toBeGreaterThan(1000);

    const revoke = await send(`/app/settings/api/${key!.id}/revoke`, { cookie: owner.cookie, form: {} });
    expect(revoke.status).toBe(303);
    expect((await api("/contacts", { key: secret })).status).toBe(401);
    expect(await textOf("/app/settings/api", { cookie: owner.cookie })).toContain("Revoked");
    const revokedAudit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'api_key.revoked'",
    )
      .bind(owner.tenantId)
      .first("n");
    expect(revokedAudit).toBe(1);
  });

  it("cannot be revoked from another workspace (404), and outlive their maker's membership", async () => {
    const a = await newTenant("Keys A");
    const b = await newTenant("Keys B");
    const admin = await memberOf(a.tenantId, "admin");
    const secret = await makeKey(admin.cookie);
    const id = await env.DB.prepare("SELECT id FROM api_keys WHERE tenant_id = ?").bind(a.tenantId).first<string>("id");
    expect((await send(`/app/settings/api/${id}/revoke`, { cookie: b.cookie, form: {} })).status).toBe(404);
    expect((await api("/contacts", { key: secret })).status).toBe(200);
    await env.DB.prepare(
      "DELETE FROM memberships WHERE tenant_id = ? AND user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(a.tenantId, admin.email)
      .run();
    expect((await api("/contacts", { key: secret })).status).toBe(200);
  });
});
