/**
 * First-party usage recording (src/services/usage/definitions.ts): the page-view recorder on /app/*, the
 * feature-event helper routes call, and the one place a request's points are handed to the sink, after
 * the response. Staff browsing a workspace in the support view (auth.support) never counts.
 */
import Bowser from "bowser";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv, AuthContext } from "../env";
import { showsPageProblem, wantsFragment } from "../lib/render";
import {
  DEVICE_CLASSES,
  type DeviceClass,
  type FeatureEvent,
  type UsageKind,
  type UsagePlan,
  type UsagePoint,
} from "../services/usage/definitions";
import type { BillingState } from "../db/schema";
import { usageSinkFor } from "../services/usage/sink";
import { errorText } from "../lib/error-text";

/** The device class of a user agent (only the class is kept, never the user agent). */
export function deviceClassOf(userAgent: string | undefined): DeviceClass {
  if (!userAgent) return "other";
  const type = Bowser.getParser(userAgent).getPlatformType(true);
  return (DEVICE_CLASSES as readonly string[]).includes(type) ? (type as DeviceClass) : "other";
}

/** Whether this request's usage counts: a signed-in customer, not staff in the support view. */
function countedAuth(c: Context<AppEnv>): AuthContext | null {
  const auth = c.get("auth");
  if (!auth) return null;
  if (auth.support) return null;
  return auth;
}

/** The plan a point is recorded under, for each billing state. */
const PLAN_OF: Record<BillingState, UsagePlan> = { free: "free", trialing: "trial", active: "team", past_due: "team" };

/** A usage point of this request's user, workspace, plan, day and device. */
export function usagePoint(c: Context<AppEnv>, auth: AuthContext, kind: UsageKind, name: string, seconds = 0) {
  const at = Date.now();
  return {
    kind,
    name,
    tenantId: auth.tenant.id,
    userId: auth.user.id,
    plan: PLAN_OF[auth.tenant.billingState],
    day: new Date(at).toISOString().slice(0, 10),
    device: deviceClassOf(c.req.header("User-Agent")),
    seconds,
    at,
  } satisfies UsagePoint;
}

/** Records that the signed-in user used a feature; written with the request's other points after the response. */
export function trackFeature(c: Context<AppEnv>, name: FeatureEvent): void {
  c.set("usageFeatures", [...(c.get("usageFeatures") ?? []), name]);
}

/** Hands points to the sink after the response; a failure is logged and never reaches the page. */
export function writeUsage(c: Context<AppEnv>, points: UsagePoint[]): void {
  if (points.length === 0) return;
  const written = usageSinkFor(c.env)
    .write(points)
    .catch((err) => console.error(JSON.stringify({ type: "usage_write_failed", error: errorText(err, 300) })));
  try {
    c.executionCtx.waitUntil(written);
  } catch {
    // No execution context (app.request() in a script): the write still runs, unawaited.
  }
}

/** The route pattern of the handler that answered (`/app/contacts/:id`), read after it ran. */
export function answeringPattern(c: Context<AppEnv>): string {
  return routePath(c);
}

/**
 * On /app/*: after the page answered, a full-page GET that answered 200 to a signed-in user is a page
 * view of its route pattern (htmx fragments are not); features the route tracked are added. Auth is read
 * after next(), since pages that check the session in their own batch set it inside the handler.
 */
export const recordUsage: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const auth = countedAuth(c);
  if (!auth) return;
  const points: UsagePoint[] = [];
  const pageView = c.req.method === "GET" && c.res.status === 200 && !wantsFragment(c) && isHtml(c.res);
  // The form page shown again because its body could not be read is the failed POST's answer, not a view.
  if (pageView && !showsPageProblem(c.req.raw)) {
    points.push(usagePoint(c, auth, "page", answeringPattern(c)));
  }
  // A route that tracked a feature and then failed (an error page) did not deliver it.
  if (c.res.status < 400) {
    for (const name of c.get("usageFeatures") ?? []) points.push(usagePoint(c, auth, "feature", name));
  }
  writeUsage(c, points);
};

const isHtml = (res: Response) => (res.headers.get("Content-Type") ?? "").startsWith("text/html");
