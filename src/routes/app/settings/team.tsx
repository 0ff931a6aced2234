/**
 * /app/settings/team: the members and their roles, invitations (accepted at /invite, src/routes/invite.tsx)
 * and the ownership transfer.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { INVITABLE_ROLES } from "../../../db/schema";
import { mirrorsPeople } from "../../../middleware/mirror-people";
import type { AppEnv } from "../../../env";
import { requireRole } from "../../../middleware/session";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { billingConfig, stripeFromEnv } from "../../../lib/stripe";
import { email, formValue, formValues, parseForm } from "../../../lib/validation";
import { syncStripeCustomers } from "../../../services/billing/customers";
import { createInvitation, resendInvitation, revokeInvitation } from "../../../services/team/invitations";
import {
  changeMemberRole,
  type KeysAfter,
  leaveWorkspace,
  removeMember,
  type MemberChangeResult,
} from "../../../services/team/members";
import { clearSessionCookie } from "../../../middleware/session";
import { LoginPage } from "../../../../views/pages/auth/LoginPage";
import { transferOwnership } from "../../../services/team/ownership";
import { actorOf, authOf, controlOf, tenantOf } from "../../context";
import type { TeamNotice } from "../../../../views/pages/team/TeamPage";
import { renderTeam, teamActorOf } from "./team-page";
import { PlanLimitMessage } from "../../../../views/components/PlanLimit";

/** Mounted at /app/settings/team. */
export const teamRoutes = new Hono<AppEnv>();
// Members and their roles are copied to the workspace's shard after a change (docs/scale.md, "Routing", item 3).
teamRoutes.use("/members/*", mirrorsPeople("workspace"));
teamRoutes.use("/transfer", mirrorsPeople("workspace"));
teamRoutes.use("/leave", mirrorsPeople("workspace"));

const TEAM_PATH = "/app/settings/team";
const ROLE_ERROR = "Choose viewer, member or admin.";

const inviteSchema = z.object({
  email: email("Enter the email address to invite."),
  role: z.enum(INVITABLE_ROLES, { error: ROLE_ERROR }),
});

const roleSchema = z.object({ role: z.enum(INVITABLE_ROLES, { error: ROLE_ERROR }) });

const transferSchema = z.object({
  user_id: z
    .string({ error: "Choose the new owner." })
    .min(1, { error: "Choose the new owner." })
    .max(100, { error: "Choose the new owner." }),
  password: z
    .string({ error: "Enter your password." })
    .min(1, { error: "Enter your password." })
    .max(1024, { error: "That password is too long." }),
});

const REFUSALS: Record<Exclude<MemberChangeResult, { ok: true }>["reason"], string> = {
  not_found: "",
  owner:
    "The owner's role cannot be changed and the owner cannot be removed. " +
    "To hand over the workspace, use Transfer ownership.",
  admin_needs_owner: "Only the owner can change or remove an admin.",
  self: "You cannot change your own role or remove yourself. Ask the owner, or use Leave at the bottom of this page.",
  changed:
    "That member's role changed (or they left) while you were deciding, so nothing was done. " +
    "Check the list below and try again.",
};

const TOO_MANY_INVITATIONS = "This workspace has sent a lot of invitations today. Please try again tomorrow.";

/** The "Also revoke the keys they created" box of the removal, demotion and leave forms (ticked by default). */
const revokeKeysOf = (body: Record<string, unknown>) => body.revoke_keys === "on";

function tooManyMessage(retryAfter: number) {
  return `Too many attempts. Please try again in ${Math.ceil(retryAfter / 60)} minutes.`;
}

teamRoutes.get("/", requireRole("viewer"), (c) => renderTeam(c));

