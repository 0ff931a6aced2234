import type { MiddlewareHandler } from "hono";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { matchedRoutes } from "hono/route";
import { METHOD_NAME_ALL } from "hono/router";
import type { Role } from "../db/schema";
import { roleAtLeast } from "../lib/roles";
import { scoped, type TenantDb } from "../db/scoped";
import type { AppEnv, AuthContext } from "../env";
import type { BatchItem } from "drizzle-orm/batch";
import { DEVICE_COOKIE_MAX_AGE_S, newDeviceCookie, readDeviceCookie, type DeviceCookie } from "../auth/device-cookie";
import {
  checkSessionRow,
  parseSessionToken,
  sessionRowQuery,
  validateSessionToken,
  type SessionRow,
} from "../auth/session";
import { openWorkspaceOnly } from "./closed-workspace";
import { openRecordsDb } from "./db";
import { type DatabaseName, isDatabaseName } from "../services/shards/databases";
import { COOKIES } from "../lib/cookies";
import { isId } from "../lib/ids";
import { supportAuthOf } from "../lib/support-identity";
import { render } from "../lib/render";
import { requestMeta } from "../lib/request";
import { recordAudit } from "../services/audit/audit";
import { ErrorPage, errorTitle } from "../../views/pages/ErrorPage";

/** Sets the session cookie: `__Host-` prefixed, HttpOnly, Secure, SameSite=Lax, Path=/. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, COOKIES.session.name, token, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    expires: new Date(expiresAt),
  });
}

/** Removes the session cookie (and the workspace hint that goes with it). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIES.session.name, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  if (getCookie(c, COOKIES.workspace.name))
    deleteCookie(c, COOKIES.workspace.name, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
}

// Only ever sent with our own forms (the login is a same-site POST), never readable by scripts.
const DEVICE_COOKIE_OPTIONS = { path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;

/** The device cookie of this browser (COOKIES.device) when DEVICE_COOKIE_KEY is set and its signature is ours. */
export async function deviceOf(c: Context<AppEnv>): Promise<DeviceCookie | null> {
  const key = c.env.DEVICE_COOKIE_KEY;
  return key ? readDeviceCookie(key, getCookie(c, COOKIES.device.name)) : null;
}

/** Marks this browser as one `userId` has signed in with (a new nonce each time); nothing without DEVICE_COOKIE_KEY. */
export async function rememberDevice(c: Context<AppEnv>, userId: string): Promise<void> {
  const key = c.env.DEVICE_COOKIE_KEY;
  if (!key) return;
  const value = await newDeviceCookie(key, userId);
  setCookie(c, COOKIES.device.name, value, { ...DEVICE_COOKIE_OPTIONS, maxAge: DEVICE_COOKIE_MAX_AGE_S });
}

/** Forgets this browser (the account it named is gone). */
export function forgetDevice(c: Context<AppEnv>): void {
  if (getCookie(c, COOKIES.device.name)) deleteCookie(c, COOKIES.device.name, DEVICE_COOKIE_OPTIONS);
}

/** The workspace hint's value: the workspace's id, and the database of its records when not DB. */
const hintOf = (tenant: AuthContext["tenant"]) =>
  tenant.shard && tenant.shard !== "DB" ? `${tenant.id}.${tenant.shard}` : tenant.id;

/** The workspace and records database a hint cookie names, when well-formed (anything else is checked the usual way). */
function parseHint(value: string | undefined): { tenantId: string; shard: DatabaseName } | null {
  const [tenantId, shard = "DB"] = (value ?? "").split(".", 2);
  return isId(tenantId) && isDatabaseName(shard) ? { tenantId, shard } : null;
}

/** Keeps the workspace hint (COOKIES.workspace) in step with the session's active tenant and its database. */
function syncWorkspaceHint(c: Context<AppEnv>, tenant: AuthContext["tenant"]): void {
  const value = hintOf(tenant);
  if (getCookie(c, COOKIES.workspace.name) === value) return;
  setCookie(c, COOKIES.workspace.name, value, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: COOKIES.workspace.maxAge,
  });
}

/**
 * Whether the route that will answer starts with deferSessionCheck. hono matches every handler of a
 * request before the first middleware runs: the first one not added by use() begins the answering route.
 */
function answeringRouteDefersSession(c: Context<AppEnv>): boolean {
  const first = matchedRoutes(c).find((r) => r.method !== METHOD_NAME_ALL);
  return first?.handler === deferSessionCheck;
}

/** Resolves the signed-in user, their active tenant and role from the session cookie, if any. */
export const session: MiddlewareHandler<AppEnv> = async (c, next) => {
  // A page the staff console's support view asked for (src/routes/staff/support-view.ts): its grant is the auth.
  const support = supportAuthOf(c.env);
  if (support) {
    c.set("auth", support);
    openRecordsDb(c, support.tenant.shard);
    return next();
  }
  const token = getCookie(c, COOKIES.session.name);
  if (token) {
    const hint = parseHint(getCookie(c, COOKIES.workspace.name));
    // Only a well-formed hint is used to build a page's reads; anything else is checked the usual way.
    if (hint && c.req.method === "GET" && answeringRouteDefersSession(c)) {
      // Checked by the page, in its batch: until then there is no auth, and the /app guards let it through.
      c.set("deferredSession", { token, tenantHint: hint.tenantId, shardHint: hint.shard });
      return next();
    }
    const result = await validateSessionToken(c.get("db"), token, Date.now());
    if (result) {
      c.set("auth", result.auth);
      openRecordsDb(c, result.auth.tenant.shard);
      if (result.refreshedExpiresAt) setSessionCookie(c, token, result.refreshedExpiresAt);
      syncWorkspaceHint(c, result.auth.tenant);
    } else {
      clearSessionCookie(c);
    }
  }
  await next();
};

