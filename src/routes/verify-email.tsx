/**
 * /verify-email: the links that confirm an address (a new account's, or the new one of an email
 * change), and sending the verification link again.
 */
import { Hono, type Context } from "hono";
import { mirrorAfterChange, workspacesOfUser } from "../services/shards/mirror";
import type { AppEnv } from "../env";
import { EMAILED_TOKEN, findLiveToken } from "../auth/tokens";
import { errorResponse } from "../lib/errors";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { stripeFromEnv } from "../lib/stripe";
import { confirmAddress, resendVerification } from "../services/account/email-address";
import { syncStripeCustomers } from "../services/billing/customers";
import { ConfirmEmailPage, MessagePage } from "../../views/pages/account/AccountPages";

/** Mounted at /verify-email. */
export const verifyEmailRoutes = new Hono<AppEnv>();

/**
 * A used or expired confirmation link. Most used links are opened again by someone who already confirmed: say that
 * nothing more is needed before offering a new link (the dashboard's banner sends one while the address is unconfirmed).
 */
const expiredLink = (c: Context<AppEnv>) =>
  render(
    c,
    "Link expired",
    <MessagePage title="This link no longer works">
      <p>This confirmation link has expired or has already been used. Links work once and only for a limited time.</p>
      <p>If you already confirmed your address, nothing more is needed.</p>
      <p>
        <a href="/app">Otherwise, go to your dashboard to get a new link</a>
      </p>
    </MessagePage>,
    404,
  );

// Email links open a page with a button; only the POST changes anything (no GET changes state, and
// mail scanners that follow links confirm nothing).
verifyEmailRoutes.get("/:token", async (c) => {
  const token = c.req.param("token");
  const db = c.get("db");
  const now = Date.now();
  const live =
    EMAILED_TOKEN.test(token) &&
    ((await findLiveToken(db, "verify_email", token, now)) ?? (await findLiveToken(db, "change_email", token, now)));
  if (!live) return expiredLink(c);
  return render(c, "Confirm your email", <ConfirmEmailPage token={token} />);
});

// Not under /app: signed out, this sends to the login page rather than through requireRole.
verifyEmailRoutes.post("/resend", async (c) => {
  const auth = c.get("auth");
  if (!auth) return c.redirect("/login", 303);
  const result = await resendVerification(
    c.get("db"),
    { userId: auth.user.id, email: auth.user.email },
    { ...requestMeta(c), baseUrl: appBaseUrl(c) },
  );
  if (!result.ok && result.reason === "rate_limited") {
    c.header("Retry-After", String(result.retryAfter));
    return errorResponse(c, 429, { retryAfterSeconds: result.retryAfter });
  }
  if (result.ok) deliverSoon(c, result.mailIds);
  return render(
    c,
    "Check your inbox",
    <MessagePage title="Check your inbox">
      <p>
        {result.ok
          ? `We have sent a new confirmation link to ${auth.user.email}. Earlier links no longer work.`
          : "Your email address is already confirmed."}
      </p>
      <p>
        <a href="/app">Back to your dashboard</a>
      </p>
    </MessagePage>,
  );
});

verifyEmailRoutes.post("/:token", async (c) => {
  const token = c.req.param("token");
  const result = EMAILED_TOKEN.test(token)
    ? await confirmAddress(c.get("db"), token, requestMeta(c))
    : ({ ok: false, reason: "invalid" } as const);
  if (!result.ok && result.reason === "email_taken") {
    return render(
      c,
      "Address in use",
      <MessagePage title="That address is taken">
        <p>Another account started using this address in the meantime, so your email address was not changed.</p>
      </MessagePage>,
      409,
    );
  }
  if (!result.ok) return expiredLink(c);
  deliverSoon(c, result.mailIds);
  // The confirmed (or new) address reaches the copies on its workspaces' shards: their mail goes to it from there.
  await mirrorAfterChange(c.env, await workspacesOfUser(c.get("db").$client, result.userId));
  // The session was read before the confirmation: this page must not still ask to confirm.
  const auth = c.get("auth");
  if (auth && auth.user.id === result.userId)
    c.set("auth", { ...auth, user: { ...auth.user, email: result.email, emailVerifiedAt: result.verifiedAt } });
  // An owner's new address reaches their workspaces' Stripe customers (best effort, after the change).
  if (result.kind === "changed")
    await syncStripeCustomers(c.get("db"), stripeFromEnv(c.env), { ownerEmail: result.email });
  return render(
    c,
    "Email confirmed",
    <MessagePage title={result.kind === "changed" ? "Email address changed" : "Email address confirmed"}>
      <p>
        {result.kind === "changed"
          ? `Your account now uses ${result.email}.`
          : `Thank you: ${result.email} is confirmed.`}
      </p>
      <p>
        <a href="/app">Continue to CustomerTrackr</a>
      </p>
    </MessagePage>,
  );
});
