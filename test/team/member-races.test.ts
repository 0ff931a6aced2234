/**
 * A removal or a role change that another request's change beat to the member: the batch writes nothing at all (no
 * session ended, no invitation or key revoked, no task handed over, no audit entry) and the admin is told, 409.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, makeKey } from "../api/helpers";
import { post } from "../contacts/contact-helpers";
import { raceBeforeBatch } from "../helpers/batch-race";
import { send, textOf, uniqueEmail } from "../helpers/http";
import {
  auditEntries,
  invitationMailTo,
  invite,
  invitedMember,
  markVerified,
  roleIn,
  verifiedOwner,
} from "./team-helpers";

const sessionsIn = async (tenantId: string, userId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE tenant_id = ? AND user_id = ?")
    .bind(tenantId, userId)
    .first<number>("n"))!;

/** Another request's role change, landing just before the batch holding a statement that matches `trigger`. */
const roleChangedBefore = (trigger: RegExp, tenantId: string, userId: string, role: string) =>
  raceBeforeBatch(env.DB, trigger, () =>
    env.DB.prepare("UPDATE memberships SET role = ? WHERE tenant_id = ? AND user_id = ?")
      .bind(role, tenantId, userId)
      .run(),
  );

describe("a removal racing a role change", () => {
  it("of a member promoted to admin just before it: 409, still a member, sessions and tasks intact, nothing audited", async () => {
    const owner = await verifiedOwner("Removal Race Co");
    const m = await invitedMember(owner, "member");
    expect((await post("/app/tasks", m.cookie, { title: "Mine to do", due_date: "2027-03-01" })).status).toBe(303);
    const before = await sessionsIn(owner.tenantId, m.userId);
    expect(before).toBeGreaterThan(0);
    // An admin may remove a member, not an admin: the promotion lands after the check, before the batch.
    const admin = await invitedMember(owner, "admin");
    const DB = roleChangedBefore(/^delete from "memberships"/i, owner.tenantId, m.userId, "admin");

    const res = await send(`/app/settings/team/members/${m.userId}/remove`, {
      cookie: admin.cookie,
      form: {},
      env: { DB },
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("role changed (or they left) while you were deciding, so nothing was done");
    expect(await roleIn(owner.tenantId, m.userId)).toBe("admin");
    expect(await sessionsIn(owner.tenantId, m.userId)).toBe(before);
    expect(await auditEntries(owner.tenantId, "member.removed")).toEqual([]);
    const task = await env.DB.prepare("SELECT assignee_id FROM tasks WHERE tenant_id = ? AND title = 'Mine to do'")
      .bind(owner.tenantId)
      .first<string>("assignee_id");
    expect(task).toBe(m.userId);
    expect((await send("/app", { cookie: m.cookie })).status).toBe(200);
  });
});

describe("a role change racing another", () => {
  it("demoting an admin whose role changed just before: 409, their keys and invitations untouched, nothing audited", async () => {
    const owner = await verifiedOwner("Role Race Co");
    const admin = await invitedMember(owner, "admin");
    await markVerified(admin.email);
    const secret = await makeKey(admin.cookie, { name: "Race key" });
    const invited = uniqueEmail("their-invitee");
    await invite(admin.cookie, invited);
    const DB = roleChangedBefore(/^update "memberships" set "role"/i, owner.tenantId, admin.userId, "viewer");

    const res = await send(`/app/settings/team/members/${admin.userId}/role`, {
      cookie: owner.cookie,
      form: { role: "member", revoke_keys: "on" },
      env: { DB },
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("nothing was done");
    expect(await roleIn(owner.tenantId, admin.userId)).toBe("viewer");
    expect(await auditEntries(owner.tenantId, "member.role_changed")).toEqual([]);
    expect(await auditEntries(owner.tenantId, "api_key.revoked")).toEqual([]);
    expect((await api("/contacts", { key: secret })).status).toBe(200);
    const { token } = await invitationMailTo(invited);
    expect((await send(`/invite/${token}`)).status).toBe(200);
    // The page the owner gets back shows the member as they are now.
    expect(await textOf("/app/settings/team", { cookie: owner.cookie })).toContain("viewer");
  });
});
