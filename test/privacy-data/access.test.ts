/**
 * Access and correction at /app/settings/profile: the page shows the personal data we hold about the
 * user, and corrects it; a new email address is used only once confirmed from the link sent to it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { memberOf } from "../helpers/tenants";
import { newTenant } from "../contacts/contact-helpers";
import { userId } from "./helpers";

async function profile(cookie: string): Promise<string> {
  const res = await send("/app/settings/profile", { cookie });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the profile shows what we hold", () => {
  it("lists the account, workspaces, sessions, audit entries, cookie choices and email preferences", async () => {
    const t = await newTenant("Holding Co");
    await send("/consent", { cookie: t.cookie, form: { analytics: "accept", back: "/" } });
    const html = await profile(t.cookie);
    expect(html).toContain(t.email);
    expect(html).toContain("not confirmed yet");
    expect(html).toMatch(/Holding Co<!-- -->: owner|Holding Co: owner/);
    expect(html).toContain("1 signed-in session");
    expect(html).toContain("on Linux");
    expect(html).toContain('href="/app/settings/security"');
    // The audit entries about them (signing up, at least), with a link to all of them.
    expect(html).toContain("Signed up");
    expect(html).toContain('href="/app/settings/privacy"');
    expect(html).toContain(`href="/app/settings/audit?actor=${await userId(t.email)}"`);
    expect(html).toMatch(/Analytics cookies accepted on/);
    expect(html).toMatch(/Weekly digest on, product news off/);
  });

  it("shows a member what was done to their account without the other member's IP address", async () => {
    const t = await newTenant("Roles Co");
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userId(member.email);
    const ownerIp = "203.0.113.77";
    const res = await send(`/app/settings/team/members/${memberId}/role`, {
      cookie: t.cookie,
      form: { role: "viewer" },
      ip: ownerIp,
    });
    expect(res.status).toBeLessThan(400);
    const html = await profile(member.cookie);
    expect(html).toContain("Changed role");
    expect(html).toContain("another member");
    expect(html).not.toContain(ownerIp);
    // Only admins see the workspace's audit trail: no link to it for a viewer.
    expect(html).not.toContain("/app/settings/audit?actor=");
  });
});

describe("correcting it", () => {
  it("saves a name, refuses one too long with the message beside the field, and empties it", async () => {
    const t = await newTenant("Name Co");
    const ok = await send("/app/settings/profile/name", { cookie: t.cookie, form: { name: "  Grace Hopper " } });
    expect(ok.status).toBe(303);
    expect(await env.DB.prepare("SELECT name FROM users WHERE email = ?").bind(t.email).first("name")).toBe(
      "Grace Hopper",
    );
    expect(await profile(t.cookie)).toContain('value="Grace Hopper"');
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'profile.updated'")
        .bind(t.tenantId)
        .first("n"),
    ).toBe(1);

    const long = await send("/app/settings/profile/name", { cookie: t.cookie, form: { name: "x".repeat(101) } });
    expect(long.status).toBe(422);
    expect(await long.text()).toContain("Name must be at most 100 characters.");
    expect(await env.DB.prepare("SELECT name FROM users WHERE email = ?").bind(t.email).first("name")).toBe(
      "Grace Hopper",
    );

    await send("/app/settings/profile/name", { cookie: t.cookie, form: { name: "" } });
    expect(await env.DB.prepare("SELECT name FROM users WHERE email = ?").bind(t.email).first("name")).toBeNull();
  });

  it("lets the owner correct the company name, and nobody else", async () => {
    const t = await newTenant("Old Name Co");
    const res = await send("/app/settings/profile/company", {
      cookie: t.cookie,
      form: { company_name: "New Name Co" },
    });
    expect(res.status).toBe(303);
    expect(await env.DB.prepare("SELECT name FROM tenants WHERE id = ?").bind(t.tenantId).first("name")).toBe(
      "New Name Co",
    );
    expect(await profile(t.cookie)).toContain('value="New Name Co"');
    expect((await send("/app/settings/profile/company", { cookie: t.cookie, form: { company_name: "" } })).status).toBe(
      422,
    );
    const admin = await memberOf(t.tenantId, "admin");
    expect(
      (await send("/app/settings/profile/company", { cookie: admin.cookie, form: { company_name: "Hijacked" } }))
        .status,
    ).toBe(403);
    expect(await env.DB.prepare("SELECT name FROM tenants WHERE id = ?").bind(t.tenantId).first("name")).toBe(
      "New Name Co",
    );
    expect(await profile(admin.cookie)).not.toContain('name="company_name"');
  });

  it("changes the email address only once the new address is confirmed from its link", async () => {
    const t = await newTenant("Email Co");
    const newAddress = `changed-${Date.now()}@example.com`;
    const wrong = await send("/app/settings/profile/email", {
      cookie: t.cookie,
      form: { email: newAddress, password: "not my password" },
    });
    expect(wrong.status).toBe(422);

    const res = await send("/app/settings/profile/email", {
      cookie: t.cookie,
      form: { email: newAddress, password: "violet tractor sandwich 42" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`We have sent a confirmation link to ${newAddress}`);
    // Nothing changes yet; the old address is told.
    expect(
      await env.DB.prepare("SELECT email FROM users WHERE id = ?")
        .bind(await userId(t.email))
        .first("email"),
    ).toBe(t.email);
    expect((await lastMail(t.email, "email_change_requested")).text_body).toContain(newAddress);

    const link = linkPath(await lastMail(newAddress, "change_email"), "/verify-email/");
    // Opening the link shows a button; pressing it confirms.
    expect((await send(link)).status).toBe(200);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(newAddress).first("n")).toBe(0);
    const confirmed = await send(link, { method: "POST", form: {} });
    expect(confirmed.status).toBeLessThan(400);
    const row = await env.DB.prepare("SELECT email, email_verified_at FROM users WHERE email = ?")
      .bind(newAddress)
      .first<{ email: string; email_verified_at: number | null }>();
    expect(row?.email).toBe(newAddress);
    expect(row?.email_verified_at).not.toBeNull();
    expect(await profile(t.cookie)).toContain(newAddress);
  });

  it("keeps email preferences per user, shown back on the page", async () => {
    const t = await newTenant("Prefs Co");
    const saved = await send("/app/settings/profile/email-preferences", { cookie: t.cookie, form: { news: "on" } });
    expect(saved.status).toBe(303);
    const html = await textOf(saved.headers.get("Location")!, { cookie: t.cookie });
    expect(html).toMatch(/Weekly digest off, product news on/);
    expect(html).toContain("Your email preferences have been saved.");
  });
});
