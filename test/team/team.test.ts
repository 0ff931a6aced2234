import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashToken } from "../../src/auth/tokens";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail, statusOf, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import {
  acceptWithNewAccount,
  auditEntries,
  fieldError,
  invitationMailTo,
  invite,
  invitedExistingUser,
  invitedMember,
  pendingInvitation,
  markVerified,
  roleIn,
  teamCounts,
  teamState,
  verifiedOwner,
} from "./team-helpers";

const DAY = 24 * 3_600_000;

describe("inviting", () => {
  it("queues an email with the link, lists the invitation, and a new account joins with the role", async () => {
    const owner = await verifiedOwner("Copper Kettle Cafe");
    const email = uniqueEmail("newcomer");
    await invite(owner.cookie, email, "member");

    const mail = await invitationMailTo(email);
    expect(mail.tenantId).toBe(owner.tenantId);
    expect(mail.subject).toContain("Copper Kettle Cafe");
    expect(mail.text).toContain(`http://localhost/invite/${mail.token}`);
    expect(mail.text).toContain("as a member");
    expect(await auditEntries(owner.tenantId, "invitation.created")).toEqual([
      expect.objectContaining({
        actorUserId: owner.userId,
        targetLabel: email,
        detail: JSON.stringify({ role: "member" }),
      }),
    ]);

    const team = await textOf("/app/settings/team", { cookie: owner.cookie });
    expect(team).toContain("Pending invitations");
    expect(team).toContain(email);
    expect(team).toContain(owner.email);
    expect(team).not.toContain("Invitation sent."); // the notice belongs to the redirect only
    expect(await textOf("/app/settings/team?notice=invited", { cookie: owner.cookie })).toContain("Invitation sent.");

    // Looking at the invitation changes nothing.
    const before = await teamState();
    const page = await send(`/invite/${mail.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Join Copper Kettle Cafe");
    expect(html).toContain(email);
    expect(html).toContain("<strong>member</strong>");
    expect(html).toContain('name="age_confirmed"');
    expect(html).toContain('name="accept_terms"');
    expect(await teamState()).toEqual(before);

    const cookie = await acceptWithNewAccount(mail.token);
    const dashboard = await send("/app", { cookie });
    expect(dashboard.status).toBe(200);
    const dashboardHtml = await dashboard.text();
    expect(dashboardHtml).toContain("Copper Kettle Cafe");
    expect(dashboardHtml).toContain("member");

    const user = await env.DB.prepare("SELECT id, email_verified_at AS verifiedAt FROM users WHERE email = ?")
      .bind(email)
      .first<{ id: string; verifiedAt: number | null }>();
    expect(user!.verifiedAt).not.toBeNull(); // the link proved the address
    expect(await roleIn(owner.tenantId, user!.id)).toBe("member");
    const invitation = await env.DB.prepare(
      "SELECT accepted_at AS acceptedAt, accepted_by AS acceptedBy FROM invitations WHERE email = ?",
    )
      .bind(email)
      .first<{ acceptedAt: number; acceptedBy: string }>();
    expect(invitation!.acceptedBy).toBe(user!.id);
    expect(await auditEntries(owner.tenantId, "invitation.accepted")).toEqual([
      expect.objectContaining({ actorUserId: user!.id, targetLabel: email }),
    ]);

    const after = await textOf("/app/settings/team", { cookie: owner.cookie });
    expect(after).toContain("No pending invitations.");
    expect(after).toMatch(new RegExp(`${email.replace(/[.]/g, "\\.")}</td><td[^>]*>member</td>`));
  });

  it("gives the new account the zone its browser says, as sign-up does, so the times it types are its own", async () => {
    const owner = await verifiedOwner("Zoned Invites Co");
    const email = uniqueEmail("zoned");
    await invite(owner.cookie, email, "member");
    const { token } = await invitationMailTo(email);
    expect(await textOf(`/invite/${token}`)).toContain('name="time_zone"');
    const res = await send(`/invite/${token}`, {
      form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on", time_zone: "America/New_York" },
    });
    expect(res.status).toBe(303);
    expect(await env.DB.prepare("SELECT time_zone FROM users WHERE email = ?").bind(email).first("time_zone")).toBe(
      "America/New_York",
    );
  });

  it("asks an existing account to log in, then joins it and moves its session into the workspace", async () => {
    const owner = await verifiedOwner("Granite Works");
    const user = await signUp({ company_name: "Own Shop" });
    await invite(owner.cookie, user.email, "viewer");
    const { token } = await invitationMailTo(user.email);

    const anonymous = await textOf(`/invite/${token}`);
    expect(anonymous).toContain("Log in to accept");
    expect(anonymous).toContain(`href="/login?next=/invite/${token}"`);
    expect(anonymous).not.toContain('name="password"');
    const before = await teamState();
    expect(
      (await send(`/invite/${token}`, { form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" } }))
        .status,
    ).toBe(409);
    expect(await teamState()).toEqual(before);

    // The login form sends them back to the invitation.
    const login = await send(`/login?next=/invite/${token}`, { form: { email: user.email, password: GOOD_PASSWORD } });
    expect(login.headers.get("Location")).toBe(`/invite/${token}`);

    const signedIn = await textOf(`/invite/${token}`, { cookie: user.cookie });
    expect(signedIn).toContain("Join Granite Works</button>");
    const joined = await send(`/invite/${token}`, { cookie: user.cookie, form: {} });
    expect(joined.status).toBe(303);
    expect(joined.headers.get("Location")).toBe("/app");

    const dashboard = await textOf("/app", { cookie: user.cookie });
    expect(dashboard).toContain("Granite Works");
    expect(dashboard).toContain("viewer");
    const workspaces = await textOf("/app/workspaces", { cookie: user.cookie });
    expect(workspaces).toContain("Granite Works");
    expect(workspaces).toContain("Own Shop");
  });

  it("tells someone signed in with another address to log out, and changes nothing", async () => {
    const { token } = await pendingInvitation("invited", "Other Address Ltd");
    const stranger = await signUp();

    const page = await textOf(`/invite/${token}`, { cookie: stranger.cookie });
    expect(page).toContain(`You are logged in as <strong>${stranger.email}</strong>`);
    expect(page).toContain("Log out");
    const before = await teamState();
    expect((await send(`/invite/${token}`, { cookie: stranger.cookie, form: {} })).status).toBe(403);
    expect(await teamState()).toEqual(before);
  });

  it("validates the new account like sign-up and writes nothing until it is right", async () => {
    const { email, token } = await pendingInvitation("careful");
    const before = await teamCounts();
    const cases: [Record<string, string>, string, string][] = [
      [{ password: "password", age_confirmed: "on", accept_terms: "on" }, "f-password", "most common"],
      [{ password: "short", age_confirmed: "on", accept_terms: "on" }, "f-password", "at least 8"],
      [{ password: email, age_confirmed: "on", accept_terms: "on" }, "f-password", "cannot be your email"],
      [{ password: GOOD_PASSWORD, accept_terms: "on" }, "f-age_confirmed", "18 or older"],
      [{ password: GOOD_PASSWORD, age_confirmed: "on" }, "f-accept_terms", "accept the Terms"],
    ];
    for (const [form, field, message] of cases) {
      const res = await send(`/invite/${token}`, { form });
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(fieldError(await res.text(), field)).toContain(message);
    }
    expect(await teamCounts()).toEqual(before);
  });

  it("lets a link be used once, even by two requests at the same moment", async () => {
    const { email, token } = await pendingInvitation("once");
    const form = { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" };
    const [a, b] = await Promise.all([send(`/invite/${token}`, { form }), send(`/invite/${token}`, { form })]);
    expect([a.status, b.status].sort()).toEqual([303, 404]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first("n")).toBe(1);

    const again = await send(`/invite/${token}`);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("This invitation is no longer valid");
    expect((await send(`/invite/${token}`, { form })).status).toBe(404);
  });

  it("expires after 7 days", async () => {
    const { owner, email, token } = await pendingInvitation("late");
    const row = await env.DB.prepare(
      "SELECT created_at AS createdAt, expires_at AS expiresAt FROM invitations WHERE email = ?",
    )
      .bind(email)
      .first<{ createdAt: number; expiresAt: number }>();
    expect(row!.expiresAt - row!.createdAt).toBe(7 * DAY);

    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE email = ?")
      .bind(Date.now() - 1, email)
      .run();
    expect((await send(`/invite/${token}`)).status).toBe(404);
    const before = await teamCounts();
    expect(
      (await send(`/invite/${token}`, { form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" } }))
        .status,
    ).toBe(404);
    expect(await teamCounts()).toEqual(before);
    // The team page still lists it, marked, so an admin can send it again.
    expect(await textOf("/app/settings/team", { cookie: owner.cookie })).toContain("<strong>Expired</strong>");
  });

  it("revoking stops the link", async () => {
    const { owner, email, token } = await pendingInvitation("revoked");
    const { id } = (await env.DB.prepare("SELECT id FROM invitations WHERE email = ?")
      .bind(email)
      .first<{ id: string }>())!;

    const res = await send(`/app/settings/team/invitations/${id}/revoke`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=revoked");
    expect((await send(`/invite/${token}`)).status).toBe(404);
    expect(await auditEntries(owner.tenantId, "invitation.revoked")).toEqual([
      expect.objectContaining({ actorUserId: owner.userId, targetId: id, targetLabel: email }),
    ]);
    // Revoking twice finds nothing to revoke.
    expect((await send(`/app/settings/team/invitations/${id}/revoke`, { cookie: owner.cookie, form: {} })).status).toBe(
      404,
    );
  });

  it("resending sends a new link with a new expiry, and the old link stops working", async () => {
    const owner = await verifiedOwner();
    const email = uniqueEmail("resent");
    await invite(owner.cookie, email, "admin");
    const first = await invitationMailTo(email);
    const { id } = (await env.DB.prepare("SELECT id FROM invitations WHERE email = ?")
      .bind(email)
      .first<{ id: string }>())!;
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();

    const res = await send(`/app/settings/team/invitations/${id}/resend`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=resent");
    const second = await invitationMailTo(email);
    expect(second.id).not.toBe(first.id);
    expect(second.token).not.toBe(first.token);
    expect(second.text).toContain("as an admin");
    expect((await send(`/invite/${first.token}`)).status).toBe(404);
    expect((await send(`/invite/${second.token}`)).status).toBe(200);
    const row = await env.DB.prepare("SELECT expires_at AS expiresAt FROM invitations WHERE id = ?")
      .bind(id)
      .first<{ expiresAt: number }>();
    expect(row!.expiresAt).toBeGreaterThan(Date.now() + 7 * DAY - 60_000);
    expect(await auditEntries(owner.tenantId, "invitation.resent")).toHaveLength(1);
  });

  it("inviting an address again replaces its live invitation", async () => {
    const owner = await verifiedOwner();
    const email = uniqueEmail("twice");
    await invite(owner.cookie, email, "viewer");
    const first = await invitationMailTo(email);
    await invite(owner.cookie, email, "admin");
    const second = await invitationMailTo(email);
    expect((await send(`/invite/${first.token}`)).status).toBe(404);
    const html = await textOf(`/invite/${second.token}`);
    expect(html).toContain("<strong>admin</strong>");
    const pending = await env.DB.prepare("SELECT count(*) AS n FROM invitations WHERE email = ? AND revoked_at IS NULL")
      .bind(email)
      .first("n");
    expect(pending).toBe(1);
  });

  it("stores only the hash of a token: the link exists in the email and nowhere else", async () => {
    const { email, token } = await pendingInvitation("hashed");
    const stored = await env.DB.prepare("SELECT token_hash AS tokenHash FROM invitations WHERE email = ?")
      .bind(email)
      .first<{ tokenHash: string }>();
    expect(stored!.tokenHash).toBe(hashToken(token));

    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    ).all<{ name: string }>();
    const holding: string[] = [];
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      if (JSON.stringify(rows.results).includes(token)) holding.push(name);
    }
    expect(holding).toEqual(["email_outbox"]);
  });

  it("refuses an inviter whose address is not verified, and writes nothing", async () => {
    const owner = await newTenant("Unverified Co");
    const before = await teamCounts();
    const res = await send("/app/settings/team/invitations", {
      cookie: owner.cookie,
      form: { email: uniqueEmail("nope"), role: "member" },
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Confirm your email address before inviting anyone");
    expect(await teamCounts()).toEqual(before);
  });

  it("refuses an address that is already a member, beside the field", async () => {
    const owner = await verifiedOwner();
    const before = await teamCounts();
    const res = await send("/app/settings/team/invitations", {
      cookie: owner.cookie,
      form: { email: owner.email.toUpperCase(), role: "member" },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-email")).toContain("is already a member");
    expect(await teamCounts()).toEqual(before);
  });

  it("shows members and invitations to every role, and the forms only to admins", async () => {
    const owner = await verifiedOwner("Visible Co");
    const viewer = await invitedMember(owner, "viewer");
    const pendingEmail = uniqueEmail("pending");
    await invite(owner.cookie, pendingEmail);

    const asViewer = await send("/app/settings/team", { cookie: viewer.cookie });
    expect(asViewer.status).toBe(200);
    const html = await asViewer.text();
    expect(html).toContain(owner.email);
    expect(html).toContain(pendingEmail);
    expect(html).not.toContain("Send invitation");
    expect(html).not.toContain("/revoke");
    expect(html).not.toContain("/remove");

    const asOwner = await textOf("/app/settings/team", { cookie: owner.cookie });
    expect(asOwner).toContain("Send invitation");
    expect(asOwner).toContain("/revoke");
    expect(asOwner).toContain(`/app/settings/team/members/${viewer.userId}/remove`);
    expect(asOwner).toContain("Transfer ownership");
  });
});

describe("members", () => {
  it("a role change applies on the member's very next request, and is audited old → new", async () => {
    const owner = await verifiedOwner();
    const admin = await invitedMember(owner, "admin");
    await markVerified(admin.email);
    // As admin they may invite...
    await invite(admin.cookie, uniqueEmail("by-admin"));

    const res = await send(`/app/settings/team/members/${admin.userId}/role`, {
      cookie: owner.cookie,
      form: { role: "viewer" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=role_changed");
    expect(await roleIn(owner.tenantId, admin.userId)).toBe("viewer");
    expect(await auditEntries(owner.tenantId, "member.role_changed")).toEqual([
      expect.objectContaining({
        actorUserId: owner.userId,
        targetId: admin.userId,
        detail: JSON.stringify({ from: "admin", to: "viewer" }),
      }),
    ]);
    // ...and as viewer, at once, they may not.
    expect(
      await statusOf("/app/settings/team/invitations", {
        cookie: admin.cookie,
        form: { email: uniqueEmail("x"), role: "member" },
      }),
    ).toBe(403);
    expect(await textOf("/app", { cookie: admin.cookie })).toContain("viewer");
  });

  it("admins manage members and viewers; only the owner changes or removes an admin; nobody changes the owner here", async () => {
    const owner = await verifiedOwner();
    const adminA = await invitedMember(owner, "admin");
    const adminB = await invitedMember(owner, "admin");
    const member = await invitedMember(owner, "member");
    const before = await teamState();

    const refusals: [string, string, Record<string, string>, string][] = [
      [
        adminA.cookie,
        `/app/settings/team/members/${adminB.userId}/role`,
        { role: "member" },
        "Only the owner can change or remove an admin.",
      ],
      [
        adminA.cookie,
        `/app/settings/team/members/${adminB.userId}/remove`,
        {},
        "Only the owner can change or remove an admin.",
      ],
      [adminA.cookie, `/app/settings/team/members/${owner.userId}/role`, { role: "viewer" }, "cannot be changed"],
      [adminA.cookie, `/app/settings/team/members/${owner.userId}/remove`, {}, "cannot be removed"],
      [owner.cookie, `/app/settings/team/members/${owner.userId}/role`, { role: "admin" }, "Transfer ownership"],
      [owner.cookie, `/app/settings/team/members/${owner.userId}/remove`, {}, "Transfer ownership"],
      [adminA.cookie, `/app/settings/team/members/${adminA.userId}/role`, { role: "viewer" }, "your own role"],
    ];
    for (const [cookie, path, form, message] of refusals) {
      const res = await send(path, { cookie, form });
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).toContain(message);
    }
    expect(await teamState()).toEqual(before);

    for (const [form, status] of [
      [{ role: "owner" }, 422],
      [{ role: "superuser" }, 422],
      [{}, 422],
    ] as const) {
      const res = await send(`/app/settings/team/members/${member.userId}/role`, { cookie: adminA.cookie, form });
      expect(res.status, JSON.stringify(form)).toBe(status);
    }
    expect(await teamState()).toEqual(before);

    // An admin promotes a member; the owner demotes an admin.
    for (const [actor, changed, role] of [
      [adminA, member, "admin"],
      [owner, adminB, "member"],
    ] as const) {
      const path = `/app/settings/team/members/${changed.userId}/role`;
      expect(await statusOf(path, { cookie: actor.cookie, form: { role } }), role).toBe(303);
      expect(await roleIn(owner.tenantId, changed.userId)).toBe(role);
    }
  });

  it("removal ends the member's access in this workspace on their next request, and only here", async () => {
    const owner = await verifiedOwner("Removal Co");
    const member = await invitedExistingUser(owner, "member");
    // A second browser, logged in later, works in the user's own workspace (their first).
    const elsewhere = await logIn(member.email);
    expect(await textOf("/app", { cookie: member.cookie })).toContain("Removal Co");

    const res = await send(`/app/settings/team/members/${member.userId}/remove`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=removed");
    expect(await roleIn(owner.tenantId, member.userId)).toBeNull();
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE tenant_id = ? AND user_id = ?")
        .bind(owner.tenantId, member.userId)
        .first("n"),
    ).toBe(0);
    expect(await auditEntries(owner.tenantId, "member.removed")).toEqual([
      expect.objectContaining({ targetId: member.userId, targetLabel: member.email }),
    ]);

    const next = await send("/app", { cookie: member.cookie });
    expect(next.status).toBe(303);
    expect(next.headers.get("Location")).toMatch(/^\/login/);
    const own = await send("/app", { cookie: elsewhere.cookie });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("Their Own Co");
    expect(
      (await send(`/app/settings/team/members/${member.userId}/remove`, { cookie: owner.cookie, form: {} })).status,
    ).toBe(404);
  });
});

describe("invitations an admin sent, once they lose the right to send them", () => {
  it("end when the admin is removed or demoted, so an address of their own cannot join through them", async () => {
    const owner = await verifiedOwner("Rogue Admin Co");
    for (const step of ["removed", "demoted"] as const) {
      const admin = await invitedMember(owner, "admin");
      await markVerified(admin.email);
      const theirOwn = uniqueEmail(`their-own-${step}`);
      await invite(admin.cookie, theirOwn, "admin");
      const { token } = await invitationMailTo(theirOwn);
      // Another admin's invitation stays.
      const colleague = uniqueEmail(`colleague-${step}`);
      await invite(owner.cookie, colleague, "member");
      const change =
        step === "removed"
          ? send(`/app/settings/team/members/${admin.userId}/remove`, { cookie: owner.cookie, form: {} })
          : send(`/app/settings/team/members/${admin.userId}/role`, { cookie: owner.cookie, form: { role: "member" } });
      expect((await change).status, step).toBe(303);

      expect((await send(`/invite/${token}`)).status, step).toBe(404);
      const joined = await send(`/invite/${token}`, {
        form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" },
      });
      expect(joined.status, step).toBe(404);
      expect(await env.DB.prepare("SELECT 1 FROM users WHERE email = ?").bind(theirOwn).first(), step).toBeNull();
      const { token: kept } = await invitationMailTo(colleague);
      expect((await send(`/invite/${kept}`)).status, step).toBe(200);
    }
  });
});

describe("ownership", () => {
  it("needs the owner's password, then swaps owner and admin in one step, keeping exactly one owner", async () => {
    const owner = await verifiedOwner("Handover Ltd");
    const member = await invitedMember(owner, "member");
    const owners = () =>
      env.DB.prepare("SELECT user_id AS userId FROM memberships WHERE tenant_id = ? AND role = 'owner'")
        .bind(owner.tenantId)
        .all<{ userId: string }>();
    const before = await teamState();

    const wrong = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: member.userId, password: "not my password" },
    });
    expect(wrong.status).toBe(422);
    expect(fieldError(await wrong.text(), "f-password")).toContain("not your password");
    const toSelf = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: owner.userId, password: GOOD_PASSWORD },
    });
    expect(toSelf.status).toBe(422);
    expect(fieldError(await toSelf.text(), "f-user_id")).toContain("Choose another member");
    expect(await teamState()).toEqual(before);

    const res = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: member.userId, password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/settings/team?notice=transferred");
    expect((await owners()).results).toEqual([{ userId: member.userId }]);
    expect(await roleIn(owner.tenantId, owner.userId)).toBe("admin");
    expect(await auditEntries(owner.tenantId, "ownership.transferred")).toEqual([
      expect.objectContaining({ actorUserId: owner.userId, targetId: member.userId }),
    ]);

    // The former owner is an admin now: the transfer form is closed to them.
    expect(
      await statusOf("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: member.userId, password: GOOD_PASSWORD },
      }),
    ).toBe(403);
    // The new owner can hand it back.
    const back = await send("/app/settings/team/transfer", {
      cookie: member.cookie,
      form: { user_id: owner.userId, password: GOOD_PASSWORD },
    });
    expect(back.status).toBe(303);
    expect((await owners()).results).toEqual([{ userId: owner.userId }]);
  });

  it("two transfers at once still leave exactly one owner", async () => {
    const owner = await verifiedOwner();
    const a = await invitedMember(owner, "admin");
    const b = await invitedMember(owner, "member");
    const responses = await Promise.all([
      send("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: a.userId, password: GOOD_PASSWORD },
      }),
      send("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: b.userId, password: GOOD_PASSWORD },
      }),
    ]);
    // The loser is refused by the role guard (403) or, if it got past it, by the conditional update (409).
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses[0]).toBe(303);
    expect([403, 409]).toContain(statuses[1]);
    const owners = await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE tenant_id = ? AND role = 'owner'")
      .bind(owner.tenantId)
      .first("n");
    expect(owners).toBe(1);
  });
});

/**
 * The database as the app sees it, but `before` runs first when a batch holds a statement matching `trigger`:
 * another request's write landing between a service's checks and its batch, at exactly that moment.
 */
function landingBefore(trigger: RegExp, before: () => Promise<unknown>): D1Database {
  const sqlOf = new WeakMap<object, string>();
  const rawOf = new WeakMap<object, D1PreparedStatement>();
  const tracked = (statement: D1PreparedStatement, text: string): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(obj, prop) {
        const value = Reflect.get(obj, prop, obj);
        if (prop === "bind") return (...args: unknown[]) => tracked(obj.bind(...args), text);
        return typeof value === "function" ? value.bind(obj) : value;
      },
    });
    sqlOf.set(proxy, text);
    rawOf.set(proxy, statement);
    return proxy;
  };
  let fired = false;
  // A request reads through a D1 session (withSession), which gets the same watch.
  const watched = <T extends D1Database | D1DatabaseSession>(base: T): T =>
    new Proxy(base, {
      get(db, prop) {
        const value = Reflect.get(db, prop, db);
        if (prop === "prepare") return (text: string) => tracked(db.prepare(text), text);
        if (prop === "withSession")
          return (...args: unknown[]) => watched((db as D1Database).withSession(...(args as [string])));
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            if (!fired && statements.some((st) => trigger.test(sqlOf.get(st) ?? ""))) {
              fired = true;
              await before();
            }
            return db.batch(statements.map((st) => rawOf.get(st) ?? st));
          };
        return typeof value === "function" ? value.bind(db) : value;
      },
    });
  return watched(env.DB);
}

describe("ownership transfer racing a removal", () => {
  it("a target removed after the transfer checked them leaves the owner in place, never no owner", async () => {
    const owner = await verifiedOwner();
    const target = await invitedMember(owner, "admin");
    // As removing a member does, in the moment between the transfer's checks and its batch.
    const DB = landingBefore(/^update "memberships" set "role"/i, () =>
      env.DB.prepare("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ? AND role = 'admin'")
        .bind(owner.tenantId, target.userId)
        .run(),
    );
    const res = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: target.userId, password: GOOD_PASSWORD },
      env: { DB },
    });
    expect(res.status).not.toBe(303);
    expect(res.status).toBeLessThan(500);
    const roles = await env.DB.prepare("SELECT user_id AS userId, role FROM memberships WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .all();
    expect(roles.results).toEqual([{ userId: owner.userId, role: "owner" }]);
  });

  it("an account deleted while a workspace is handed to it is refused, and the workspace keeps its new owner", async () => {
    const owner = await verifiedOwner();
    const member = await invitedMember(owner, "admin");
    // The transfer lands after the deletion checked that they own nothing, before its batch.
    const DB = landingBefore(/^UPDATE users SET email = CASE/, () =>
      env.DB.batch([
        env.DB.prepare("UPDATE memberships SET role = 'owner' WHERE tenant_id = ? AND user_id = ?").bind(
          owner.tenantId,
          member.userId,
        ),
        env.DB.prepare("UPDATE memberships SET role = 'admin' WHERE tenant_id = ? AND user_id = ?").bind(
          owner.tenantId,
          owner.userId,
        ),
      ]),
    );
    const res = await send("/app/settings/profile/delete", {
      cookie: member.cookie,
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      env: { DB },
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("You own a workspace now");
    expect(await env.DB.prepare("SELECT 1 AS ok FROM users WHERE id = ?").bind(member.userId).first()).toEqual({
      ok: 1,
    });
    const owners = await env.DB.prepare(
      "SELECT user_id AS userId FROM memberships WHERE tenant_id = ? AND role = 'owner'",
    )
      .bind(owner.tenantId)
      .all();
    expect(owners.results).toEqual([{ userId: member.userId }]);
  });
});

describe("workspaces", () => {
  it("lists the user's workspaces and switches this session between them", async () => {
    const owner = await verifiedOwner("Second Home Ltd");
    const user = await invitedExistingUser(owner, "member");
    const own = await env.DB.prepare(
      "SELECT tenant_id AS tenantId FROM memberships WHERE user_id = ? AND role = 'owner'",
    )
      .bind(user.userId)
      .first<{ tenantId: string }>();

    const list = await textOf("/app/workspaces", { cookie: user.cookie });
    expect(list).toContain("Their Own Co");
    expect(list).toContain("Second Home Ltd");
    expect(list).toContain("Current workspace");
    expect(list).toContain(`value="${own!.tenantId}"`);
    expect(list).not.toContain(`value="${owner.tenantId}"`); // the current one has no switch button

    const res = await send("/app/workspaces/switch", { cookie: user.cookie, form: { tenant_id: own!.tenantId } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
    const dashboard = await textOf("/app", { cookie: user.cookie });
    expect(dashboard).toContain("<h1>Their Own Co</h1>");
    expect(await auditEntries(own!.tenantId, "tenant.switched")).toEqual([
      expect.objectContaining({ actorUserId: user.userId }),
    ]);
  });

  it("the layout links to the workspaces page", async () => {
    const { cookie } = await signUp();
    expect(await textOf("/app", { cookie })).toContain('href="/app/workspaces"');
  });

  it("creates a workspace the user owns, on Free, with the default pipeline, and moves this browser into it", async () => {
    const owner = await newTenant("First Co");
    const res = await send("/app/workspaces", { cookie: owner.cookie, form: { name: "  Side Project  " } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
    const created = await env.DB.prepare(
      `SELECT t.id, t.name, m.role, (SELECT count(*) FROM pipelines p WHERE p.tenant_id = t.id) AS pipelines,
              (SELECT count(*) FROM tenant_billing b WHERE b.tenant_id = t.id) AS billing
       FROM tenants t JOIN memberships m ON m.tenant_id = t.id JOIN users u ON u.id = m.user_id
       WHERE u.email = ? AND t.id <> ?`,
    )
      .bind(owner.email, owner.tenantId)
      .first<{ id: string; name: string; role: string; pipelines: number; billing: number }>();
    expect(created).toMatchObject({ name: "Side Project", role: "owner", pipelines: 1, billing: 0 });
    expect(await textOf("/app", { cookie: owner.cookie })).toContain("<h1>Side Project</h1>");
    expect(await auditEntries(created!.id, "workspace.created")).toHaveLength(1);
    // Nothing of the first workspace came along, and the first one is still there to switch back to.
    expect(await textOf("/app/contacts", { cookie: owner.cookie })).not.toContain("First Co");
    const back = await send("/app/workspaces/switch", { cookie: owner.cookie, form: { tenant_id: owner.tenantId } });
    expect(back.status).toBe(303);
  });

  it("refuses a workspace without a name (the form again, the message by the field) and more than five a day", async () => {
    const owner = await newTenant("Limits Co");
    const count = () =>
      env.DB.prepare("SELECT count(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ?")
        .bind(owner.email)
        .first<{ n: number }>();
    const empty = await send("/app/workspaces", { cookie: owner.cookie, form: { name: "   " } });
    expect(empty.status).toBe(400);
    expect(fieldError(await empty.text(), "f-name")).toBeTruthy();
    expect((await count())!.n).toBe(1);
    for (let i = 0; i < 5; i += 1) {
      expect((await send("/app/workspaces", { cookie: owner.cookie, form: { name: `W${i}` } })).status).toBe(303);
    }
    const sixth = await send("/app/workspaces", { cookie: owner.cookie, form: { name: "One too many" } });
    expect(sixth.status).toBe(429);
    expect((await count())!.n).toBe(6);
  });

  it("lists the user's workspaces in the header's switcher: the current one, others to switch to, none of anyone else's", async () => {
    const owner = await verifiedOwner("Switcher Home Ltd");
    const user = await invitedExistingUser(owner, "member");
    const stranger = await newTenant("Stranger Co");
    const menu = await textOf("/app/workspaces/menu", { cookie: user.cookie });
    expect(menu).toMatch(/<li aria-current="true"><strong>Switcher Home Ltd<\/strong>/);
    expect(menu).toContain("Their Own Co");
    expect(menu).toContain('action="/app/workspaces/switch"');
    expect(menu).not.toContain("Stranger Co");
    expect(menu).not.toContain(stranger.tenantId);
    // Fetched when the menu first opens, not with every page.
    expect(await textOf("/app", { cookie: user.cookie })).toContain('hx-get="/app/workspaces/menu"');
    expect(await textOf("/app", { cookie: user.cookie })).not.toContain("Their Own Co");
  });
});