/** Where a request without a session goes: the login page, then back. */
function loginRedirect(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  const login = `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
  if (c.req.header("HX-Request") === "true") {
    c.header("HX-Redirect", login);
    return c.body(null, 401);
  }
  return c.redirect(login, 303);
}

/** Every /app route: a session is required; without one, go to the login page and come back. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("auth") && !c.get("deferredSession")) return loginRedirect(c);
  await next();
};

export type SessionBatchResult = { ok: true; t: TenantDb; results: unknown[] } | { ok: false; response: Response };

/**
 * Runs a page's reads in one D1 batch with the session check when the session middleware deferred
 * it (the route starts with deferSessionCheck), else alone. The reads are built for the workspace the
 * hint cookie names; they are used only if the session is valid AND its active workspace is that one.
 * Otherwise nothing read is used: no session is the login redirect, a closed workspace its closed page,
 * and another workspace (a stale or forged hint) reads again for the session's own.
 */
export async function withSessionBatch(
  c: Context<AppEnv>,
  build: (t: TenantDb) => Promise<readonly BatchItem<"sqlite">[]>,
): Promise<SessionBatchResult> {
  const db = c.get("db");
  const run = async (t: TenantDb) => {
    const items = await build(t);
    return items.length
      ? ((await t.db.batch(items as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as unknown[])
      : [];
  };
  const deferred = c.get("deferredSession");
  if (!deferred) {
    const auth = c.get("auth")!;
    const t = scoped(c.get("recordsDb") ?? db, auth.tenant.id, db);
    return { ok: true, t, results: await run(t) };
  }
  c.set("deferredSession", undefined);
  const parsed = parseSessionToken(deferred.token);
  openRecordsDb(c, deferred.shardHint);
  const hinted = scoped(c.get("recordsDb") ?? db, deferred.tenantHint, db);
  const items = await build(hinted);
  let sessionRows: SessionRow[] = [];
  let results: unknown[] = [];
  if (parsed && hinted.db === db) {
    [sessionRows, ...results] = (await db.batch([sessionRowQuery(db, parsed.id), ...items] as [
      BatchItem<"sqlite">,
      ...BatchItem<"sqlite">[],
    ])) as [SessionRow[], ...unknown[]];
  } else if (parsed) {
    // Records on a shard: the session on the control database and the page's reads on the shard, side by side.
    const batch = items.length ? hinted.db.batch(items as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]) : [];
    [sessionRows, results] = (await Promise.all([sessionRowQuery(db, parsed.id), batch])) as [SessionRow[], unknown[]];
  }
  const validated = parsed ? await checkSessionRow(db, parsed, sessionRows[0], Date.now()) : null;
  if (!validated) {
    clearSessionCookie(c);
    return { ok: false, response: loginRedirect(c) };
  }
  const { tenant } = validated.auth;
  c.set("auth", validated.auth);
  if (validated.refreshedExpiresAt) setSessionCookie(c, deferred.token, validated.refreshedExpiresAt);
  syncWorkspaceHint(c, tenant);
  const closed = await openWorkspaceOnly(c, async () => {});
  if (closed instanceof Response) return { ok: false, response: closed };
  if (tenant.id !== deferred.tenantHint || (tenant.shard ?? "DB") !== deferred.shardHint) {
    openRecordsDb(c, tenant.shard);
    const own = scoped(c.get("recordsDb") ?? db, tenant.id, db);
    return { ok: true, t: own, results: await run(own) };
  }
  return { ok: true, t: hinted, results };
}

export { roleAtLeast };

/** Writes a refused request (the 403 answer) to the audit trail: who asked, for what, and what it needs. */
export async function recordRefusal(
  c: Context<AppEnv>,
  auth: AuthContext,
  target: { type: string; id?: string },
  needs: string,
): Promise<void> {
  await recordAudit(c.get("db"), {
    tenantId: auth.tenant.id,
    actorUserId: auth.user.id,
    action: "permission.denied",
    targetType: target.type,
    targetId: target.id,
    targetLabel: `${c.req.method} ${c.req.routePath}`,
    detail: { role: auth.role, needs },
    ...requestMeta(c),
  });
}

/**
 * The one guard every /app route declares: the least role it needs. A refusal is a 403 and is
 * written to the audit trail.
 */
export function requireRole(least: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) return c.redirect("/login", 303);
    if (!roleAtLeast(auth.role, least)) {
      await recordRefusal(c, auth, { type: "route" }, least);
      return render(c, errorTitle(403), <ErrorPage status={403} />, 403);
    }
    await next();
  };
}

const anyMember = requireRole("viewer");

/**
 * The guard of a page that reads the session in its own D1 batch (withSessionBatch), saving a round
 * trip that costs about as much as the page's work: the contacts list, a contact's and a company's page.
 * It must be the route's first handler (`session` looks for it there, before routing). The least role
 * is viewer, so the batch's session check is the whole authorisation; without a deferred session
 * (no workspace cookie, not a GET) it is requireRole("viewer").
 */
export const deferSessionCheck: MiddlewareHandler<AppEnv> = (c, next) =>
  c.get("deferredSession") ? next() : anyMember(c, next);
