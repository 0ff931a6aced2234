import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { render } from "../lib/render";
import { WorkspaceMovingPage } from "../../views/pages/shards/MovingPage";

/**
 * While a workspace is moved to another database its writes are frozen (src/services/shards/phases.ts:
 * the catch-up must see every write), so every change under /app answers 503 with a page that says why
 * and when to try again; reads go on. The state comes with the session's own query, so this costs nothing.
 */
export const frozenWhileMoving: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  if (!auth?.tenant.moving || c.req.method === "GET" || c.req.method === "HEAD") return next();
  c.header("Retry-After", "60");
  return render(c, "Workspace being moved", <WorkspaceMovingPage tenantName={auth.tenant.name} />, 503);
};
