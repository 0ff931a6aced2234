/**
 * The people erased with a closed workspace (those who belonged to it and to no other) leave the other
 * workspaces they touched the way a member who deletes their own account does: the invitations to
 * their address and the mail sent to it go, what they wrote stays as "former member", and the audit
 * entries about them stay but name a former member.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send, uniqueEmail, statusOf, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { createContact } from "../contacts/contact-helpers";
import { auditEntries, invitationMailTo, invite, invitedMember, verifiedOwner } from "../team/team-helpers";
import { runCronUntilErased, tracesOf } from "./helpers";

/** `user` (signed in) accepts `owner`'s newest invitation to their address; returns their session there. */
async function acceptAsExistingUser(user: { email: string; cookie: string }) {
  const { token } = await invitationMailTo(user.email);
  const res = await send(`/invite/${token}`, { cookie: user.cookie, form: {} });
  expect(res.status).toBe(303);
}

describe("the people erased with a closed workspace", () => {
  it("leave other workspaces as a deleted member does: invitations and mail to them go, the audit entries about them name a former member", async () => {
    const closing = await verifiedOwner("Closes Soon Ltd");
    const member = await invitedMember(closing, "member"); // their only workspace, once the other removes them
    const other = await verifiedOwner("Carries On Ltd");

    // The member joined the other workspace too, wrote a contact there, and was removed from it...
    await invite(other.cookie, member.email, "member");
    await acceptAsExistingUser(member);
    const contactId = await createContact(member.cookie, { first_name: "Written", last_name: "ByTheMember" });
    expect(
      (await send(`/app/settings/team/members/${member.userId}/remove`, { cookie: other.cookie, form: {} })).status,
    ).toBe(303);
    // ...changed their address, is invited again at the old one (never accepted); the closing owner is invited there too.
    const current = uniqueEmail("moved");
    const memberAgain = await logIn(member.email); // the removal ended their session there
    expect(
      await statusOf("/app/settings/profile/email", {
        form: { email: current, password: GOOD_PASSWORD },
        cookie: memberAgain.cookie,
      }),
    ).toBe(200);
    expect(
      (await send(linkPath(await lastMail(current, "change_email"), "/verify-email/"), { method: "POST" })).status,
    ).toBe(200);
    await invite(other.cookie, member.email, "viewer");
    await invite(other.cookie, closing.email, "viewer");
    const teamBefore = await textOf("/app/settings/team", { cookie: other.cookie });
    expect(teamBefore).toContain(member.email);
    expect(teamBefore).toContain(closing.email);
    expect(await auditEntries(other.tenantId, "member.removed")).toEqual([
      expect.objectContaining({ targetId: member.userId, targetLabel: member.email }),
    ]);
    const entriesBefore = (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ?")
      .bind(other.tenantId)
      .first<{ n: number }>())!.n;

    // The closing workspace is closed, and erased after its grace period.
    expect(
      await statusOf("/app/settings/close", {
        cookie: closing.cookie,
        form: { password: GOOD_PASSWORD, confirm_close: "on" },
      }),
    ).toBe(200);
    const { erase_after } = (await env.DB.prepare("SELECT erase_after FROM tenants WHERE id = ?")
      .bind(closing.tenantId)
      .first<{ erase_after: number }>())!;
    await runCronUntilErased(closing.tenantId, erase_after + 60_000);

    // Both people are gone, and nothing anywhere holds their addresses or ids.
    expect(
      await tracesOf([member.email, current, member.userId, closing.email, closing.userId], ["closed_tenant_ledger"]),
    ).toEqual([]);
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ?")
        .bind(other.tenantId)
        .first<{ n: number }>())!.n,
    ).toBe(entriesBefore);
    // The other workspace's owner (signing in again: the job ended sessions idle for a month on its
    // clock) sees neither address: not among the invitations, not in the trail...
    const { cookie } = await logIn(other.email);
    const team = await textOf("/app/settings/team", { cookie });
    expect(team).not.toContain(member.email);
    expect(team).not.toContain(closing.email);
    const audit = await textOf("/app/settings/audit", { cookie });
    expect(audit).not.toContain(member.email);
    expect(audit).not.toContain(closing.email);
    expect(audit).toContain("former member");
    // ...whose entries all stay, about a former member; and the contact the member wrote stays.
    expect(await auditEntries(other.tenantId, "member.removed")).toEqual([
      expect.objectContaining({ targetId: null, targetLabel: "former member" }),
    ]);
    const contact = await send(`/app/contacts/${contactId}`, { cookie });
    expect(contact.status).toBe(200);
    expect(await contact.text()).toContain("ByTheMember");
  });
});
