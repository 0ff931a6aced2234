/**
 * /invite: the link of an invitation email (sent from the team page, src/routes/app/settings/team.tsx).
 * Whoever opens it joins, signed in or with a new account, or is told what to do first.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { passwordProblem } from "../auth/password";
import { sessionExpiresAt } from "../auth/session";
import { noStore } from "../middleware/security-headers";
import { rememberDevice, setSessionCookie } from "../middleware/session";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { billingConfig } from "../lib/stripe";
import { knownTimeZone } from "../lib/time-zone";
import { parseForm, requiredCheckbox } from "../lib/validation";
import { findUserByEmail } from "../services/account/accounts";
import {
  acceptInvitationAsUser,
  acceptInvitationWithNewAccount,
  findLiveInvitation,
  type LiveInvitation,
} from "../services/team/invitation-accept";
import { InvitationPage, type InvitationPageProps } from "../../views/pages/team/InvitationPage";
import { authOf } from "./context";
import { SeatLimitPage } from "../../views/components/PlanLimit";

/** Mounted at /invite. */
export const inviteRoutes = new Hono<AppEnv>();

// The invitation page names a workspace and an address; no cache may keep it.
inviteRoutes.use("*", noStore);

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

inviteRoutes.get("/:token", async (c) => {
  const token = c.req.param("token");
  const invitation = await findLiveInvitation(c.get("db"), token, Date.now());
  if (!invitation) return invalidInvitation(c);
  return render(
    c,
    `Join ${invitation.tenantName}`,
    <InvitationPage {...(await invitationView(c, token, invitation))} />,
  );
});

inviteRoutes.post("/:token", async (c) => {
  const token = c.req.param("token");
  const db = c.get("db");
  const meta = requestMeta(c);
  const invitation = await findLiveInvitation(db, token, meta.now);
  if (!invitation) return invalidInvitation(c);
  const view = await invitationView(c, token, invitation);
  const title = `Join ${invitation.tenantName}`;
  const freeMaxSeats = billingConfig(c.env).limits?.seats ?? null;

  switch (view.state) {
    case "join": {
      // invitationView() answers "join" only to a signed-in visitor.
      const auth = authOf(c);
      const user = { id: auth.user.id, email: auth.user.email, sessionId: auth.sessionId };
      const result = await acceptInvitationAsUser(db, c.env, token, user, meta, freeMaxSeats);
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
      const zone = knownTimeZone(body.time_zone);
      const result = await acceptInvitationWithNewAccount(
        db,
        c.env,
        token,
        parsed.data.password,
        meta,
        freeMaxSeats,
        zone,
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
