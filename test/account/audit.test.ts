import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

/** The rows of the entries table. */
function rows(html: string): string[] {
  return [...(html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
}

describe("audit trail", () => {
  it("records sign-ins, failed sign-ins, password changes and refusals, with time, actor, IP and device", async () => {
    const owner = await newTenant("Audited Co");
    await logIn(owner.email, "wrong password here", { ip: "192.0.2.50" });
    await logIn(owner.email, GOOD_PASSWORD, { ip: "192.0.2.51" });
    await send("/app/settings/security/password", {
      form: { current_password: GOOD_PASSWORD, new_password: "another fine passphrase" },
      cookie: owner.cookie,
    });
    const viewer = await memberOf(owner.tenantId, "viewer");
    const member = await memberOf(owner.tenantId, "member");
    expect((await send("/app/settings/audit", { cookie: viewer.cookie })).status).toBe(403);
    expect((await send("/app/settings/audit", { cookie: member.cookie })).status).toBe(403);

    const res = await send("/app/settings/audit", { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const label of ["Signed up", "Failed sign-in", "Signed in", "Changed password", "Was refused access"])
      expect(html).toContain(label);
    expect(html).toContain("192.0.2.50");
    expect(html).toContain("192.0.2.51");
    expect(html).toContain(viewer.email);
    expect(html).toContain("GET /app/settings/audit");
    expect(await countRows("audit_log", "tenant_id = ? AND action = 'permission.denied'", owner.tenantId)).toBe(2);
  });

  it("filters by action and by member, and pages by cursor", async () => {
    const owner = await newTenant("Filter Co");
    for (let i = 0; i < 55; i++) await logIn(owner.email, `wrong guess number ${i}`, { ip: `192.0.2.${i}` });
    const failures = await textOf("/app/settings/audit?action=auth.sign_in_failed", { cookie: owner.cookie });
    expect(rows(failures)).toHaveLength(50);
    expect(rows(failures).every((r) => r.includes("Failed sign-in"))).toBe(true);
    const older = failures.match(/href="(\/app\/settings\/audit\?[^"]+)">Older entries/)![1]!.replaceAll("&amp;", "&");
    const page2 = await textOf(older, { cookie: owner.cookie });
    // After 10 failures unknown browsers are slowed down; refused attempts are recorded too: 55 in all.
    expect(rows(page2)).toHaveLength(5);
    expect(page2).not.toContain("Older entries");
    const ownerId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(owner.email)
      .first<{ id: string }>())!.id;
    const mine = await textOf(`/app/settings/audit?actor=${ownerId}`, { cookie: owner.cookie });
    expect(rows(mine).some((r) => r.includes("Signed up"))).toBe(true);
    expect(rows(mine).some((r) => r.includes("Failed sign-in"))).toBe(false);
  });

  it("is append-only", async () => {
    const owner = await newTenant("Append Co");
    await expect(
      env.DB.prepare("UPDATE audit_log SET action = 'auth.sign_in' WHERE tenant_id = ?").bind(owner.tenantId).run(),
    ).rejects.toThrow(/append-only/);
    await expect(
      env.DB.prepare("DELETE FROM audit_log WHERE tenant_id = ?").bind(owner.tenantId).run(),
    ).rejects.toThrow(/append-only/);
    await expect(
      env.DB.prepare("UPDATE audit_log SET ip = '1.2.3.4' WHERE tenant_id = ?").bind(owner.tenantId).run(),
    ).rejects.toThrow(/append-only/);
  });

  it("never holds a password or a token", async () => {
    const owner = await newTenant("Secret Co");
    await logIn(owner.email, "my wrong secret guess");
    await send("/password/forgot", { form: { email: owner.email } });
    const token = owner.cookie.match(/__Host-session=([^;]+)/)![1]!;
    const dump = JSON.stringify((await env.DB.prepare("SELECT * FROM audit_log").all()).results);
    expect(dump).not.toContain("my wrong secret guess");
    expect(dump).not.toContain(GOOD_PASSWORD);
    expect(dump).not.toContain(token.split(".")[1]!);
  });

  it("shows a tenant only its own entries", async () => {
    const a = await newTenant("Own Entries A");
    const b = await newTenant("Own Entries B");
    // Both have entries (their sign-ups and a sign-in from a telling address); each page lists its own only.
    await logIn(a.email, GOOD_PASSWORD, { ip: "192.0.2.201" });
    await logIn(b.email, GOOD_PASSWORD, { ip: "192.0.2.202" });
    const pageA = await send("/app/settings/audit", { cookie: a.cookie });
    const pageB = await send("/app/settings/audit", { cookie: b.cookie });
    expect([pageA.status, pageB.status]).toEqual([200, 200]);
    const [htmlA, htmlB] = [await pageA.text(), await pageB.text()];
    expect(rows(htmlA).length).toBeGreaterThanOrEqual(2);
    expect(htmlA).toContain(a.email);
    expect(htmlA).toContain("192.0.2.201");
    expect(htmlA).not.toContain(b.email);
    expect(htmlA).not.toContain("192.0.2.202");
    expect(htmlB).toContain("192.0.2.202");
    expect(htmlB).not.toContain(a.email);
  });
});
