/**
 * The team: members and roles, invitations (sent from the team page, accepted at /invite/:token),
 * ownership transfer.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { INVITABLE_ROLES } from "../db/schema";
import type { AppEnv, AuthContext } from "../env";
import { passwordProblem } from "../auth/password";
import { sessionExpiresAt } from "../auth/session";
import { noStore } from "../middleware/security-headers";
import { rememberDevice, requireRole, roleAtLeast, setSessionCookie } from "../middleware/session";
import { errorResponse } from "../lib/errors";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { syncStripeCustomers } from "../services/billing/customers";
import { billingConfig, stripeFromEnv } from "../lib/stripe";
import { email, formValue, parseForm, requiredCheckbox } from "../lib/validation";
import { findUserByEmail } from "../services/account/accounts";
import { listMembers } from "../services/team/tenants";
import {
  acceptInvitationAsUser,
  acceptInvitationWithNewAccount,
  changeMemberRole,
  createInvitation,
  findLiveInvitation,
  listPendingInvitations,
  memberChangeRefusal,
  removeMember,
  resendInvitation,
  revokeInvitation,
  transferOwnership,
  type LiveInvitation,
  type MemberChangeResult,
  type TeamActor,
} from "../services/team/team";
import { InvitationPage, type InvitationPageProps } from "../../views/pages/team/InvitationPage";
import { TEAM_NOTICES, TeamPage, type TeamNotice, type TeamPageProps } from "../../views/pages/team/TeamPage";
import { PlanLimitMessage, SeatLimitPage } from "../../views/components/PlanLimit";

/** Mounted at /app (src/app.ts requires a signed-in user there): /app/settings/team/* and /app/workspaces/*. */
export const teamRoutes = new Hono<AppEnv>();
/** Mounted at /: the public invitation link, /invite/:token. */
export const invitationRoutes = new Hono<AppEnv>();

// The invitation page names a workspace and an address; no cache may keep it.
invitationRoutes.use("/invite/*", noStore);

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

function acceptSchema(invitedEmail: string) {
  return z
    .object({
      password: z.string({ error: "Enter a password." }),
      age_confirmed: requiredCheckbox("You must be 18 or older to use CustomerTrackr."),
      accept_terms: requiredCheckbox("Please accept the Terms of Service and the Privacy Policy."),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, { email: invitedEmail });
      if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    });
}

const REFUSALS: Record<Exclude<MemberChangeResult, { ok: true }>["reason"], string> = {
  not_found: "",
  owner:
    "The owner's role cannot be changed and the owner cannot be removed. To hand over the workspace, use Transfer ownership.",
  admin_needs_owner: "Only the owner can change or remove an admin.",
  self: "You cannot change your own role or remove yourself. Ask the owner.",
};

function actorOf(auth: AuthContext): TeamActor {
  return { id: auth.user.id, email: auth.user.email, role: auth.role, emailVerifiedAt: auth.user.emailVerifiedAt };
}

function tooManyMessage(retryAfter: number) {
  return `Too many attempts. Please try again in ${Math.ceil(retryAfter / 60)} minutes.`;
}

/** The team page with its current data, plus whatever form state or message the handler has. */
async function renderTeam(c: Context<AppEnv>, extra: Partial<TeamPageProps> = {}, status: ContentfulStatusCode = 200) {
  const auth = c.get("auth")!;
  const db = c.get("db");
  const [members, invitations] = await Promise.all([
    listMembers(db, auth.tenant.id),
    listPendingInvitations(db, auth.tenant.id),
  ]);
  const notice = c.req.query("notice");
  return render(
    c,
    "Team",
    <TeamPage
      tenantName={auth.tenant.name}
      me={{
        userId: auth.user.id,
        isAdmin: roleAtLeast(auth.role, "admin"),
        isOwner: auth.role === "owner",
        verified: auth.user.emailVerifiedAt !== null,
      }}
      members={members.map((m) => ({
        userId: m.userId,
        email: m.email,
        role: m.role,
        joinedAt: m.createdAt,
        manageable: roleAtLeast(auth.role, "admin") && memberChangeRefusal(actorOf(auth), m) === null,
      }))}
      invitations={invitations}
      now={Date.now()}
      notice={notice && notice in TEAM_NOTICES ? (notice as TeamNotice) : null}
      {...extra}
    />,
    status,
  );
}