teamRoutes.post("/invitations", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const values = formValues(body, ["email", "role"]);
  const parsed = parseForm(inviteSchema, body);
  if (!parsed.ok) return renderTeam(c, { invite: { values, errors: parsed.errors } }, 422);

  const freeMaxSeats = billingConfig(c.env).limits?.seats ?? null;
  const result = await createInvitation(controlOf(c), teamActorOf(c), {
    email: parsed.data.email,
    role: parsed.data.role,
    freeMaxSeats,
    baseUrl: appBaseUrl(c),
  });
  if (!result.ok) {
    const invite = { values, errors: {} };
    switch (result.reason) {
      // 402: the role allows inviting; the plan has no seat left.
      case "seat_limit": {
        const isOwner = authOf(c).role === "owner";
        const alert = (
          <PlanLimitMessage
            what="seats"
            limit={freeMaxSeats ?? 0}
            isOwner={isOwner}
            billingState={authOf(c).tenant.billingState}
          />
        );
        return renderTeam(c, { alert, invite }, 402);
      }
      // 422 rather than 403: the role allows inviting; the account is missing a step it can take.
      case "unverified":
        return renderTeam(
          c,
          { alert: "Confirm your email address before inviting anyone. Use the link we emailed you.", invite },
          422,
        );
      case "already_member":
        return renderTeam(
          c,
          { invite: { values, errors: { email: `${parsed.data.email} is already a member of this workspace.` } } },
          422,
        );
      case "rate_limited":
        c.header("Retry-After", String(result.retryAfter));
        return renderTeam(c, { alert: TOO_MANY_INVITATIONS, invite }, 429);
      case "no_tenant":
        return errorResponse(c, 404);
    }
  }
  deliverSoon(c, [result.mailId]);
  trackFeature(c, "member.invited");
  return c.redirect(`${TEAM_PATH}?notice=invited`, 303);
});

teamRoutes.post("/invitations/:id/revoke", requireRole("admin"), async (c) => {
  const found = await revokeInvitation(controlOf(c), c.req.param("id"), actorOf(c));
  if (!found) return errorResponse(c, 404);
  return c.redirect(`${TEAM_PATH}?notice=revoked`, 303);
});

teamRoutes.post("/invitations/:id/resend", requireRole("admin"), async (c) => {
  const freeMaxSeats = billingConfig(c.env).limits?.seats ?? null;
  const result = await resendInvitation(controlOf(c), c.req.param("id"), teamActorOf(c), appBaseUrl(c), freeMaxSeats);
  if (!result.ok) {
    switch (result.reason) {
      case "not_found":
        return errorResponse(c, 404);
      // An expired invitation brought back takes a seat again: 402 when the plan has none left.
      case "seat_limit": {
        const isOwner = authOf(c).role === "owner";
        return renderTeam(
          c,
          {
            alert: (
              <PlanLimitMessage
                what="seats"
                limit={freeMaxSeats ?? 0}
                isOwner={isOwner}
                billingState={authOf(c).tenant.billingState}
              />
            ),
          },
          402,
        );
      }
      case "unverified":
        return renderTeam(
          c,
          { alert: "Confirm your email address before sending invitations. Use the link we emailed you." },
          422,
        );
      case "rate_limited":
        c.header("Retry-After", String(result.retryAfter));
        return renderTeam(c, { alert: TOO_MANY_INVITATIONS }, 429);
    }
  }
  deliverSoon(c, [result.mailId]);
  return c.redirect(`${TEAM_PATH}?notice=resent`, 303);
});

/**
 * Role changes and removals follow one rule (memberChangeRefusal, services/team/members.ts): the
 * owner is never changed or removed here (only a transfer moves ownership); admins manage members and
 * viewers and may raise them to admin; an admin, oneself included, is changed or removed only by the
 * owner. A refusal is a 403 with the reason on the team page; an id not in this workspace is a 404; a member
 * whose role changed or who left since the page was read is a 409, with nothing done.
 */
function memberChangeResponse(c: Context<AppEnv>, result: MemberChangeResult, notice: TeamNotice) {
  if (result.ok) return c.redirect(`${TEAM_PATH}?notice=${notice}${keysQuery(result.keys)}`, 303);
  if (result.reason === "not_found") return errorResponse(c, 404);
  return renderTeam(c, { alert: REFUSALS[result.reason] }, result.reason === "changed" ? 409 : 403);
}

