import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { requestLogEnabled } from "../lib/dev-tools";
import { clientIp, redactPath, setResponseHeader } from "../lib/request";

/**
 * Gives each request an id and writes one JSON line per request for Workers Logs. It records the
 * path without its query string and never a body, cookie or token. Outside production REQUEST_LOG=off leaves it out.
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const requestId = crypto.randomUUID();
  c.set("requestId", requestId);
  c.set("auth", null);
  try {
    await next();
  } finally {
    setResponseHeader(c, "X-Request-Id", requestId);
    const auth = c.get("auth");
    if (requestLogEnabled(c.env))
      console.log(
        JSON.stringify({
          type: "request",
          requestId,
          method: c.req.method,
          path: redactPath(c.req.path),
          status: c.res.status,
          durationMs: Date.now() - started,
          tenantId: auth?.tenant.id ?? null,
          userId: auth?.user.id ?? null,
          ip: clientIp(c),
          userAgent: c.req.header("User-Agent") ?? null,
        }),
      );
  }
};
