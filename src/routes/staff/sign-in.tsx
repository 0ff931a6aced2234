/** /staff/login, /staff/logout and /staff/enrol/:token: staff identities, apart from customers'. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { deleteStaffSession } from "../../auth/staff-session";
import { getCookie, setCookie } from "hono/cookie";
import { DEVICE_COOKIE_MAX_AGE_S, newDeviceCookie, readDeviceCookie } from "../../auth/device-cookie";
import { COOKIES } from "../../lib/cookies";
import { requestMeta } from "../../lib/request";
import { email, formValue, parseForm, safeNextPath } from "../../lib/validation";
import { clearStaffCookie, setStaffCookie } from "../../middleware/staff";
import { completeEnrolment, findEnrolment } from "../../services/staff/accounts";
import { recoveryCodesLeft, signInStaff } from "../../services/staff/sign-in";
import { refuseStaff, renderStaff } from "./page";
import {
  RecoveryCodesPage,
  RecoveryCodeUsedPage,
  StaffEnrolPage,
  StaffLoginPage,
} from "../../../views/pages/staff/SignInPages";

export const staffSignInRoutes = new Hono<AppEnv>();

const staffNext = (value: unknown) => {
  const next = safeNextPath(value, "/staff");
  return next.startsWith("/staff") ? next : "/staff";
};

/** Where a sign-in with a recovery code lands: the count of codes left, then on to `next`. */
const RECOVERY_CODE_USED = "recovery-code";

staffSignInRoutes.get("/login", async (c) => {
  const who = c.get("staff");
  if (who && c.req.query("signed_in_with") === RECOVERY_CODE_USED) {
    // The count is read afresh for whoever is signed in, so the query string can only show them their own.
    const left = await recoveryCodesLeft(c.get("db"), who.id);
    return renderStaff(
      c,
      "Signed in with a recovery code",
      <RecoveryCodeUsedPage left={left} next={staffNext(c.req.query("next"))} />,
    );
  }
  if (who) return c.redirect("/staff", 303);
  return renderStaff(c, "Staff sign-in", <StaffLoginPage next={staffNext(c.req.query("next"))} />);
});

const loginSchema = z.object({
  email: email(),
  password: z.string().min(1, "Enter your password.").max(256),
  code: z.string().trim().min(1, "Enter your authenticator code.").max(20),
});

staffSignInRoutes.post("/login", async (c) => {
  const body = await c.req.parseBody();
  const next = staffNext(body.next);
  const parsed = parseForm(loginSchema, body);
  const again = (error: string, status: 400 | 401 | 429) =>
    renderStaff(
      c,
      "Staff sign-in",
      <StaffLoginPage email={formValue(body, "email")} error={error} next={next} />,
      status,
    );
  if (!parsed.ok) return again(Object.values(parsed.errors)[0] ?? "Fill in every field.", 400);
  const key = c.env.DEVICE_COOKIE_KEY;
  const device = key ? await readDeviceCookie(key, getCookie(c, COOKIES.staffDevice.name)) : null;
  const result = await signInStaff(c.get("db"), parsed.data, { ...requestMeta(c), device });
  if (!result.ok) {
    if (result.reason === "limited") {
      c.header("Retry-After", String(result.retryAfter ?? 60));
      return again("Too many attempts. Wait a few minutes and try again.", 429);
    }
    return again("That email, password and code do not match a staff account.", 401);
  }
  setStaffCookie(c, result.token, Date.now());
  // This browser is now one the staff member signed in with: guessing elsewhere does not slow it down.
  if (key)
    setCookie(c, COOKIES.staffDevice.name, await newDeviceCookie(key, result.staffId), {
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
      maxAge: DEVICE_COOKIE_MAX_AGE_S,
    });
  // A recovery code used up is worth knowing at once: the staff member sees how many are left.
  if (result.usedRecoveryCode)
    return c.redirect(`/staff/login?signed_in_with=${RECOVERY_CODE_USED}&next=${encodeURIComponent(next)}`, 303);
  return c.redirect(next, 303);
});

staffSignInRoutes.post("/logout", async (c) => {
  const who = c.get("staff");
  if (who) await deleteStaffSession(c.get("db"), who.sessionId);
  clearStaffCookie(c);
  return c.redirect("/staff/login", 303);
});

staffSignInRoutes.get("/enrol/:token", async (c) => {
  const token = c.req.param("token");
  const enrolment = await findEnrolment(c.get("db"), token, Date.now());
  if (!enrolment)
    return refuseStaff(c, 404, "This enrolment link has expired or was used. Ask a staff admin for a new one.");
  return renderStaff(
    c,
    "Set up your staff account",
    <StaffEnrolPage token={token} name={enrolment.name} email={enrolment.email} {...enrolment.setup} />,
  );
});

staffSignInRoutes.post("/enrol/:token", async (c) => {
  const token = c.req.param("token");
  const body = await c.req.parseBody();
  const result = await completeEnrolment(
    c.get("db"),
    token,
    { password: formValue(body, "password"), code: formValue(body, "code") },
    Date.now(),
  );
  if (result.ok) return renderStaff(c, "Your recovery codes", <RecoveryCodesPage codes={result.recoveryCodes} />);
  if (result.field === "link") return refuseStaff(c, 404, result.message);
  const enrolment = await findEnrolment(c.get("db"), token, Date.now());
  if (!enrolment) return refuseStaff(c, 404, "This enrolment link has expired or was used.");
  return renderStaff(
    c,
    "Set up your staff account",
    <StaffEnrolPage
      token={token}
      name={enrolment.name}
      email={enrolment.email}
      {...enrolment.setup}
      errors={{ [result.field]: result.message }}
    />,
    400,
  );
});
