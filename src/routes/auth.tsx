/** Sign-up, login and logout: /signup, /login and /logout (mounted at /, one router for the three). */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { passwordProblem } from "../auth/password";
import { deleteSession, sessionExpiresAt } from "../auth/session";
import { clearSessionCookie, deviceOf, rememberDevice, setSessionCookie } from "../middleware/session";
import { appBaseUrl, deliverSoon } from "../lib/mail";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { knownTimeZone } from "../lib/time-zone";
import { email, formValue, parseForm, requiredCheckbox, safeNextPath, text } from "../lib/validation";
import { logIn, signUp } from "../services/account/accounts";
import { giveWorkspace } from "../services/account/no-workspace";
import { setTimeZoneIfUnset } from "../services/account/profile";
import { billingConfig } from "../lib/stripe";
import { SeatLimitPage } from "../../views/components/PlanLimit";
import { recordAudit } from "../services/audit/audit";
import { LoginPage } from "../../views/pages/auth/LoginPage";
import { SignupPage } from "../../views/pages/auth/SignupPage";

export const authRoutes = new Hono<AppEnv>();

const signupSchema = z
  .object({
    email: email(),
    password: z.string({ error: "Enter a password." }),
    company_name: text("Company name", { min: 1, max: 100 }),
    age_confirmed: requiredCheckbox("You must be 18 or older to use CustomerTrackr."),
    accept_terms: requiredCheckbox("Please accept the Terms of Service and the Privacy Policy."),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email });
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

const workspaceNameSchema = z.object({ company_name: text("Company name", { min: 1, max: 100 }) });

const loginSchema = z.object({
  email: email(),
  password: z
    .string({ error: "Enter your password." })
    .min(1, { error: "Enter your password." })
    .max(1024, { error: "That password is too long." }),
});

function newSessionExpiry(now: number) {
  return sessionExpiresAt({ createdAt: now, lastActiveAt: now });
}

authRoutes.get("/signup", (c) => {
  if (c.get("auth")) return c.redirect("/app", 303);
  return render(c, "Sign up", <SignupPage values={{}} errors={{}} />);
});

authRoutes.post("/signup", async (c) => {
  const body = await c.req.parseBody();
  const values = {
    email: formValue(body, "email"),
    company_name: formValue(body, "company_name"),
    age_confirmed: body.age_confirmed !== undefined,
    accept_terms: body.accept_terms !== undefined,
  };
  const parsed = parseForm(signupSchema, body);
  if (!parsed.ok) return render(c, "Sign up", <SignupPage values={values} errors={parsed.errors} />, 422);

  const meta = requestMeta(c);
  const result = await signUp(
    c.get("db"),
    {
      email: parsed.data.email,
      password: parsed.data.password,
      companyName: parsed.data.company_name,
      timeZone: knownTimeZone(body.time_zone),
    },
    { ...meta, baseUrl: appBaseUrl(c), signupsPerIpPerHour: Number(c.env.SIGNUP_LIMIT_PER_HOUR) || undefined },
    c.env,
  );
  if (!result.ok && result.reason === "rate_limited") {
    c.header("Retry-After", String(result.retryAfter));
    return render(
      c,
      "Sign up",
      <SignupPage values={values} errors={{}} rateLimitedMinutes={Math.ceil(result.retryAfter / 60)} />,
      429,
    );
  }
  if (!result.ok) {
    return render(
      c,
      "Sign up",
      <SignupPage values={values} errors={{ email: "This email already has an account." }} emailTaken />,
      409,
    );
  }
  setSessionCookie(c, result.token, newSessionExpiry(meta.now));
  await rememberDevice(c, result.userId);
  deliverSoon(c, result.mailIds);
  return c.redirect("/app", 303);
});

authRoutes.get("/login", (c) => {
  const next = safeNextPath(c.req.query("next"));
  if (c.get("auth")) return c.redirect(next, 303);
  return render(c, "Log in", <LoginPage next={next} errors={{}} loggedOut={c.req.query("logged_out") === "1"} />);
});

