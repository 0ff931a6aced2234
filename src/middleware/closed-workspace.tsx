import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { render, wantsFragment } from "../lib/render";
import { closureDate } from "../mail/closure-messages";
import { WorkspaceClosedPage } from "../../views/pages/closure/ClosurePages";

/**
 * Every /app request of a session in a closed workspace gets the closed page (423 Locked) and
 * nothing else: no route runs, so no record, member or setting of the workspace can be read or
 * changed. The page is rendered without the signed-in navigation, which would lead into it.
 */
export const openWorkspaceOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  // A session the page checks itself (withSessionBatch) gets this same check there.
  if (c.get("deferredSession")) return next();
  const auth = c.get("auth");
  if (!auth || auth.tenant.closedAt === null) return next();
  // An htmx swap would hide the answer inside the page: reload it instead, which lands here again.
  if (wantsFragment(c)) c.header("HX-Refresh", "true");
  c.set("auth", null);
  const eraseAfter = auth.tenant.eraseAfter;
  return render(
    c,
    "Workspace closed",
    <WorkspaceClosedPage
      tenantName={auth.tenant.name}
      isOwner={auth.role === "owner"}
      eraseOn={eraseAfter === null ? null : closureDate(eraseAfter)}
      erasing={eraseAfter !== null && eraseAfter <= Date.now()}
    />,
    423,
  );
};
