import type { MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import type { AppEnv } from "../env";

const check = csrf();

/**
 * Refuses state-changing requests from other sites (Origin / Sec-Fetch-Site), everywhere except
 * /webhooks/*, whose callers prove themselves with a signature instead.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.path.startsWith("/webhooks/") ? next() : check(c, next);