teamRoutes.get("/settings/team", requireRole("viewer"), (c) => renderTeam(c));

teamRoutes.post("/settings/team/invitations", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const values = { email: formValue(body, "email"), role: formValue(body, "role") };
  const parsed = parseForm(inviteSchema, body);
  if (!parsed.ok) return renderTeam(c, { invite: { values, errors: parsed.errors } }, 422);

  const result = await createInvitation(
    c.get("db"),
    auth.tenant.id,
    {
      email: parsed.data.email,
      role: parsed.data.role,
      inviter: actorOf(auth),
      freeMaxSeats: billingConfig(c.env).limits?.seats ?? null,
    },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok) {
    switch (result.reason) {
      // 402: the role allows inviting; the plan has no seat left.
      case "seat_limit":
        return renderTeam(
          c,
          {
            alert: (
              <PlanLimitMessage
                what="seats"
                limit={billingConfig(c.env).limits?.seats ?? 0}
                isOwner={auth.role === "owner"}
              />
            ),
            invite: { values, errors: {} },
          },
          402,
        );
      // 422 rather than 403: the role allows inviting; the account is missing a step it can take.
      case "unverified":
        return renderTeam(
          c,
          {
            alert: "Confirm your email address before inviting anyone. Use the link we emailed you.",
            invite: { values, errors: {} },
          },
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
        return renderTeam(
          c,
          {
            alert: "This workspace has sent a lot of invitations today. Please try again tomorrow.",
            invite: { values, errors: {} },
          },
          429,
        );
      case "no_tenant":
        return errorResponse(c, 404);
    }
  }
  deliverSoon(c, [result.mailId]);
  return c.redirect(`${TEAM_PATH}?notice=invited`, 303);
});

teamRoutes.post("/settings/team/invitations/:id/revoke", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const found = await revokeInvitation(c.get("db"), auth.tenant.id, c.req.param("id"), auth.user.id, requestMeta(c));
  if (!found) return errorResponse(c, 404);
  return c.redirect(`${TEAM_PATH}?notice=revoked`, 303);
});

teamRoutes.post("/settings/team/invitations/:id/resend", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const result = await resendInvitation(c.get("db"), auth.tenant.id, c.req.param("id"), actorOf(auth), {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
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
        return renderTeam(
          c,
          { alert: "This workspace has sent a lot of invitations today. Please try again tomorrow." },
          429,
        );
    }
  }
  deliverSoon(c, [result.mailId]);
  return c.redirect(`${TEAM_PATH}?notice=resent`, 303);
});

/**
 * Role changes and removals follow one rule (services/team.ts, memberChangeRefusal): the owner is
 * never changed or removed here (only a transfer moves ownership); admins manage members and
 * viewers and may raise them to admin; an admin, oneself included, is changed or removed only by the
 * owner. A refusal is a 403 with the reason on the team page; an id not in this workspace is a 404.
 */
function memberChangeResponse(c: Context<AppEnv>, result: MemberChangeResult, notice: TeamNotice) {
  if (result.ok) return c.redirect(`${TEAM_PATH}?notice=${notice}`, 303);
  if (result.reason === "not_found") return errorResponse(c, 404);
  return renderTeam(c, { alert: REFUSALS[result.reason] }, 403);
}

teamRoutes.post("/settings/team/members/:userId/role", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const parsed = parseForm(roleSchema, await c.req.parseBody());
  if (!parsed.ok) return renderTeam(c, { alert: ROLE_ERROR }, 422);
  const result = await changeMemberRole(
    c.get("db"),
    auth.tenant.id,
    actorOf(auth),
    c.req.param("userId"),
    parsed.data.role,
    requestMeta(c),
  );
  return memberChangeResponse(c, result, "role_changed");
});

teamRoutes.post("/settings/team/members/:userId/remove", requireRole("admin"), async (c) => {
  const auth = c.get("auth")!;
  const result = await removeMember(c.get("db"), auth.tenant.id, actorOf(auth), c.req.param("userId"), requestMeta(c));
  return memberChangeResponse(c, result, "removed");
});

