/** The team routes under attack: other tenants' ids, hostile input, low roles and forged tokens. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/auth/rate-limit";
import { GOOD_PASSWORD, send, uniqueEmail, textOf } from "../helpers/http";
import {
  auditEntries,
  fieldError,
  invitationMailTo,
  invite,
  invitedMember,
  roleIn,
  teamCounts,
  teamState,
  verifiedOwner,
} from "./team-helpers";

describe("two workspaces", () => {
  it("an invitation for A only ever joins A, whichever workspace the accepting session is in", async () => {
    const a = await verifiedOwner("Alpha Invites");
    const b = await verifiedOwner("Beta Invites");
    const bMember = await invitedMember(b, "member");
    // bMember's session works in B; A invites them.
    await invite(a.cookie, bMember.email, "viewer");
    const { token } = await invitationMailTo(bMember.email);
    expect((await send(`/invite/${token}`, { cookie: bMember.cookie, form: {} })).status).toBe(303);
    expect(await roleIn(a.tenantId, bMember.userId)).toBe("viewer");
    expect(await roleIn(b.tenantId, bMember.userId)).toBe("member"); // untouched
    expect(await auditEntries(a.tenantId, "invitation.accepted")).toHaveLength(1);
    expect(await auditEntries(b.tenantId, "invitation.accepted")).toHaveLength(1); // only their own, earlier one
  });

  it("answers 404 to another workspace's invitation, member and tenant ids, and writes nothing", async () => {
    const a = await verifiedOwner("Alpha Ids");
    const b = await verifiedOwner("Beta Ids");
    const aMember = await invitedMember(a, "member");
    const pending = uniqueEmail("a-pending");
    await invite(a.cookie, pending);
    const { id: invitationId } = (await env.DB.prepare("SELECT id FROM invitations WHERE email = ?")
      .bind(pending)
      .first<{ id: string }>())!;
    const before = await teamState();
    const counts = await teamCounts();

    const attempts: [string, Record<string, string>][] = [
      [`/app/settings/team/invitations/${invitationId}/revoke`, {}],
      [`/app/settings/team/invitations/${invitationId}/resend`, {}],
      [`/app/settings/team/members/${aMember.userId}/role`, { role: "viewer" }],
      [`/app/settings/team/members/${aMember.userId}/remove`, {}],
      [`/app/settings/team/members/${a.userId}/remove`, {}],
      ["/app/settings/team/transfer", { user_id: aMember.userId, password: GOOD_PASSWORD }],
      ["/app/workspaces/switch", { tenant_id: a.tenantId }],
      [`/app/workspaces/${a.tenantId}/reopen-link`, {}],
    ];
    for (const [path, form] of attempts) {
      const res = await send(path, { cookie: b.cookie, form });
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html, path).not.toContain(pending);
      expect(html, path).not.toContain(aMember.email);
    }
    expect(await teamState()).toEqual(before);
    expect(await teamCounts()).toEqual(counts);
    // B's own pages never show A's people.
    const team = await textOf("/app/settings/team", { cookie: b.cookie });
    expect(team).not.toContain(pending);
    expect(team).not.toContain(aMember.email);
    expect(team).not.toContain(a.email);
  });

  it("switching to a workspace you do not belong to is a 404 and leaves the session where it was", async () => {
    const a = await verifiedOwner("Alpha Switch");
    const b = await verifiedOwner("Beta Switch");
    for (const tenantId of [a.tenantId, "nosuchtenant", "", "x".repeat(500)]) {
      const res = await send("/app/workspaces/switch", { cookie: b.cookie, form: { tenant_id: tenantId } });
      expect(res.status, tenantId).toBe(404);
    }
    expect(await textOf("/app", { cookie: b.cookie })).toContain("Beta Switch");
    expect(await auditEntries(a.tenantId, "tenant.switched")).toHaveLength(0);
  });
});

describe("hostile input", () => {
  it.each([
    [{ email: "not-an-email", role: "member" }, "f-email", "like name@example.com"],
    [{ email: "", role: "member" }, "f-email", "Enter"],
    [{ email: "<script>alert(1)</script>@example.com", role: "member" }, "f-email", "like name@example.com"],
    [{ email: "x'; DROP TABLE invitations; --@example.com", role: "member" }, "f-email", "like name@example.com"],
    [{ email: `${"a".repeat(250)}@example.com`, role: "member" }, "f-email", "at most 254"],
    [{ email: "fine@example.com", role: "owner" }, "f-role", "Choose viewer, member or admin."],
    [{ email: "fine@example.com", role: "superuser" }, "f-role", "Choose viewer, member or admin."],
    [{ email: "fine@example.com" }, "f-role", "Choose viewer, member or admin."],
  ])("refuses the invitation %j beside the field and writes nothing", async (form, field, message) => {
    const owner = await verifiedOwner();
    const before = await teamCounts();
    const res = await send("/app/settings/team/invitations", {
      cookie: owner.cookie,
      form: form as Record<string, string>,
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, field)).toContain(message);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(await teamCounts()).toEqual(before);
  });

  it("answers forged, malformed and unknown tokens with the not-valid page and writes nothing", async () => {
    const before = await teamCounts();
    for (const token of ["x", "a".repeat(32), "A".repeat(200), "%27%20OR%201%3D1--", "..%2F..%2Fapp"]) {
      for (const method of ["GET", "POST"]) {
        const res = await send(
          `/invite/${token}`,
          method === "POST" ? { form: { password: GOOD_PASSWORD, age_confirmed: "on", accept_terms: "on" } } : {},
        );
        expect(res.status, `${method} ${token}`).toBe(404);
        expect(await res.text()).toContain("This invitation is no longer valid");
      }
    }
    expect(await teamCounts()).toEqual(before);
  });

  it("an invitation address full of markup is never stored: nothing to escape later", async () => {
    // The email validator already refuses it; the page escapes what it echoes back.
    const owner = await verifiedOwner();
    const res = await send("/app/settings/team/invitations", {
      cookie: owner.cookie,
      form: { email: '"><img src=x>@example.com', role: "member" },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('"><img src=x>');
    expect(html).toContain("&quot;&gt;&lt;img src=x&gt;@example.com");
  });
});

describe("roles", () => {
  it("a viewer or member calling admin routes gets 403, an audit entry, and changes nothing", async () => {
    const owner = await verifiedOwner("Guarded Co");
    const viewer = await invitedMember(owner, "viewer");
    const member = await invitedMember(owner, "member");
    await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE id IN (?, ?)")
      .bind(Date.now(), viewer.userId, member.userId)
      .run();
    const pending = uniqueEmail("pending");
    await invite(owner.cookie, pending);
    const { id: invitationId } = (await env.DB.prepare("SELECT id FROM invitations WHERE email = ?")
      .bind(pending)
      .first<{ id: string }>())!;
    const before = await teamState();

    const routes: [string, string, Record<string, string>][] = [
      [
        "POST /app/settings/team/invitations",
        "/app/settings/team/invitations",
        { email: uniqueEmail("sneaky"), role: "admin" },
      ],
      ["POST /app/settings/team/invitations/:id/revoke", `/app/settings/team/invitations/${invitationId}/revoke`, {}],
      ["POST /app/settings/team/invitations/:id/resend", `/app/settings/team/invitations/${invitationId}/resend`, {}],
      [
        "POST /app/settings/team/members/:userId/role",
        `/app/settings/team/members/${viewer.userId}/role`,
        { role: "admin" },
      ],
      ["POST /app/settings/team/members/:userId/remove", `/app/settings/team/members/${owner.userId}/remove`, {}],
      [
        "POST /app/settings/team/transfer",
        "/app/settings/team/transfer",
        { user_id: member.userId, password: GOOD_PASSWORD },
      ],
    ];
    for (const who of [viewer, member]) {
      for (const [label, path, form] of routes) {
        const res = await send(path, { cookie: who.cookie, form });
        expect(res.status, `${label} as ${who.email}`).toBe(403);
      }
      const denied = await auditEntries(owner.tenantId, "permission.denied");
      const mine = denied.filter((d) => d.actorUserId === who.userId).map((d) => d.targetLabel);
      expect(mine).toEqual(routes.map(([label]) => label));
    }
    expect(await teamState()).toEqual(before);
  });

  it("an admin may not transfer ownership: that is the owner's alone", async () => {
    const owner = await verifiedOwner();
    const admin = await invitedMember(owner, "admin");
    const res = await send("/app/settings/team/transfer", {
      cookie: admin.cookie,
      form: { user_id: admin.userId, password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(await roleIn(owner.tenantId, owner.userId)).toBe("owner");
    expect(await auditEntries(owner.tenantId, "permission.denied")).toEqual([
      expect.objectContaining({ actorUserId: admin.userId, targetLabel: "POST /app/settings/team/transfer" }),
    ]);
  });

  it("wrong passwords for a transfer are limited, so a stolen session cannot guess the owner's password", async () => {
    const owner = await verifiedOwner();
    const member = await invitedMember(owner, "member");
    // The account's one budget for typing its password again (password, email, deletion, closing, handing over).
    for (let i = 0; i < LIMITS.passwordChangePerUser.max; i++) {
      const res = await send("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: member.userId, password: `guess ${i}` },
      });
      expect(res.status).toBe(422);
    }
    const limited = await send("/app/settings/team/transfer", {
      cookie: owner.cookie,
      form: { user_id: member.userId, password: GOOD_PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await roleIn(owner.tenantId, owner.userId)).toBe("owner");
  });
});
