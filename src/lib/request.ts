import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { RequestMeta } from "../services/accounts";

/** The client's IP as Cloudflare reports it; nothing else is trusted. */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/** IP, user agent and the current time, for services that record or rate-limit requests. */
export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return { ip: clientIp(c), userAgent: c.req.header("User-Agent") ?? null, now: Date.now() };
}

// Paths whose last segment is a secret token from an email.
const TOKEN_PATHS = /^(\/(?:invite|verify-email|password\/reset|unsubscribe|reopen\/[^/]+)\/)[^/]+$/;

/** The path with any emailed token replaced, for logs and error reports: tokens never leave. */
export function redactPath(path: string): string {
  return path.replace(TOKEN_PATHS, "$1:token");
}
