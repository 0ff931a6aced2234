/**
 * A browser's tabs share one session, and the session names the workspace every /app route acts on; another tab
 * can change it (a switch, a new workspace, an accepted invitation). A form left open in a page of workspace A
 * would then act on B, with ids that mean the same there (a user id: "remove C" would remove C from B). So a page
 * says which workspace it was rendered for (Layout's #ct-workspace), app.js sends that with every POST form
 * (`_workspace`) and every htmx request (X-Workspace), and a change whose page was of another workspace is refused
 * here with 409, nothing written. A request without the marker (scripts, no JavaScript, the API) goes on as before.
 */
import type { Context, HonoRequest, MiddlewareHandler } from "hono";
import type { AppEnv, AuthContext } from "../env";
import { render, wantsFragment } from "../lib/render";
import { safeNextPath } from "../lib/validation";
import { listWorkspaces } from "../services/team/workspaces";
import { OtherWorkspacePage } from "../../views/pages/team/OtherWorkspacePage";

/** The form field app.js adds to every POST form: the workspace the page was rendered for. */
export const WORKSPACE_FIELD = "_workspace";
/** The header app.js adds to htmx's non-GET requests, with the same value. */
export const WORKSPACE_HEADER = "X-Workspace";

// The form's marker, taken out of the parsed body by formBody (before the session is known) for pageWorkspace.
const formMarkers = new WeakMap<HonoRequest, string>();

/**
 * Takes the page's workspace out of a parsed form, so no route ever sees the field (custom fields, bulk forms and
 * saved views read every field), and keeps it for `pageWorkspace`. Called by formBody once per body.
 */
export function takeWorkspaceMarker(req: HonoRequest, form: FormData): void {
  const value = form.get(WORKSPACE_FIELD);
  if (value === null) return;
  form.delete(WORKSPACE_FIELD);
  // A file under that name is no page's marker: it matches no workspace, so it is refused like a stale one.
  formMarkers.set(req, typeof value === "string" ? value : "");
}

// Switching, creating a workspace and a reopen link name their workspace (or make one): the way out of a stale page.
const EXEMPT = /^\/app\/workspaces(?:\/|$)/;

/** Refuses an /app change sent from a page of another workspace than the session's now (409, nothing written). */
export const pageWorkspace: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || EXEMPT.test(c.req.path)) return next();
  const auth = c.get("auth");
  if (!auth) return next();
  const current = auth.tenant.id;
  // The multipart upload is read by its own route (its size limit), which checks its field (refuseStaleForm).
  const stale = [c.req.header(WORKSPACE_HEADER), formMarkers.get(c.req)].find((m) => m !== undefined && m !== current);
  if (stale === undefined) return next();
  return refuse(c, auth, stale);
};

/**
 * For a route that reads its own body (the multipart import upload, which formBody leaves unparsed): the 409 page
 * when the form's `_workspace` names another workspace than the session's, else null.
 */
export async function refuseStaleForm(c: Context<AppEnv>, marker: unknown): Promise<Response | null> {
  const auth = c.get("auth");
  if (!auth || marker === undefined) return null;
  const value = typeof marker === "string" ? marker : "";
  return value === auth.tenant.id ? null : refuse(c, auth, value);
}

async function refuse(c: Context<AppEnv>, auth: AuthContext, pageTenantId: string): Promise<Response> {
  // Named only when the user belongs to it and can switch back (a staff member's support view switches nowhere).
  const pageWorkspace = auth.support
    ? undefined
    : (await listWorkspaces(c.get("db"), auth.user.id)).find((w) => w.tenantId === pageTenantId && w.closedAt === null);
  const page = (
    <OtherWorkspacePage
      pageWorkspace={pageWorkspace ? { tenantId: pageWorkspace.tenantId, name: pageWorkspace.name } : null}
      current={auth.tenant.name}
      back={pageOf(c)}
    />
  );
  // htmx would swap the answer into the request's own small target (a row, a button): the message goes in the
  // page's main part instead, so it is read whole and the stale form is gone. Not a refresh: that would load the
  // page in the other workspace without a word about why the change was not made.
  if (wantsFragment(c)) {
    c.header("HX-Retarget", "#main");
    c.header("HX-Reswap", "innerHTML");
  }
  return render(c, "Another workspace", page, 409);
}

/** The page the request came from (htmx says it; a plain form's browser sends Referer), when it is under /app. */
function pageOf(c: Context<AppEnv>): string {
  const raw = c.req.header("HX-Current-URL") ?? c.req.header("Referer");
  if (!raw) return "/app";
  try {
    const url = new URL(raw);
    if (url.origin !== new URL(c.req.url).origin || !/^\/app(?:\/|$)/.test(url.pathname)) return "/app";
    return safeNextPath(url.pathname + url.search);
  } catch {
    return "/app";
  }
}
