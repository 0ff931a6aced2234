/**
 * The support view shows a workspace's records, not its team: the note box's member list (every member's name and
 * address, GET /app/notes/members) is refused there like Settings → Team, even under a read-and-write grant.
 */
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
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
});
