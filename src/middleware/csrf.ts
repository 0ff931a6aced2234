import type { MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import type { AppEnv } from "../env";

const check = csrf();

/**
 * Refuses state-changing requests from other sites (Origin / Sec-Fetch-Site), everywhere except
 * /webhooks/* and /unsubscribe/*, whose callers prove themselves with a signature instead (mail
 * providers send RFC 8058 one-click unsubscribe POSTs with no Origin; the signed token is the proof,
 * and all it can do is turn one mailing off for one user).
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.path.startsWith("/webhooks/") || c.req.path.startsWith("/unsubscribe/") ? next() : check(c, next);
