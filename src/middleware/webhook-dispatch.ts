/**
 * After a write under /app, sends the workspace's due webhook deliveries at once instead of at the next
 * cron minute. It runs after the response (waitUntil) and may be lost; the cron's sweep is the backstop,
 * so nothing depends on it. For a workspace with nothing pending it is one probe of a partial index.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { dispatchDue } from "../services/webhooks/sweep";

export const dispatchWebhooks: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const auth = c.get("auth");
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.res.status >= 400 || !auth) return;
  const work = dispatchDue(c.get("db"), c.env.JOBS, Date.now(), auth.tenant.id).catch((err) =>
    console.error(JSON.stringify({ type: "webhook_dispatch_failed", error: String(err).slice(0, 300) })),
  );
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (app.request() in a script): the dispatch still runs, unawaited.
  }
};
