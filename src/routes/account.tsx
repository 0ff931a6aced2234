/** Links from emails (confirm an address, reset a password) and the verification resend. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { passwordProblem } from "../auth/password";
import { findLiveToken } from "../auth/tokens";
import { errorResponse } from "../lib/errors";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { stripeFromEnv } from "../lib/stripe";
import { email, formValue, parseForm } from "../lib/validation";
import { rememberDevice } from "../middleware/session";
import { confirmAddress, requestPasswordReset, resendVerification, resetPassword } from "../services/account/security";
import { syncStripeCustomers } from "../services/billing/customers";
import {
  ConfirmEmailPage,
  ForgotPasswordPage,
  InvalidLinkPage,
  MessagePage,
  ResetPasswordPage,
} from "../../views/pages/account/AccountPages";

export const accountRoutes = new Hono<AppEnv>();

const TOKEN = /^[a-z2-7]{20,64}$/;

// Email links open a page with a button; only the POST changes anything (no GET changes state, and
// mail scanners that follow links confirm nothing).
accountRoutes.get("/verify-email/:token", async (c) => {
  const token = c.req.param("token");
  const db = c.get("db");
  const now = Date.now();
  const live =
    TOKEN.test(token) &&
    ((await findLiveToken(db, "verify_email", token, now)) ?? (await findLiveToken(db, "change_email", token, now)));
  if (!live) {
    return render(
      c,
      "Link expired",
      <InvalidLinkPage what="confirmation" retryHref="/app" retryLabel="Go to your dashboard to get a new link" />,
      404,
    );
  }
  return render(c, "Confirm your email", <ConfirmEmailPage token={token} />);
});

accountRoutes.post("/verify-email/resend", async (c) => {
  const auth = c.get("auth");
  if (!auth) return c.redirect("/login", 303);
  const result = await resendVerification(
    c.get("db"),
    { userId: auth.user.id, email: auth.user.email, tenantId: auth.tenant.id },
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

accountRoutes.post("/verify-email/:token", async (c) => {
  const token = c.req.param("token");
  const result = TOKEN.test(token)
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
  if (!result.ok) {
    return render(
      c,
      "Link expired",
      <InvalidLinkPage what="confirmation" retryHref="/app" retryLabel="Go to your dashboard to get a new link" />,
      404,
    );
  }
  deliverSoon(c, result.mailIds);
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

accountRoutes.get("/password/forgot", (c) => render(c, "Reset your password", <ForgotPasswordPage errors={{}} />));

accountRoutes.post("/password/forgot", async (c) => {
  const body = await c.req.parseBody();
  const parsed = parseForm(z.object({ email: email() }), body);
  if (!parsed.ok)
    return render(
      c,
      "Reset your password",
      <ForgotPasswordPage email={formValue(body, "email")} errors={parsed.errors} />,
      422,
    );
  const result = await requestPasswordReset(c.get("db"), parsed.data.email, {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  if (!result.ok) {
    c.header("Retry-After", String(result.retryAfter));
    return render(
      c,
      "Reset your password",
      <ForgotPasswordPage
        email={parsed.data.email}
        errors={{}}
        rateLimitedMinutes={Math.ceil(result.retryAfter / 60)}
      />,
      429,
    );
  }
  deliverSoon(c, result.mailIds);
  // The same page whether or not the account exists.
  return render(c, "Reset your password", <ForgotPasswordPage errors={{}} sentTo={parsed.data.email} />);
});

accountRoutes.get("/password/reset/:token", async (c) => {
  const token = c.req.param("token");
  const live = TOKEN.test(token) && (await findLiveToken(c.get("db"), "password_reset", token, Date.now()));
  if (!live)
    return render(
      c,
      "Link expired",
      <InvalidLinkPage what="password reset" retryHref="/password/forgot" retryLabel="Ask for a new link" />,
      404,
    );
  return render(c, "Choose a new password", <ResetPasswordPage token={token} errors={{}} />);
});

accountRoutes.post("/password/reset/:token", async (c) => {
  const token = c.req.param("token");
  const body = await c.req.parseBody();
  const password = typeof body.password === "string" ? body.password : "";
  const problem = passwordProblem(password);
  if (!TOKEN.test(token))
    return render(
      c,
      "Link expired",
      <InvalidLinkPage what="password reset" retryHref="/password/forgot" retryLabel="Ask for a new link" />,
      404,
    );
  if (problem)
    return render(c, "Choose a new password", <ResetPasswordPage token={token} errors={{ password: problem }} />, 422);
  const result = await resetPassword(c.get("db"), token, password, { ...requestMeta(c), baseUrl: appBaseUrl(c) });
  if (!result.ok)
    return render(
      c,
      "Link expired",
      <InvalidLinkPage what="password reset" retryHref="/password/forgot" retryLabel="Ask for a new link" />,
      404,
    );
  deliverSoon(c, result.mailIds);
  // The link reached the owner's inbox: this browser is theirs, and is not slowed down by others' guesses.
  await rememberDevice(c, result.userId);
  return render(
    c,
    "Password changed",
    <MessagePage title="Your password has been changed">
      <p>Every device that was signed in to your account has been signed out. Log in with your new password.</p>
      <p>
        <a class="button" href="/login">
          Log in
        </a>
      </p>
    </MessagePage>,
  );
});