/** The keys' outcome for the notice after the redirect: numbers only, and nothing when there were none. */
function keysQuery(keys: KeysAfter): string {
  return (keys.live ? `&keys_live=${keys.live}` : "") + (keys.revoked ? `&keys_revoked=${keys.revoked}` : "");
}

teamRoutes.post("/members/:userId/role", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(roleSchema, body);
  if (!parsed.ok) return renderTeam(c, { alert: ROLE_ERROR }, 422);
  const result = await changeMemberRole(tenantOf(c), teamActorOf(c), c.req.param("userId"), parsed.data.role, {
    revokeKeys: revokeKeysOf(body),
  });
  return memberChangeResponse(c, result, "role_changed");
});

teamRoutes.post("/members/:userId/remove", requireRole("admin"), async (c) => {
  const body = await c.req.parseBody();
  const result = await removeMember(tenantOf(c), teamActorOf(c), c.req.param("userId"), {
    revokeKeys: revokeKeysOf(body),
  });
  return memberChangeResponse(c, result, "removed");
});

/**
 * Leaving: anyone but the owner (who hands ownership over first), taken out as a removal would. This browser goes on
 * in the user's next open workspace, or, with none left, to the page that offers to start one (it asks the password).
 */
teamRoutes.post("/leave", requireRole("viewer"), async (c) => {
  const body = await c.req.parseBody();
  const auth = authOf(c);
  const result = await leaveWorkspace(
    tenantOf(c),
    { ...teamActorOf(c), sessionId: auth.sessionId },
    { revokeKeys: revokeKeysOf(body) },
  );
  if (!result.ok) {
    if (result.reason === "owner")
      return renderTeam(
        c,
        { alert: "You own this workspace, so you cannot leave it. Transfer ownership to another member first." },
        409,
      );
    if (result.reason === "changed")
      return renderTeam(
        c,
        { alert: "Your role changed while you were deciding, so nothing was done. Try again." },
        409,
      );
    return errorResponse(c, 404);
  }
  if (result.movedTo !== null) return c.redirect("/app/workspaces?left=1", 303);
  clearSessionCookie(c);
  // Signed out now: the page must not show the workspace's navigation and switcher above the sign-in form.
  c.set("auth", null);
  return render(
    c,
    "Log in",
    <LoginPage email={auth.user.email} errors={{}} noWorkspace={{ leftWorkspace: auth.tenant.name }} />,
  );
});

teamRoutes.post("/transfer", requireRole("owner"), async (c) => {
  const body = await c.req.parseBody();
  const userId = formValue(body, "user_id");
  const parsed = parseForm(transferSchema, body);
  if (!parsed.ok) return renderTeam(c, { transfer: { userId, errors: parsed.errors } }, 422);
  const t = controlOf(c);
  const result = await transferOwnership(t, teamActorOf(c), {
    targetUserId: parsed.data.user_id,
    password: parsed.data.password,
  });
  if (result.ok) {
    // The Stripe customer gets the new owner's address (best effort, after the transfer).
    await syncStripeCustomers(t.db, stripeFromEnv(c.env), { tenantId: t.tenantId });
    return c.redirect(`${TEAM_PATH}?notice=transferred`, 303);
  }
  switch (result.reason) {
    case "not_found":
      return errorResponse(c, 404);
    case "self":
      return renderTeam(
        c,
        { transfer: { userId, errors: { user_id: "Choose another member: you are the owner already." } } },
        422,
      );
    case "wrong_password":
      return renderTeam(c, { transfer: { userId, errors: { password: "That is not your password." } } }, 422);
    case "rate_limited":
      c.header("Retry-After", String(result.retryAfter));
      return renderTeam(c, { alert: tooManyMessage(result.retryAfter), transfer: { userId, errors: {} } }, 429);
    case "not_owner":
      return renderTeam(c, { alert: "You are no longer the owner of this workspace." }, 409);
  }
});