authRoutes.post("/login", async (c) => {
  let next = safeNextPath(c.req.query("next"));
  const body = await c.req.parseBody();
  const typedEmail = formValue(body, "email");
  const parsed = parseForm(loginSchema, body);
  if (!parsed.ok) return render(c, "Log in", <LoginPage email={typedEmail} next={next} errors={parsed.errors} />, 422);

  const meta = requestMeta(c);
  const signIn = async () =>
    logIn(c.get("db"), parsed.data.email, parsed.data.password, { ...meta, device: await deviceOf(c) });
  let result = await signIn();
  if (!result.ok && result.reason === "no_workspace") {
    const refused = await withoutWorkspace(c, result, body, next);
    if (refused) return refused;
    // An invitation it came from is used up now: the workspace is where to go.
    if (INVITE_NEXT.test(next)) next = "/app";
    result = await signIn();
  }
  if (!result.ok && result.reason === "rate_limited") {
    c.header("Retry-After", String(result.retryAfter));
    const limited = { scope: result.scope, retryAfterSeconds: result.retryAfter };
    return render(c, "Log in", <LoginPage email={typedEmail} next={next} errors={{}} limited={limited} />, 429);
  }
  if (!result.ok) return render(c, "Log in", <LoginPage email={typedEmail} next={next} errors={{}} failed />, 401);

  // A new session on every login; an old one in this browser is ended.
  const previous = c.get("auth");
  if (previous) await deleteSession(c.get("db"), previous.sessionId);
  setSessionCookie(c, result.token, newSessionExpiry(meta.now));
  await rememberDevice(c, result.userId);
  // The first sign-in from a browser that says its zone sets the user's (never changes a chosen one).
  const zone = knownTimeZone(body.time_zone);
  if (zone) await setTimeZoneIfUnset(c.get("db"), result.userId, zone, c.env);
  return c.redirect(next, 303);
});

const INVITE_NEXT = /^\/invite\/([a-z2-7]{20,64})$/;

/**
 * A right password for an account in no workspace: it joins the one whose invitation it came from (`next`), or
 * starts one with the name typed on the page this answers otherwise. Null once it has a workspace to sign in to.
 */
async function withoutWorkspace(
  c: Context<AppEnv>,
  account: { userId: string; email: string },
  body: Record<string, unknown>,
  next: string,
): Promise<Response | null> {
  // Only the page this answers has the field: the login form's post is asked which way.
  const typed = "company_name" in body ? formValue(body, "company_name") : undefined;
  const name = typed === undefined ? null : parseForm(workspaceNameSchema, { company_name: typed });
  const page = (status: ContentfulStatusCode, error?: string) =>
    render(
      c,
      "Log in",
      <LoginPage email={account.email} next={next} errors={{}} noWorkspace={{ companyName: typed, error }} />,
      status,
    );
  if (name && !name.ok) return page(422, name.errors.company_name);
  const given = await giveWorkspace(
    c.get("db"),
    c.env,
    account,
    {
      inviteToken: INVITE_NEXT.exec(next)?.[1] ?? null,
      companyName: name?.ok ? name.data.company_name : null,
      timeZone: knownTimeZone(body.time_zone),
    },
    requestMeta(c),
    billingConfig(c.env).limits?.seats ?? null,
  );
  if (given.ok) return null;
  if (given.reason === "seat_limit") return render(c, "Log in", <SeatLimitPage tenantName={given.tenantName} />, 402);
  if (given.reason === "rate_limited") {
    c.header("Retry-After", String(given.retryAfter));
    return page(429, "You have created several workspaces today. Try again tomorrow.");
  }
  return page(409);
}

authRoutes.post("/logout", async (c) => {
  const auth = c.get("auth");
  if (auth) {
    await deleteSession(c.get("db"), auth.sessionId);
    await recordAudit(c.get("db"), {
      tenantId: auth.tenant.id,
      actorUserId: auth.user.id,
      action: "auth.sign_out",
      ...requestMeta(c),
    });
  }
  clearSessionCookie(c);
  return c.redirect("/login?logged_out=1", 303);
});
