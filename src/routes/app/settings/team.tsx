/**
 * /app/settings/team: the members and their roles, invitations (accepted at /invite, src/routes/invite.tsx)
 * and the ownership transfer.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { INVITABLE_ROLES } from "../../../db/schema";
import { mirrorsPeople } from "../../../middleware/mirror-people";
import type { AppEnv } from "../../../env";
import { requireRole, roleAtLeast } from "../../../middleware/session";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl, deliverSoon } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { billingConfig, stripeFromEnv } from "../../../lib/stripe";
import { email, formValue, formValues, parseForm } from "../../../lib/validation";
import { syncStripeCustomers } from "../../../services/billing/customers";
import {
  createInvitation,
  listPendingInvitations,
  resendInvitation,
  revokeInvitation,
} from "../../../services/team/invitations";
import {
  changeMemberRole,
  listMembers,
  memberChangeRefusal,
  removeMember,
  type MemberChangeResult,
  type TeamActor,
} from "../../../services/team/members";
import { transferOwnership } from "../../../services/team/ownership";
import { actorOf, authOf, controlOf, tenantOf } from "../../context";
import { TEAM_NOTICES, TeamPage, type TeamNotice, type TeamPageProps } from "../../../../views/pages/team/TeamPage";
import { PlanLimitMessage } from "../../../../views/components/PlanLimit";

/** Mounted at /app/settings/team. */
export const teamRoutes = new Hono<AppEnv>();
// Members and their roles are copied to the workspace's shard after a change (docs/scale.md, "Routing", item 3).
teamRoutes.use("/members/*", mirrorsPeople("workspace"));
teamRoutes.use("/transfer", mirrorsPeople("workspace"));

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
  self: "You cannot change your own role or remove yourself. Ask the owner.",
};

const TOO_MANY_INVITATIONS = "This workspace has sent a lot of invitations today. Please try again tomorrow.";

/** The signed-in user as the team services see them: the actor with their address, role and verification. */
function teamActorOf(c: Context<AppEnv>): TeamActor {
  const auth = authOf(c);
  return { ...actorOf(c), email: auth.user.email, role: auth.role, emailVerifiedAt: auth.user.emailVerifiedAt };
}

function tooManyMessage(retryAfter: number) {
  return `Too many attempts. Please try again in ${Math.ceil(retryAfter / 60)} minutes.`;
}

/** The team page with its current data, plus whatever form state or message the handler has. */
async function renderTeam(c: Context<AppEnv>, extra: Partial<TeamPageProps> = {}, status: ContentfulStatusCode = 200) {
  const auth = authOf(c);
  const t = controlOf(c);
  const [members, invitations] = await Promise.all([listMembers(t), listPendingInvitations(t)]);
  const notice = c.req.query("notice");
  const isAdmin = roleAtLeast(auth.role, "admin");
  const me = { userId: auth.user.id, role: auth.role };
  return render(
    c,
    "Team",
    <TeamPage
      tenantName={auth.tenant.name}
      me={{
        userId: auth.user.id,
        isAdmin,
        isOwner: auth.role === "owner",
        verified: auth.user.emailVerifiedAt !== null,
      }}
      members={members.map((m) => ({
        userId: m.userId,
        email: m.email,
        role: m.role,
        joinedAt: m.createdAt,
        manageable: isAdmin && memberChangeRefusal(me, m) === null,
      }))}
      invitations={invitations}
      now={Date.now()}
      notice={notice && notice in TEAM_NOTICES ? (notice as TeamNotice) : null}
      {...extra}
    />,
    status,
  );
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
        const alert = <PlanLimitMessage what="seats" limit={freeMaxSeats ?? 0} isOwner={isOwner} />;
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
  const result = await resendInvitation(controlOf(c), c.req.param("id"), teamActorOf(c), appBaseUrl(c));
  if (!result.ok) {
    switch (result.reason) {
      case "not_found":
        return errorResponse(c, 404);
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
 * owner. A refusal is a 403 with the reason on the team page; an id not in this workspace is a 404.
 */
function memberChangeResponse(c: Context<AppEnv>, result: MemberChangeResult, notice: TeamNotice) {
  if (result.ok) return c.redirect(`${TEAM_PATH}?notice=${notice}`, 303);
  if (result.reason === "not_found") return errorResponse(c, 404);
  return renderTeam(c, { alert: REFUSALS[result.reason] }, 403);
}

teamRoutes.post("/members/:userId/role", requireRole("admin"), async (c) => {
  const parsed = parseForm(roleSchema, await c.req.parseBody());
  if (!parsed.ok) return renderTeam(c, { alert: ROLE_ERROR }, 422);
  const result = await changeMemberRole(controlOf(c), teamActorOf(c), c.req.param("userId"), parsed.data.role);
  return memberChangeResponse(c, result, "role_changed");
});

teamRoutes.post("/members/:userId/remove", requireRole("admin"), async (c) => {
  const result = await removeMember(tenantOf(c), teamActorOf(c), c.req.param("userId"));
  return memberChangeResponse(c, result, "removed");
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
