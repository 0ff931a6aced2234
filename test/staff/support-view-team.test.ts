/**
 * The support view shows a workspace's records, not its team: the note box's member list (every member's name and
 * address, GET /app/notes/members) is refused there like Settings → Team, even under a read-and-write grant. What
 * support does to the team's records is credited to support, by name: in the bell and mail of a member their note
 * mentions, and in the trash.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { createCompanyThroughForm } from "../companies/helpers";
import { giveAccess, newStaff } from "./helpers";

describe("the support view and the workspace's team", () => {
  it("refuses the members' names and addresses (403), while the workspace's records still open", async () => {
    const owner = await newTenant("Team Hidden Ltd");
    const member = await memberOf(owner.tenantId, "member");
    await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support");
    const base = `/staff/support/${owner.tenantId}`;

    // The workspace's own members see the list (the @mention box needs it).
    const own = await send("/app/notes/members", { cookie: owner.cookie });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(member.email);

    const res = await send(`${base}/app/notes/members`, { cookie: staff.cookie });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain(member.email);
    expect(body).not.toContain(owner.email);
    expect((await send(`${base}/app/contacts`, { cookie: staff.cookie })).status).toBe(200);
  });

  it("names support, not a colleague or a former member, in a mention's bell and mail and in the trash", async () => {
    const owner = await newTenant("Credited Support Ltd");
    const bea = await memberOf(owner.tenantId, "member");
    await env.DB.prepare("UPDATE users SET email_verified_at = ? WHERE email = ?").bind(Date.now(), bea.email).run();
    const company = await createCompanyThroughForm(owner.cookie, { name: "Supported Co" });
    await giveAccess(owner.cookie, "write");
    const staff = await newStaff("support", "Robin");
    const base = `/staff/support/${owner.tenantId}`;
    const noted = await send(`${base}/app/companies/${company}/notes`, {
      cookie: staff.cookie,
      form: { body: `@${bea.email} please call them back` },
    });
    expect(noted.status, await noted.clone().text()).toBe(303);

    const said = "Support · Robin (CustomerTrackr) mentioned you in a note on a company";
    const bell = await textOf("/app/notifications", { cookie: bea.cookie });
    expect(bell).toContain(said);
    expect(bell).not.toContain("A colleague");
    const [mail] = (await mailTo(bea.email)).filter((m) => m.kind === "mention");
    expect(mail!.subject).toBe(said);

    const deleted = await send(`${base}/app/companies/${company}/delete`, { cookie: staff.cookie, form: {} });
    expect(deleted.status, await deleted.clone().text()).toBe(303);
    const trash = await textOf("/app/trash", { cookie: owner.cookie });
    expect(trash).toContain("Supported Co");
    expect(trash).toContain("Support · Robin (CustomerTrackr)");
    expect(trash).not.toContain("former member");
  });
});
