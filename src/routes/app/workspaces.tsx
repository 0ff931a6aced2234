/**
 * /app/workspaces: the workspaces the signed-in user belongs to, switching this session between them,
 * creating a new one (its owner, on Free), and, for an owner of a closed one, a new reopen link by email. These routes stay reachable while the
 * session is in a closed workspace (src/middleware/closed-workspace.tsx): this is where the user sees
 * what to do.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { requireRole } from "../../middleware/session";
import { errorResponse } from "../../lib/errors";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { render } from "../../lib/render";
import { requestMeta } from "../../lib/request";
import { formValue, parseForm, safeNextPath, text } from "../../lib/validation";
import { closureDeadline } from "../../mail/closure-messages";
import { createWorkspace, listWorkspaces, sendNewReopenLink, switchWorkspace } from "../../services/team/workspaces";
import { authOf } from "../context";
import { WorkspacesPage, type WorkspacesNotice } from "../../../views/pages/team/WorkspacesPage";
import { WorkspaceMenu } from "../../../views/pages/team/WorkspaceMenu";
import { OpenInWorkspacePage } from "../../../views/pages/team/OpenInWorkspacePage";

/** Mounted at /app/workspaces. */
export const workspacesRoutes = new Hono<AppEnv>();

const switchSchema = z.object({ tenant_id: z.string().min(1).max(100) });
const TENANT_ID = /^[A-Za-z0-9_-]{1,100}$/;

async function page(
  c: Context<AppEnv>,
  notice: WorkspacesNotice | null,
  status: ContentfulStatusCode = 200,
  create: { name?: string; error?: string } = {},
) {
  const auth = authOf(c);
  const workspaces = await listWorkspaces(c.get("db"), auth.user.id);
  const rows = workspaces.map((w) => ({
    tenantId: w.tenantId,
    name: w.name,
    role: w.role,
    current: w.tenantId === auth.tenant.id,
    closed:
      w.closedAt === null
        ? null
        : {
            eraseOn: w.eraseAfter === null ? null : closureDeadline(w.eraseAfter, auth.user),
            erasing: w.erasing,
            canReopen: w.role === "owner" && !w.erasing,
          },
  }));
  return render(c, "Workspaces", <WorkspacesPage workspaces={rows} notice={notice} create={create} />, status);
}

workspacesRoutes.get("/", requireRole("viewer"), async (c) => {
  // Flags only, set by the closed-workspace guard and by leaving a workspace when they moved this session: the
  // page says why the workspace changed, naming the session's own workspace (never text from the URL).
  const current = authOf(c).tenant.name;
  if (c.req.query("moved") === "1") return page(c, { kind: "moved", to: current });
  if (c.req.query("left") === "1") return page(c, { kind: "left", to: current });
  return page(c, null);
});

const createSchema = z.object({ name: text("Workspace name", { min: 1, max: 100 }) });

/** A new workspace, with the user as its owner (Free plan); this browser moves into it. */
workspacesRoutes.post("/", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const body = await c.req.parseBody();
  const parsed = parseForm(createSchema, body);
  if (!parsed.ok) return page(c, null, 400, { name: formValue(body, "name"), error: parsed.errors.name });
  const user = { id: auth.user.id, sessionId: auth.sessionId, timeZone: auth.user.timeZone };
  const result = await createWorkspace(c.get("db"), user, parsed.data.name, requestMeta(c), c.env);
  if (!result.ok) {
    c.header("Retry-After", String(result.retryAfter));
    const error = "You have created several workspaces today. Try again tomorrow.";
    return page(c, null, 429, { name: parsed.data.name, error });
  }
  return c.redirect("/app", 303);
});

/** The header's switcher: this user's workspaces, fetched when the account menu first opens (not on every page). */
workspacesRoutes.get("/menu", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const workspaces = await listWorkspaces(c.get("db"), auth.user.id);
  c.header("Cache-Control", "no-store");
  return c.html(
    <WorkspaceMenu
      workspaces={workspaces.map((w) => ({
        tenantId: w.tenantId,
        name: w.name,
        current: w.tenantId === auth.tenant.id,
        closed: w.closedAt !== null,
      }))}
    />,
  );
});

/** Where a switch may go next: a page under /app, else the dashboard. */
const appPath = (raw: unknown) => {
  const path = safeNextPath(raw);
  return path.startsWith("/app/") ? path : "/app";
};

workspacesRoutes.post("/switch", requireRole("viewer"), async (c) => {
  const auth = authOf(c);
  const body = await c.req.parseBody();
  const parsed = parseForm(switchSchema, body);
  // A malformed id names no workspace of this user, just like a foreign one.
  if (!parsed.ok) return errorResponse(c, 404);
  const user = { id: auth.user.id, sessionId: auth.sessionId };
  const result = await switchWorkspace(c.get("db"), user, parsed.data.tenant_id, requestMeta(c));
  if (result === "not_found") return errorResponse(c, 404);
  if (result === "closed") return page(c, { kind: "closed" }, 409);
  return c.redirect(appPath(formValue(body, "next")), 303);
});

/**
 * A mail's link to a record (a mention, a reminder) names its workspace: opened at once in it, or, when this browser
 * works in another of the user's workspaces, a page offering the switch (a session is in one workspace at a time).
 */
workspacesRoutes.get("/open/:tenantId", requireRole("viewer"), async (c) => {
  const tenantId = c.req.param("tenantId");
  const to = appPath(c.req.query("to"));
  const auth = authOf(c);
  if (tenantId === auth.tenant.id) return c.redirect(to, 302);
  const workspace = TENANT_ID.test(tenantId)
    ? (await listWorkspaces(c.get("db"), auth.user.id)).find((w) => w.tenantId === tenantId && w.closedAt === null)
    : undefined;
  if (!workspace) return errorResponse(c, 404);
  return render(
    c,
    `Open in ${workspace.name}`,
    <OpenInWorkspacePage workspace={workspace.name} current={auth.tenant.name} tenantId={tenantId} to={to} />,
  );
});

workspacesRoutes.post("/:tenantId/reopen-link", requireRole("viewer"), async (c) => {
  const tenantId = c.req.param("tenantId");
  if (!TENANT_ID.test(tenantId)) return errorResponse(c, 404);
  const { user } = authOf(c);
  const result = await sendNewReopenLink(c.get("db"), { userId: user.id, email: user.email }, tenantId, {
    ...requestMeta(c),
    baseUrl: appBaseUrl(c),
  });
  if (!result.ok) {
    if (result.reason === "not_found") return errorResponse(c, 404);
    if (result.reason === "not_reopenable") return page(c, { kind: "not_reopenable" }, 409);
    c.header("Retry-After", String(result.retryAfter));
    return page(c, { kind: "rate_limited", minutes: Math.ceil(result.retryAfter / 60) }, 429);
  }
  deliverSoon(c, result.mailIds);
  return page(c, { kind: "link_sent", email: result.email });
});
