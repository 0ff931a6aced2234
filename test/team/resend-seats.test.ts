/**
 * Resending an invitation on the Free plan: a live one keeps its seat, but an expired one holds none, so bringing it
 * back takes a free seat, checked in the resend's batch like a new invitation's.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { send, uniqueEmail } from "../helpers/http";
import { auditEntries, invite, invitedMember, verifiedOwner } from "./team-helpers";

const LIMITS = { FREE_MAX_SEATS: "3" } as const;

const invitationOf = (tenantId: string, email: string) =>
  env.DB.prepare(
    "SELECT id, token_hash AS tokenHash, expires_at AS expiresAt FROM invitations WHERE tenant_id = ? AND email = ?",
  )
    .bind(tenantId, email)
    .first<{ id: string; tokenHash: string; expiresAt: number }>();

describe("resending an invitation on the Free plan", () => {
  it("refuses to bring back an expired one when its seat has been taken meanwhile (402), and leaves it expired", async () => {
    const owner = await verifiedOwner("Resend Seats Co");
    await invitedMember(owner, "member");
    const x = uniqueEmail("expired-x");
    await invite(owner.cookie, x);
    const expiredAt = Date.now() - 1000;
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE tenant_id = ? AND email = ?")
      .bind(expiredAt, owner.tenantId, x)
      .run();
    // Owner + member + Y = the 3 seats; X's expired invitation holds none.
    const y = uniqueEmail("live-y");
    const invited = await send("/app/settings/team/invitations", {
      cookie: owner.cookie,
      form: { email: y, role: "member" },
      env: LIMITS,
    });
    expect(invited.status).toBe(303);
    const before = await invitationOf(owner.tenantId, x);
    const mailsToX = await countRows("email_outbox", "to_address = ?", x);

    const res = await send(`/app/settings/team/invitations/${before!.id}/resend`, {
      cookie: owner.cookie,
      form: {},
      env: LIMITS,
    });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain("The Free plan includes 3 seats");
    expect(await invitationOf(owner.tenantId, x)).toEqual(before);
    expect(before!.expiresAt).toBe(expiredAt);
    expect(await countRows("email_outbox", "to_address = ?", x)).toBe(mailsToX);
    expect(await auditEntries(owner.tenantId, "invitation.resent")).toEqual([]);

    // A live invitation keeps its seat: resending Y is fine at the limit.
    const live = await invitationOf(owner.tenantId, y);
    const again = await send(`/app/settings/team/invitations/${live!.id}/resend`, {
      cookie: owner.cookie,
      form: {},
      env: LIMITS,
    });
    expect(again.status).toBe(303);
  });
});
