/**
 * A closed workspace is never a dead end for the people in it: the workspaces page lists it as closed
 * with its erasure date (never with "Switch"), a session in it moves to the user's open workspace, a
 * user with no other workspace gets a page that says what to do (still signed in), and its owner can
 * have a new reopen link emailed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { invitedExistingUser, invitedMember, verifiedOwner } from "../team/team-helpers";

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, " ");

async function close(cookie: string) {
  expect(
    (await send("/app/settings/close", { cookie, form: { password: GOOD_PASSWORD, confirm_close: "on" } })).status,
  ).toBe(200);
}

/** Points a session at a workspace directly (as a session opened before the closure would be). */
async function sessionIn(cookie: string, tenantId: string) {
  const id = cookie.match(/__Host-session=([^.;]+)\./)![1]!;
  await env.DB.prepare("UPDATE sessions SET tenant_id = ? WHERE id = ?").bind(tenantId, id).run();
}

const sessionTenant = async (cookie: string) =>
  (await env.DB.prepare("SELECT tenant_id FROM sessions WHERE id = ?")
    .bind(cookie.match(/__Host-session=([^.;]+)\./)![1]!)
    .first<{ tenant_id: string }>())!.tenant_id;

describe("a closed workspace among the user's workspaces", () => {
  it("is listed as closed with its erasure date and no switch; switching to it is refused and changes nothing", async () => {
    const closing = await verifiedOwner("Closing Shop");
    const user = await invitedExistingUser(closing, "member"); // also owns "Their Own Co"
    const ownTenant = await sessionTenant((await logIn(user.email)).cookie);
    await close(closing.cookie);
    const closedId = (await env.DB.prepare(
      "SELECT tenant_id FROM memberships WHERE role = 'owner' AND user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(closing.email)
      .first<{ tenant_id: string }>())!.tenant_id;
    const { cookie } = await logIn(user.email);

    const page = await textOf("/app/workspaces", { cookie });
    expect(text(page)).toMatch(
      /Closing Shop member Closed\. Erased unless reopened before \d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d{2} [AP]M [\w+:-]+\. Only its owner can reopen it\./,
    );
    expect(page).not.toContain("Switch to Closing Shop");
    expect(text(page)).toContain("Their Own Co owner Current workspace");

    const refused = await send("/app/workspaces/switch", { cookie, form: { tenant_id: closedId } });
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain("That workspace is closed");
    expect(await sessionTenant(cookie)).toBe(ownTenant);
  });

  it("moves a session that is in it to the user's open workspace, and says so", async () => {
    const closing = await verifiedOwner("Gone Quiet Ltd");
    const user = await invitedExistingUser(closing, "viewer");
    await close(closing.cookie);
    const closedId = (await env.DB.prepare(
      "SELECT id FROM tenants WHERE name = 'Gone Quiet Ltd' AND closed_at IS NOT NULL",
    ).first<{ id: string }>())!.id;
    const { cookie } = await logIn(user.email);
    await sessionIn(cookie, closedId);

    const res = await send("/app/contacts/new", { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/workspaces?moved=1");
    expect(await sessionTenant(cookie)).not.toBe(closedId);
    expect(text(await textOf(res.headers.get("Location")!, { cookie }))).toContain(
      "The workspace you were in is closed, so you are now working in Their Own Co.",
    );
    expect((await send("/app", { cookie })).status).toBe(200);
  });

  it("leaves a user with no other workspace signed in, on a page that says what to do", async () => {
    const closing = await verifiedOwner("Only Home Co");
    const member = await invitedMember(closing, "member");
    await close(closing.cookie);
    const { cookie } = await logIn(member.email);
    const res = await send("/app", { cookie });
    expect(res.status).toBe(423);
    const html = await res.text();
    expect(text(html)).toContain("Only its owner can reopen it");
    expect(text(html)).toContain("your account is erased with it");
    // The header is the signed-in one, reduced to what still works; not "Log in / Start free".
    const header = html.match(/<header[\s\S]*<\/header>/)![0];
    expect(header).toContain("Log out");
    expect(header).toContain('href="/app/workspaces"');
    expect(header).not.toContain("Start free");
    expect(header).not.toContain('href="/app/contacts"');
    expect((await send("/app/workspaces", { cookie })).status).toBe(200);
  });
});

describe("a new reopen link", () => {
  it("is emailed to the owner on request: the new link reopens, the old one stops working", async () => {
    const owner = await verifiedOwner("Second Chance Co");
    const tenantId = (await env.DB.prepare(
      "SELECT tenant_id FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(owner.email)
      .first<{ tenant_id: string }>())!.tenant_id;
    await close(owner.cookie);
    const first = linkPath(await lastMail(owner.email, "workspace_closed"), "/reopen/");
    const { cookie } = await logIn(owner.email);
    expect((await send("/app", { cookie })).status).toBe(423);
    const page = await textOf("/app/workspaces", { cookie });
    expect(page).toContain(`action="/app/workspaces/${tenantId}/reopen-link"`);

    const res = await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie, form: {} });
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain(`We have emailed a new reopen link to ${owner.email}`);
    const second = linkPath(await lastMail(owner.email, "workspace_reopen_link"), "/reopen/");
    expect(second).not.toBe(first);
    expect((await send(first, { method: "POST" })).status).toBe(404);
    expect((await send(second, { method: "POST" })).status).toBe(200);
    expect((await send("/app", { cookie: (await logIn(owner.email)).cookie })).status).toBe(200);
  });

  it("is the owner's alone, limited, and another workspace's id is a 404", async () => {
    const owner = await verifiedOwner("Limited Links Co");
    const member = await invitedExistingUser(owner, "admin");
    const stranger = await verifiedOwner("Stranger Co");
    const tenantId = (await env.DB.prepare(
      "SELECT tenant_id FROM memberships WHERE role = 'owner' AND user_id = (SELECT id FROM users WHERE email = ?)",
    )
      .bind(owner.email)
      .first<{ tenant_id: string }>())!.tenant_id;
    await close(owner.cookie);
    const memberCookie = (await logIn(member.email)).cookie;
    expect((await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie: memberCookie, form: {} })).status).toBe(
      404,
    );
    expect((await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie: stranger.cookie, form: {} })).status).toBe(
      404,
    );
    const { cookie } = await logIn(owner.email);
    for (let i = 0; i < 3; i += 1)
      expect((await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie, form: {} })).status).toBe(200);
    const limited = await send(`/app/workspaces/${tenantId}/reopen-link`, { cookie, form: {} });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});
