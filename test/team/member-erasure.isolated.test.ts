/**
 * A member who joined through an invitation and then deletes their account (or is erased by an
 * operator) leaves no trace of their address or id in the workspaces they belonged to: not in the
 * invitation, not in the invitation mail, not in the owner's audit trail, whose entries stay, about a
 * "former member". The trail stays append-only for everything else.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, uniqueEmail, statusOf, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { tracesOf } from "../closure/helpers";
import { auditEntries, invite, invitedExistingUser, invitedMember, verifiedOwner } from "./team-helpers";

const TOKEN = "ops-token-for-tests-0123456789abcdef-erasure";
const ATTEMPT_IP = "198.51.100.77";

const ACTIONS = [
  "invitation.created",
  "invitation.accepted",
  "member.role_changed",
  "ownership.transferred",
  "auth.sign_in_failed",
];

/** How many entries of each action a workspace's trail holds. */
async function actionCounts(tenantId: string, actions: string[]) {
  const out: Record<string, number> = {};
  for (const a of actions) out[a] = (await auditEntries(tenantId, a)).length;
  return out;
}

describe("deleting an invited member", () => {
  it("leaves their address nowhere in the workspace: invitation, invitation mail and the audit entries about them go or name a former member", async () => {
    const owner = await verifiedOwner("Invites Then Forgets Ltd");
    const member = await invitedMember(owner, "member");
    // The owner changes their role, hands them the workspace and takes it back; someone guesses their password.
    expect(
      await statusOf(`/app/settings/team/members/${member.userId}/role`, {
        cookie: owner.cookie,
        form: { role: "admin" },
      }),
    ).toBe(303);
    expect(
      await statusOf("/app/settings/team/transfer", {
        cookie: owner.cookie,
        form: { user_id: member.userId, password: GOOD_PASSWORD },
      }),
    ).toBe(303);
    expect(
      await statusOf("/app/settings/team/transfer", {
        cookie: member.cookie,
        form: { user_id: owner.userId, password: GOOD_PASSWORD },
      }),
    ).toBe(303);
    expect((await logIn(member.email, "a wrong password!!", { ip: ATTEMPT_IP })).response.status).toBe(401);
    const before = await actionCounts(owner.tenantId, ACTIONS);
    expect(
      Object.values(before).every((n) => n > 0),
      JSON.stringify(before),
    ).toBe(true);
    expect(
      (await send("/app/settings/audit", { cookie: owner.cookie }).then((r) => r.text())).includes(member.email),
    ).toBe(true);
    // They wrote to support once: the message and our inbox's copy of it name them.
    expect(
      (await send("/contact", { form: { name: "Invited Member", email: member.email, message: "How do I export?" } }))
        .status,
    ).toBe(303);
    expect(await tracesOf([member.email])).toContainEqual({ table: "support_messages", rows: 1 });

    const res = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      cookie: member.cookie,
    });
    expect(res.status).toBe(303);

    // Nothing anywhere holds their address, their id, or the IP of the attempt on their account.
    expect(await tracesOf([member.email, member.userId, ATTEMPT_IP])).toEqual([]);
    // The owner's trail keeps every entry, now about a former member.
    expect(await actionCounts(owner.tenantId, ACTIONS)).toEqual(before);
    const page = await textOf("/app/settings/audit", { cookie: owner.cookie });
    expect(page).not.toContain(member.email);
    expect(page).toContain("former member");
    const roleChange = (await auditEntries(owner.tenantId, "member.role_changed"))[0]!;
    expect(roleChange).toMatchObject({ targetId: null, targetLabel: "former member" });
    expect(JSON.parse(roleChange.detail!)).toEqual({ from: "member", to: "admin" });
    expect(JSON.parse((await auditEntries(owner.tenantId, "invitation.accepted"))[0]!.detail!)).toEqual({
      role: "member",
      new_account: true,
    });
    // The owner's own entries keep naming the owner.
    expect((await auditEntries(owner.tenantId, "ownership.transferred")).map((e) => e.targetId)).toContain(
      owner.userId,
    );
  });

  it("erase-account reaches the workspaces they joined, or were removed from, too", async () => {
    const owner = await verifiedOwner("Removes Them Co");
    const other = await verifiedOwner("Still Has Them Co");
    const member = await invitedExistingUser(owner, "viewer");
    expect(
      (await send(`/app/settings/team/members/${member.userId}/remove`, { cookie: owner.cookie, form: {} })).status,
    ).toBe(303);
    await invitedExistingUser(other, "member"); // someone else, for contrast
    const stayer = (await auditEntries(other.tenantId, "invitation.accepted"))[0]!;
    expect(await auditEntries(owner.tenantId, "member.removed")).toEqual([
      expect.objectContaining({ targetId: member.userId, targetLabel: member.email }),
    ]);

    const res = await send("/ops/accounts/erase", {
      method: "POST",
      body: JSON.stringify({ email: member.email, operator: "Ana Operator", reason: "Deletion request" }),
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      origin: null,
      env: { OPS_TOKEN: TOKEN },
    });
    expect(res.status).toBe(200);
    expect(await tracesOf([member.email, member.userId])).toEqual([]);
    expect(await auditEntries(owner.tenantId, "member.removed")).toEqual([
      expect.objectContaining({ targetId: null, targetLabel: "former member" }),
    ]);
    // Someone else's entries are untouched.
    expect((await auditEntries(other.tenantId, "invitation.accepted"))[0]).toEqual(stayer);
  });
});

