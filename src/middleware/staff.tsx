/**
 * The staff console's guards. Staff sign in with their own cookie (__Host-staff, SameSite=Strict), read
 * only under /staff: a customer's session opens nothing here, and the staff cookie opens nothing under /app.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { StaffRole } from "../db/schema";
import type { AppEnv } from "../env";
import { STAFF_ABSOLUTE_MS, validateStaffSession } from "../auth/staff-session";
import { COOKIES } from "../lib/cookies";
import { setResponseHeader } from "../lib/request";

const OPTIONS = { path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;

export function setStaffCookie(c: Context<AppEnv>, token: string, now: number): void {
  setCookie(c, COOKIES.staff.name, token, { ...OPTIONS, expires: new Date(now + STAFF_ABSOLUTE_MS) });
}

export function clearStaffCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIES.staff.name, OPTIONS);
}

/** Resolves the staff member from the staff cookie, for /staff/* only. */
export const staffSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header("Cache-Control", "no-store");
  const token = getCookie(c, COOKIES.staff.name);
  c.set("staff", null);
  if (token) {
    const who = await validateStaffSession(c.get("db"), token, Date.now());
    if (who) c.set("staff", who);
    else clearStaffCookie(c);
  }
  await next();
  setResponseHeader(c, "Cache-Control", "no-store");
};

/** The least a staff route needs: a signed-in staff member with one of `roles`; else sign in, or 403. */
export function requireStaff(...roles: StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const who = c.get("staff");
    if (!who) {
      if (c.req.method === "GET") return c.redirect(`/staff/login?next=${encodeURIComponent(c.req.path)}`, 303);
      return c.text("Sign in to the staff console.", 401);
    }
    if (!roles.includes(who.role)) return c.text("Your staff role does not allow this.", 403);
    await next();
  };
}

/** The signed-in staff member; only behind requireStaff(). */
export function staffOf(c: Context<AppEnv>) {
  const who = c.get("staff");
  if (!who) throw new Error(`${c.req.method} ${c.req.path}: no staff member (is requireStaff() on the route?)`);
  return who;
}
