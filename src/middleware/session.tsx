import type { MiddlewareHandler } from "hono";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Role } from "../db/schema";
import { roleAtLeast } from "../lib/roles";
import type { AppEnv } from "../env";
import { validateSessionToken } from "../auth/session";
import { COOKIES } from "../lib/cookies";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { recordAudit } from "../services/audit";
import { ErrorPage, errorTitle } from "../../views/pages/ErrorPage";

/** Sets the session cookie: `__Host-` prefixed, HttpOnly, Secure, SameSite=Lax, Path=/. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, COOKIES.session.name, token, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    expires: new Date(expiresAt),
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIES.session.name, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
}

/** Resolves the signed-in user, their active tenant and role from the session cookie, if any. */
export const session: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, COOKIES.session.name);
  if (token) {
    const result = await validateSessionToken(c.get("db"), token, Date.now());
    if (result) {
      c.set("auth", result.auth);
      if (result.refreshedExpiresAt) setSessionCookie(c, token, result.refreshedExpiresAt);
    } else {
      clearSessionCookie(c);
    }
  }
  await next();
};

/** Every /app route: a session is required; without one, go to the login page and come back. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("auth")) {
    const url = new URL(c.req.url);
    const login = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", login);
      return c.body(null, 401);
    }
    return c.redirect(login, 303);
  }
  await next();
};

export { roleAtLeast };

/**
 * The one guard every /app route declares: the least role it needs. A refusal is a 403 and is
 * written to the audit trail.
 */
export function requireRole(least: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) return c.redirect("/login", 303);
    if (!roleAtLeast(auth.role, least)) {
      const meta = requestMeta(c);
      await recordAudit(c.get("db"), {
        tenantId: auth.tenant.id,
        actorUserId: auth.user.id,
        action: "permission.denied",
        targetType: "route",
        targetLabel: `${c.req.method} ${c.req.routePath}`,
        detail: { role: auth.role, needs: least },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      });
      return render(c, errorTitle(403), <ErrorPage status={403} />, 403);
    }
    await next();
  };
}

