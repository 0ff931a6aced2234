/**
 * Leaving a workspace from its team page: anyone but the owner, taken out as a removal would (tasks to the owner,
 * sessions there ended), this browser going on in another workspace of theirs or, with none, to the page that
 * offers to start one. The owner is told to hand ownership over first.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { post } from "../contacts/contact-helpers";
import { send, textOf } from "../helpers/http";
import { auditEntries, invitedExistingUser, invitedMember, roleIn, verifiedOwner } from "./team-helpers";

const visible = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

const sessionTenants = async (userId: string) =>
  (
    await env.DB.prepare("SELECT tenant_id AS tenantId FROM sessions WHERE user_id = ? ORDER BY tenant_id")
      .bind(userId)
      .all<{ tenantId: string }>()
  ).results.map((r) => r.tenantId);

describe("leaving a workspace", () => {
  it("takes a member out at once and moves this browser to their other workspace, which the page names", async () => {
    const owner = await verifiedOwner("Left Behind Co");
    const member = await invitedExistingUser(owner, "member");
    expect(
      (await post("/app/tasks", member.cookie, { title: "Left to the owner", due_date: "2027-04-01" })).status,
    ).toBe(303);
    const page = await textOf("/app/settings/team", { cookie: member.cookie });
    expect(page).toContain('action="/app/settings/team/leave"');
    expect(visible(page)).toContain("Leave Left Behind Co");

    const res = await send("/app/settings/team/leave", { cookie: member.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/workspaces?left=1");
    expect(await roleIn(owner.tenantId, member.userId)).toBeNull();
    expect(await sessionTenants(member.userId)).not.toContain(owner.tenantId);
    expect(await auditEntries(owner.tenantId, "member.left_workspace")).toEqual([
      expect.objectContaining({ actorUserId: member.userId, targetId: member.userId, targetLabel: member.email }),
    ]);
    const task = await env.DB.prepare(
      "SELECT assignee_id FROM tasks WHERE tenant_id = ? AND title = 'Left to the owner'",
    )
      .bind(owner.tenantId)
      .first<string>("assignee_id");
    expect(task).toBe(owner.userId);

    const landed = await send(res.headers.get("Location")!, { cookie: member.cookie });
    expect(landed.status).toBe(200);
    const text = visible(await landed.text());
    expect(text).toContain("You have left that workspace. You are now working in Their Own Co.");
    expect(text).not.toContain("Left Behind Co");
    // The workspace left is out of reach from this browser.
    expect(await textOf("/app", { cookie: member.cookie })).not.toContain("Left Behind Co");
  });

  it("ends the session of someone with no other workspace and offers to start one", async () => {
    const owner = await verifiedOwner("Only Workspace Co");
    const viewer = await invitedMember(owner, "viewer");

    const res = await send("/app/settings/team/leave", { cookie: viewer.cookie, form: {} });
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = visible(html);
    expect(page).toContain("your account is not part of any workspace now");
    expect(page).toMatch(/You left .+, your last workspace/);
    // Signed out: no workspace navigation or switcher above the sign-in form.
    expect(html).not.toContain('id="ct-workspace"');
    expect(html).not.toContain('href="/app/contacts"');
    expect(res.headers.get("Set-Cookie") ?? "").toMatch(/__Host-session=;|__Host-session=[^;]*;[^,]*Max-Age=0/i);
    expect(await roleIn(owner.tenantId, viewer.userId)).toBeNull();
    expect(await sessionTenants(viewer.userId)).toEqual([]);
    const next = await send("/app", { cookie: viewer.cookie });
    expect(next.status).toBe(303);
    expect(next.headers.get("Location")).toMatch(/^\/login/);
  });

  it("is refused to the owner, who is told to transfer ownership first", async () => {
    const owner = await verifiedOwner("Owner Stays Co");
    await invitedMember(owner, "admin");
    expect(visible(await textOf("/app/settings/team", { cookie: owner.cookie }))).toContain(
      "You own this workspace, so you cannot leave it. Transfer ownership to another member first",
    );

    const res = await send("/app/settings/team/leave", { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(409);
    expect(visible(await res.text())).toContain(
      "You own this workspace, so you cannot leave it. Transfer ownership to another member first.",
    );
    expect(await roleIn(owner.tenantId, owner.userId)).toBe("owner");
    expect(await sessionTenants(owner.userId)).toContain(owner.tenantId);
    expect(await auditEntries(owner.tenantId, "member.left_workspace")).toEqual([]);
  });
});
