/**
 * /staff/support/:tenantId/app/...: the workspace's own pages, opened by a staff member with a live grant.
 * The request is handed to the app as if for /app/..., its auth being the grant (a viewer for read-only, a
 * member for read and write) and never a customer's session; links in the answer are rewritten to stay in
 * the support view. No grant, an ended or expired one, or a page outside SUPPORT_VIEW_PREFIXES: 403. Every
 * request is written to the workspace's audit trail.
 */
import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { eq } from "drizzle-orm";
import type { AppEnv, AuthContext, Bindings } from "../../env";
import { scoped } from "../../db/scoped";
import { isDatabaseName } from "../../services/shards/databases";
import { tenantBilling, tenants, workspaceShards, type SupportGrant } from "../../db/schema";
import type { StaffAuth } from "../../auth/staff-session";
import { COOKIES } from "../../lib/cookies";
import { isId } from "../../lib/ids";
import { PRIVACY_VERSION } from "../../lib/legal";
import { requestMeta } from "../../lib/request";
import { envWithSupport } from "../../lib/support-identity";
import { requireStaff, staffOf } from "../../middleware/staff";
import { usableGrant } from "../../services/support-access/staff-side";
import { recordSupportRequest, supportViewAllows } from "../../services/support-access/support-view";
import { refuseStaff } from "./page";

interface Dispatcher {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Attributes whose /app URLs are rewritten into the support view. */
const URL_ATTRIBUTES = ["href", "action", "formaction", "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"];
const URL_HEADERS = ["Location", "HX-Redirect", "HX-Location", "HX-Push-Url", "HX-Replace-Url"];
/** The header's small polls: not pages anyone looked at. */
const NOT_RECORDED = new Set(["/app/tasks/badge", "/app/notifications/count"]);

const isAppUrl = (v: string) => v === "/app" || v.startsWith("/app/") || v.startsWith("/app?");

async function supportAuth(c: Context<AppEnv>, who: StaffAuth, grant: SupportGrant): Promise<AuthContext | null> {
  const [tenant] = await c
    .get("db")
    .select({
      id: tenants.id,
      name: tenants.name,
      closedAt: tenants.closedAt,
      eraseAfter: tenants.eraseAfter,
      timeZone: tenants.timeZone,
      locale: tenants.locale,
      billingState: tenantBilling.state,
      shardState: workspaceShards.state,
      shardName: workspaceShards.shard,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    // A workspace being moved takes no writes from support either (src/middleware/moving-workspace.tsx).
    .leftJoin(workspaceShards, eq(workspaceShards.tenantId, tenants.id))
    .where(eq(tenants.id, grant.tenantId))
    .limit(1);
  if (!tenant) return null;
  return {
    sessionId: `support:${grant.id}`,
    // The staff member's own id (no customer account has it): what they change is theirs in the records.
    user: {
      id: who.id,
      email: who.email,
      emailVerifiedAt: grant.startedAt,
      termsAcceptedAt: grant.startedAt ?? 0,
      privacySeenVersion: PRIVACY_VERSION,
      timeZone: tenant.timeZone,
      locale: tenant.locale,
    },
    tenant: {
      id: tenant.id,
      name: tenant.name,
      closedAt: tenant.closedAt,
      eraseAfter: tenant.eraseAfter,
      billingState: tenant.billingState ?? "free",
      moving: tenant.shardState === "moving",
      shard: tenant.shardName && isDatabaseName(tenant.shardName) ? tenant.shardName : "DB",
    },
    role: grant.access === "write" ? "member" : "viewer",
    support: {
      staffId: who.id,
      staffName: who.name,
      grantId: grant.id,
      access: grant.access,
      expiresAt: grant.expiresAt ?? 0,
    },
  };
}

/** The answer with its /app URLs moved under `prefix`, and no cookie of the inner request's. */
function rewritten(res: Response, prefix: string): Response {
  const headers = new Headers(res.headers);
  headers.delete("Set-Cookie");
  for (const name of URL_HEADERS) {
    const v = headers.get(name);
    if (v && isAppUrl(v)) headers.set(name, prefix + v);
  }
  const moved = new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  if (!(headers.get("Content-Type") ?? "").startsWith("text/html")) return moved;
  let rewriter = new HTMLRewriter();
  for (const attr of URL_ATTRIBUTES)
    rewriter = rewriter.on(`[${attr}]`, {
      element(el) {
        const v = el.getAttribute(attr);
        if (v && isAppUrl(v)) el.setAttribute(attr, prefix + v);
      },
    });
  return rewriter.transform(moved);
}

// The whole app, which the support view hands its requests to; src/app.ts sets it once built.
let app: Dispatcher | null = null;
export function supportViewDispatchesTo(whole: Dispatcher): void {
  app = whole;
}

/** Mounted at /staff/support. */
export const supportViewRoutes = new Hono<AppEnv>();
supportViewRoutes.use("*", requireStaff("support", "admin"));

supportViewRoutes.all("/:tenantId/*", async (c) => {
  const who = staffOf(c);
  const tenantId = c.req.param("tenantId");
  const prefix = `/staff/support/${tenantId}`;
  const innerPath = c.req.path.slice(prefix.length);
  if (!isId(tenantId)) return refuseStaff(c, 404, "No workspace has that id.");
  const now = Date.now();
  const grant = await usableGrant(c.get("db"), tenantId, who.id, now);
  if (!grant)
    return refuseStaff(c, 403, "There is no live grant for this workspace: it was never given, ended, or ran out.");
  // The path as the app will see it: `..`, a backslash or an encoded slash must not walk out of the allowed pages.
  const url = new URL(c.req.url);
  url.pathname = innerPath;
  if (url.pathname !== innerPath || !supportViewAllows(innerPath))
    return refuseStaff(c, 403, "This page is not part of the support view.");
  const method = c.req.method;
  const reading = method === "GET" || method === "HEAD";
  const t = scoped(c.get("db"), tenantId);
  const facts = { staffId: who.id, staffName: who.name, grantId: grant.id, method, path: innerPath };
  if (!reading && grant.access === "read") {
    await recordSupportRequest(t, { ...facts, status: 403 }, requestMeta(c));
    return refuseStaff(c, 403, "This grant is read-only: nothing can be changed.");
  }
  const auth = await supportAuth(c, who, grant);
  if (!auth) return refuseStaff(c, 404, "No workspace has that id.");

  const headers = new Headers(c.req.raw.headers);
  headers.delete("Cookie");
  const theme = getCookie(c, COOKIES.theme.name);
  if (theme) headers.set("Cookie", `${COOKIES.theme.name}=${theme}`);
  for (const name of ["HX-Current-URL"]) headers.delete(name);
  const inner = new Request(url, { method, headers, body: reading ? undefined : c.req.raw.body, redirect: "manual" });
  if (!app) throw new Error("the support view has no app to dispatch to (src/app.ts sets it)");
  const res = await app.fetch(inner, envWithSupport(c.env, auth), c.executionCtx);
  if (!NOT_RECORDED.has(innerPath)) await recordSupportRequest(t, { ...facts, status: res.status }, requestMeta(c));
  // The inner page's CSP carries the nonce its scripts were given.
  const csp = res.headers.get("Content-Security-Policy");
  if (csp) c.set("cspOverride", csp);
  return rewritten(res, prefix);
});

supportViewRoutes.all("/:tenantId", (c) => c.redirect(`/staff/support/${c.req.param("tenantId")}/app`, 303));
