import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { mirrorAfterChange, workspacesOfUser } from "../services/shards/mirror";

/**
 * For the routes that change people on the control database (team, profile, workspace settings): once the change
 * is answered without an error, the workspaces it concerns get their people copied to their shard again
 * (src/services/shards/mirror.ts). "workspace": the signed-in one; "user": every workspace of the signed-in user,
 * read before the change (deleting an account removes its memberships).
 */
export function mirrorsPeople(scope: "workspace" | "user"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth || c.req.method === "GET") return next();
    const tenantIds =
      scope === "workspace" ? [auth.tenant.id] : await workspacesOfUser(c.get("db").$client, auth.user.id);
    await next();
    if (c.res.status < 400) await mirrorAfterChange(c.env, tenantIds);
  };
}
