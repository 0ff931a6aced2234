import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { mirrorAfterChange, workspacesOfUser } from "../services/shards/mirror";

/**
 * For the routes that change people on the control database (team, profile, workspace settings, staff corrections):
 * once the change is answered without an error, the workspaces it concerns get their people copied to their shard
 * again (src/services/shards/mirror.ts). "workspace": the signed-in one; "user": every workspace of the signed-in
 * user; a function: every workspace of the account it names. Workspaces are read before the change (deleting an
 * account removes its memberships).
 */
export function mirrorsPeople(
  scope: "workspace" | "user" | ((c: Context<AppEnv>) => string | undefined),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "GET") return next();
    const auth = c.get("auth");
    const userId = typeof scope === "function" ? scope(c) : scope === "user" ? auth?.user.id : undefined;
    const tenantIds =
      scope === "workspace"
        ? auth
          ? [auth.tenant.id]
          : []
        : userId
          ? await workspacesOfUser(c.get("db").$client, userId)
          : [];
    await next();
    if (tenantIds.length && c.res.status < 400) await mirrorAfterChange(c.env, tenantIds);
  };
}
