/** Access staff ask for (approved by the workspace from an emailed link) and break-glass (two admins). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { lastMail, mailTo } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { newStaff } from "./helpers";

const supportLink = (tenantId: string) =>
  `http://localhost/app/workspaces/open/${tenantId}?to=${encodeURIComponent("/app/settings/support")}`;

async function latestGrant(tenantId: string) {
  return (await env.DB.prepare(
    "SELECT * FROM support_grants WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
  )
    .bind(tenantId)
    .first<{ id: string; started_at: number | null; staff_id: string | null }>())!;
}

describe("a staff member's request for access", () => {
  it("opens nothing until an owner or admin approves it from the emailed link, and then only for them", async () => {
    const owner = await newTenant("Asked Ltd");
    const alex = await newStaff("support", "Alex");
    const sam = await newStaff("support", "Sam");
    const ask = await send(`/staff/workspaces/${owner.tenantId}/requests`, {
      cookie: alex.cookie,
      form: { access: "read", duration: "24h", ticket: "T-7", message: "Your import failed; may I look?" },
    });
    expect(ask.status).toBe(200);
    const mail = await lastMail(owner.email, "support_access_requested");
    expect(mail.text_body).toContain("Alex from CustomerTrackr support asks for read-only access");
    // Through /app/workspaces/open: the owner may be working in another workspace of theirs when it comes.
    expect(mail.text_body).toContain(supportLink(owner.tenantId));
    const view = `/staff/support/${owner.tenantId}/app`;
    expect((await send(view, { cookie: alex.cookie })).status).toBe(403);

    const member = await memberOf(owner.tenantId, "member");
    const grant = await latestGrant(owner.tenantId);
    expect((await send(`/app/settings/support/${grant.id}/approve`, { cookie: member.cookie, form: {} })).status).toBe(
      403,
    );
    const page = await (await send("/app/settings/support", { cookie: owner.cookie })).text();
    expect(page).toContain("Alex (CustomerTrackr)");
    expect(page).toContain("Your import failed; may I look?");
    expect((await send(`/app/settings/support/${grant.id}/approve`, { cookie: owner.cookie, form: {} })).status).toBe(
      200,
    );
    expect((await send(view, { cookie: alex.cookie })).status).toBe(200);
    // The request was Alex's: Sam has no grant.
    expect((await send(view, { cookie: sam.cookie })).status).toBe(403);
    expect((await mailTo(owner.email)).filter((m) => m.kind === "support_access_started")).toHaveLength(1);
  });

  it("stays closed when declined, and a declined request cannot be approved after", async () => {
    const owner = await newTenant("Declined Ltd");
    const alex = await newStaff("support");
    await send(`/staff/workspaces/${owner.tenantId}/requests`, {
      cookie: alex.cookie,
      form: { access: "write", duration: "1h" },
    });
    const grant = await latestGrant(owner.tenantId);
    expect((await send(`/app/settings/support/${grant.id}/decline`, { cookie: owner.cookie, form: {} })).status).toBe(
      200,
    );
    expect((await send(`/app/settings/support/${grant.id}/approve`, { cookie: owner.cookie, form: {} })).status).toBe(
      404,
    );
    expect((await send(`/staff/support/${owner.tenantId}/app`, { cookie: alex.cookie })).status).toBe(403);
  });

  it("refuses a bad request with the message by the field, and writes nothing", async () => {
    const owner = await newTenant("Bad Ask Ltd");
    const alex = await newStaff("support");
    const res = await send(`/staff/workspaces/${owner.tenantId}/requests`, {
      cookie: alex.cookie,
      form: { access: "root", duration: "1y" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose read-only or read and write.");
    const n = await env.DB.prepare("SELECT count(*) AS n FROM support_grants WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});

describe("break-glass", () => {
  it("needs a written reason and a second admin; then the workspace is told in its trail and by email", async () => {
    const owner = await newTenant("Emergency Ltd");
    const first = await newStaff("admin", "Ana");
    const second = await newStaff("admin", "Ben");
    const support = await newStaff("support");
    const url = `/staff/workspaces/${owner.tenantId}/break-glass`;
    expect(
      (await send(url, { cookie: support.cookie, form: { access: "read", duration: "1h", reason: "x".repeat(30) } }))
        .status,
    ).toBe(403);
    const short = await send(url, {
      cookie: first.cookie,
      form: { access: "read", duration: "1h", reason: "because" },
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("at least 20 characters");
    // Seven days is for grants the customer gives; break-glass lasts a day at most.
    expect(
      (await send(url, { cookie: first.cookie, form: { access: "read", duration: "7d", reason: "x".repeat(30) } }))
        .status,
    ).toBe(400);

    const reason = "Court order 2026/117 requires the records of this workspace";
    expect((await send(url, { cookie: first.cookie, form: { access: "read", duration: "1h", reason } })).status).toBe(
      200,
    );
    const grant = await latestGrant(owner.tenantId);
    const view = `/staff/support/${owner.tenantId}/app`;
    expect((await send(view, { cookie: first.cookie })).status).toBe(403);
    // Not yet the workspace's to see: the owner is told once it opens.
    expect(await (await send("/app/settings/support", { cookie: owner.cookie })).text()).not.toContain(reason);

    expect((await send(`/staff/break-glass/${grant.id}/approve`, { cookie: first.cookie, form: {} })).status).toBe(403);
    expect((await send(view, { cookie: first.cookie })).status).toBe(403);
    expect((await send(`/staff/break-glass/${grant.id}/approve`, { cookie: second.cookie, form: {} })).status).toBe(
      200,
    );
    expect((await send(view, { cookie: first.cookie })).status).toBe(200);
    // The glass was broken for Ana, not for every admin.
    expect((await send(view, { cookie: second.cookie })).status).toBe(403);

    const audit = await (await send("/app/settings/audit", { cookie: owner.cookie })).text();
    expect(audit).toContain("Support · Ben (CustomerTrackr)");
    expect(audit).toContain(reason);
    const mail = await lastMail(owner.email, "support_access_started");
    expect(mail.subject).toContain("Emergency support access");
    expect(mail.text_body).toContain(reason);
    expect(mail.text_body).toContain(supportLink(owner.tenantId));
  });
});
