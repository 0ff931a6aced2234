/** /password: asking for a reset link by email, and choosing a new password from that link. */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { passwordProblem } from "../auth/password";
import { EMAILED_TOKEN, findLiveToken } from "../auth/tokens";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { email, formValue, parseForm } from "../lib/validation";
import { rememberDevice } from "../middleware/session";
import { expiredLinkPage } from "./expired-link";
import { requestPasswordReset, resetLinkAccount, resetPassword } from "../services/account/passwords";
import { ForgotPasswordPage, MessagePage, ResetPasswordPage } from "../../views/pages/account/AccountPages";

/** Mounted at /password. */
export const passwordRoutes = new Hono<AppEnv>();

const expiredLink = (c: Context<AppEnv>) =>
  expiredLinkPage(c, "password reset", { href: "/password/forgot", label: "Ask for a new link" });

passwordRoutes.get("/forgot", (c) => render(c, "Reset your password", <ForgotPasswordPage errors={{}} />));

passwordRoutes.post("/forgot", async (c) => {
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

passwordRoutes.get("/reset/:token", async (c) => {
  const token = c.req.param("token");
  const live = EMAILED_TOKEN.test(token) && (await findLiveToken(c.get("db"), "password_reset", token, Date.now()));
  if (!live) return expiredLink(c);
  return render(c, "Choose a new password", <ResetPasswordPage token={token} errors={{}} />);
});

passwordRoutes.post("/reset/:token", async (c) => {
  const token = c.req.param("token");
  const body = await c.req.parseBody();
  const password = typeof body.password === "string" ? body.password : "";
  if (!EMAILED_TOKEN.test(token)) return expiredLink(c);
  // The account's own address is refused here as at sign-up and change: the link is not used up by looking.
  const account = await resetLinkAccount(c.get("db"), token, Date.now());
  if (!account) return expiredLink(c);
  const problem = passwordProblem(password, { email: account.email });
  if (problem)
    return render(c, "Choose a new password", <ResetPasswordPage token={token} errors={{ password: problem }} />, 422);
  const result = await resetPassword(c.get("db"), token, password, { ...requestMeta(c), baseUrl: appBaseUrl(c) });
  if (!result.ok) return expiredLink(c);
  deliverSoon(c, result.mailIds);
  // The link reached the owner's inbox: this browser is theirs, and is not slowed down by others' guesses.
  await rememberDevice(c, result.userId);
  return render(
    c,
    "Password changed",
    <MessagePage title="Your password has been changed">
      <p>
        Every device that was signed in to your account has been signed out, and your calendar feeds are off: their
        addresses no longer work. Log in with your new password, and turn a feed on again from your profile if you use
        one.
      </p>
      <p>
        <a class="button" href="/login">
          Log in
        </a>
      </p>
    </MessagePage>,
  );
});
