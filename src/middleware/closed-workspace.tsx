import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { render, wantsFragment } from "../lib/render";
import { requestMeta } from "../lib/request";
import { closureDeadline } from "../mail/closure-messages";
import { moveToOpenWorkspace } from "../services/team/workspaces";
import { WorkspaceClosedPage } from "../../views/pages/closure/ClosurePages";

/** The workspaces page and its actions: where a user in a closed workspace sees what to do. */
const WORKSPACES_PATH = /^\/app\/workspaces(\/|$)/;

/**
 * A session in a closed workspace reaches nothing of it: no route under /app runs but the workspaces
 * page. If the user belongs to an open workspace the session moves there (and the workspaces page
 * says why); otherwise they get the closed page (423 Locked), which says what they can do.
 */
export const openWorkspaceOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  // A session the page checks itself (withSessionBatch) gets this same check there.
  if (c.get("deferredSession")) return next();
  const auth = c.get("auth");
  if (!auth || auth.tenant.closedAt === null) return next();
  if (WORKSPACES_PATH.test(c.req.path)) return next();
  const movedTo = await moveToOpenWorkspace(
    c.get("db"),
    { id: auth.user.id, sessionId: auth.sessionId },
    requestMeta(c),
  );
  if (movedTo !== null) {
    // A flag, not the name: the page names the session's workspace itself, so a link cannot put words in it.
    const target = "/app/workspaces?moved=1";
    if (c.req.header("HX-Request") === "true") {
      c.header("HX-Redirect", target);
      return c.body(null, 204);
    }
    return c.redirect(target, 303);
  }
  // An htmx swap would hide the answer inside the page: reload it instead, which lands here again.
  if (wantsFragment(c)) c.header("HX-Refresh", "true");
  const eraseAfter = auth.tenant.eraseAfter;
  return render(
    c,
    "Workspace closed",
    <WorkspaceClosedPage
      tenantName={auth.tenant.name}
      isOwner={auth.role === "owner"}
      eraseOn={eraseAfter === null ? null : closureDeadline(eraseAfter, auth.user)}
      erasing={eraseAfter !== null && eraseAfter <= Date.now()}
    />,
    423,
  );
};