teamRoutes.post("/settings/team/transfer", requireRole("owner"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const userId = formValue(body, "user_id");
  const parsed = parseForm(transferSchema, body);
  if (!parsed.ok) return renderTeam(c, { transfer: { userId, errors: parsed.errors } }, 422);
  const result = await transferOwnership(
    c.get("db"),
    auth.tenant.id,
    actorOf(auth),
    { targetUserId: parsed.data.user_id, password: parsed.data.password },
    requestMeta(c),
  );
  if (result.ok) {
    // The Stripe customer gets the new owner's address (best effort, after the transfer).
    await syncStripeCustomers(c.get("db"), stripeFromEnv(c.env), { tenantId: auth.tenant.id });
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

/**
 * Which of the four invitation pages this visitor gets: the invited user signed in (join), someone
 * else signed in (log out first), an existing account signed out (log in first), or no account yet
 * (create one here).
 */
async function invitationView(
  c: Context<AppEnv>,
  token: string,
  invitation: LiveInvitation,
): Promise<Exclude<InvitationPageProps, { state: "invalid" }>> {
  const facts = {
    action: `/invite/${token}`,
    tenantName: invitation.tenantName,
    role: invitation.role,
    email: invitation.email,
  };
  const auth = c.get("auth");
  if (auth)
    return auth.user.email === invitation.email
      ? { ...facts, state: "join" }
      : { ...facts, state: "wrong_user", signedInAs: auth.user.email };
  // The token matched a live invitation, so it is our own base32 and safe in a URL as it is.
  if (await findUserByEmail(c.get("db"), invitation.email))
    return { ...facts, state: "log_in", loginHref: `/login?next=/invite/${token}` };
  return { ...facts, state: "sign_up", values: {}, errors: {} };
}

function invalidInvitation(c: Context<AppEnv>) {
  return render(c, "Invitation no longer valid", <InvitationPage state="invalid" />, 404);
}

invitationRoutes.get("/invite/:token", async (c) => {
  const token = c.req.param("token");
  const invitation = await findLiveInvitation(c.get("db"), token, Date.now());
  if (!invitation) return invalidInvitation(c);
  return render(
    c,
    `Join ${invitation.tenantName}`,
    <InvitationPage {...(await invitationView(c, token, invitation))} />,
  );
});

invitationRoutes.post("/invite/:token", async (c) => {
  const token = c.req.param("token");
  const db = c.get("db");
  const meta = requestMeta(c);
  const invitation = await findLiveInvitation(db, token, meta.now);
  if (!invitation) return invalidInvitation(c);
  const view = await invitationView(c, token, invitation);
  const title = `Join ${invitation.tenantName}`;

  switch (view.state) {
    case "join": {
      const auth = c.get("auth")!;
      const result = await acceptInvitationAsUser(
        db,
        token,
        { id: auth.user.id, email: auth.user.email, sessionId: auth.sessionId },
        meta,
        billingConfig(c.env).limits?.seats ?? null,
      );
      if (!result.ok && result.reason === "seat_limit")
        return render(c, title, <SeatLimitPage tenantName={result.tenantName} />, 402);
      if (!result.ok) return invalidInvitation(c);
      return c.redirect("/app", 303);
    }
    case "wrong_user":
      return render(c, title, <InvitationPage {...view} />, 403);
    case "log_in":
      return render(c, title, <InvitationPage {...view} />, 409);
    case "sign_up": {
      const body = await c.req.parseBody();
      const values = { age_confirmed: body.age_confirmed !== undefined, accept_terms: body.accept_terms !== undefined };
      const parsed = parseForm(acceptSchema(invitation.email), body);
      if (!parsed.ok) return render(c, title, <InvitationPage {...view} values={values} errors={parsed.errors} />, 422);
      const result = await acceptInvitationWithNewAccount(
        db,
        token,
        parsed.data.password,
        meta,
        billingConfig(c.env).limits?.seats ?? null,
      );
      if (!result.ok && result.reason === "invalid") return invalidInvitation(c);
      if (!result.ok && result.reason === "seat_limit")
        return render(c, title, <SeatLimitPage tenantName={result.tenantName} />, 402);
      if (!result.ok) {
        const { values: _v, errors: _e, ...facts } = view;
        return render(
          c,
          title,
          <InvitationPage {...facts} state="log_in" loginHref={`/login?next=/invite/${token}`} raced />,
          409,
        );
      }
      setSessionCookie(c, result.sessionToken, sessionExpiresAt({ createdAt: meta.now, lastActiveAt: meta.now }));
      await rememberDevice(c, result.userId);
      return c.redirect("/app", 303);
    }
  }
});
