import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { render } from "../lib/render";
import { WorkspaceMovingPage } from "../../views/pages/shards/MovingPage";

/**
 * Changes that write only the control database's own tables (users, memberships, sessions, calendar feeds, the mail
 * outbox, the audit trail: src/services/shards/control-tables.ts), which a move never copies, so they go on during
 * one: switching, creating or opening a workspace (the way out of this one), and the user's own name, number format,
 * address, mail choices, calendar feed, password and sessions. Not the time zone: it moves the user's reminders,
 * which are the workspace's records.
 */
const CONTROL_ONLY =
  /^\/app\/(?:workspaces(?:\/.*)?|settings\/profile\/(?:name|locale|email|email-preferences|calendar-feed(?:\/rotate|\/off)?)|settings\/security\/(?:password|sessions\/.+))$/;

/**
 * While a workspace is moved to another database its writes are frozen (src/services/shards/phases.ts:
 * the catch-up must see every write), so every change under /app answers 503 with a page that says why
 * and when to try again; reads go on, and so do the changes above. The state comes with the session's own
 * query, so this costs nothing.
 */
export const frozenWhileMoving: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  if (!auth?.tenant.moving || c.req.method === "GET" || c.req.method === "HEAD") return next();
  if (CONTROL_ONLY.test(c.req.path)) return next();
  c.header("Retry-After", "60");
  return render(c, "Workspace being moved", <WorkspaceMovingPage tenantName={auth.tenant.name} />, 503);
};