/** Changes a member's address through the profile form and the confirmation link mailed to the new one. */
async function changeAddress(cookie: string, next: string) {
  expect(
    (await send("/app/settings/profile/email", { form: { email: next, password: GOOD_PASSWORD }, cookie })).status,
  ).toBe(200);
  const done = await send(linkPath(await lastMail(next, "change_email"), "/verify-email/"), { method: "POST" });
  expect(await done.text()).toContain(`Your account now uses ${next}`);
}

describe("deleting a member who changed their address", () => {
  it("takes the address they were invited under too, from the invitation, its mail and the trail", async () => {
    const owner = await verifiedOwner("Knew Them Before Ltd");
    const other = await verifiedOwner("Invited The Old Address Co");
    const member = await invitedMember(owner, "member");
    const former = member.email;
    const current = uniqueEmail("moved");
    // Under the address they had then, they wrote to support.
    expect(
      (await send("/contact", { form: { name: "Moved Member", email: former, message: "A question" } })).status,
    ).toBe(303);
    await changeAddress(member.cookie, current);
    // Another workspace invites them at the address they no longer use: it is still theirs to erase.
    await invite(other.cookie, former, "viewer");
    expect(await textOf("/app/settings/team", { cookie: other.cookie })).toContain(former);
    expect(await auditEntries(owner.tenantId, "invitation.created")).toEqual([
      expect.objectContaining({ targetLabel: former }),
    ]);

    const res = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      cookie: member.cookie,
    });
    expect(res.status).toBe(303);

    expect(await tracesOf([former, current, member.userId])).toEqual([]);
    for (const o of [owner, other]) {
      const audit = await textOf("/app/settings/audit", { cookie: o.cookie });
      expect(audit).not.toContain(former);
      expect((await send("/app/settings/team", { cookie: o.cookie }).then((r) => r.text())).includes(former)).toBe(
        false,
      );
    }
    expect(await auditEntries(owner.tenantId, "invitation.created")).toEqual([
      expect.objectContaining({ targetLabel: "former member" }),
    ]);
  });
});

describe("the audit trail after a member's erasure", () => {
  it("still refuses an ordinary change or deletion of an entry about someone", async () => {
    const owner = await verifiedOwner("Append Only Co");
    const member = await invitedMember(owner, "member");
    const update = (set: string) =>
      env.DB.prepare(`UPDATE audit_log SET ${set} WHERE tenant_id = ? AND action = 'invitation.accepted'`)
        .bind(owner.tenantId)
        .run();
    for (const set of [
      "target_label = 'former member'",
      "target_label = NULL",
      "target_id = NULL",
      "detail = NULL",
      "target_label = 'someone else'",
    ]) {
      await expect(update(set), set).rejects.toThrow(/append-only/);
    }
    // A flag row for somebody else does not open entries about this member.
    await env.DB.prepare(
      "INSERT INTO audit_erasures (user_id, email) VALUES ('someone-else', 'someone-else@example.com')",
    ).run();
    await expect(update("target_label = 'former member'")).rejects.toThrow(/append-only/);
    await env.DB.prepare("DELETE FROM audit_erasures WHERE user_id = 'someone-else'").run();
    await expect(
      env.DB.prepare("DELETE FROM audit_log WHERE tenant_id = ? AND action = 'invitation.accepted'")
        .bind(owner.tenantId)
        .run(),
    ).rejects.toThrow(/append-only/);
    expect(await auditEntries(owner.tenantId, "invitation.accepted")).toEqual([
      expect.objectContaining({ targetLabel: member.email }),
    ]);
  });
});
