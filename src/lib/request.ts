import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { RequestMeta } from "./actor";

/** The client's IP as Cloudflare reports it; nothing else is trusted. */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/** IP, user agent and the current time, for services that record or rate-limit requests. */
export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return { ip: clientIp(c), userAgent: c.req.header("User-Agent") ?? null, now: Date.now() };
}

/** Routes whose last path segment is a secret token (mostly from an email): never cached, never logged. */
export const TOKEN_ROUTES = [
  "/invite/:token",
  "/verify-email/:token",
  "/password/reset/:token",
  "/unsubscribe/:token",
  "/reopen/:tenantId/:token",
  "/staff/enrol/:token",
  // Not emailed, but as secret: the calendar feed's address (src/routes/cal.ts).
  "/cal/:token",
] as const;

// "/reopen/:tenantId/:token" → /^(\/reopen\/[^/]+\/)[^/]+$/; the token is the last segment of each.
const TOKEN_PATHS = new RegExp(
  `^(?:${TOKEN_ROUTES.map((r) => `(${r.replace(/\/:token$/, "/").replace(/:[A-Za-z]+/g, "[^/]+")})`).join("|")})[^/]+$`,
);

/** Whether a path is one of TOKEN_ROUTES, so its response must not be stored anywhere. */
export function carriesToken(path: string): boolean {
  return TOKEN_PATHS.test(path);
}

/** The path with any emailed token replaced, for logs and error reports: tokens never leave. */
export function redactPath(path: string): string {
  const m = TOKEN_PATHS.exec(path);
  return m ? `${m.slice(1).find((prefix) => prefix !== undefined)}:token` : path;
}

/**
 * Sets a header on the response a middleware got back from next(). Hono's c.header() first copies a finished
 * response into a new one; on Node that turns @hono/node-server's light response into a full one and checks the
 * page's text character by character (~7% of a contacts page's CPU). The headers change in place unless they
 * are immutable (a fetch()'s response), which takes c.header()'s copy.
 */
export function setResponseHeader(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
