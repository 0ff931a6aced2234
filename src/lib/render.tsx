/** Picks a full page or an htmx fragment for a view. Handlers call this; views stay pure. */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { assets } from "../generated/assets";
import { FormAlert } from "../../views/components/Field";
import { Layout } from "../../views/layouts/Layout";
import { RESTORE_NOTES, type RestoreNote, TrashRestored, TrashUndo } from "../../views/pages/trash/TrashPage";
import { renderInZone } from "../../views/lib/time";
import { analyticsForPage, consentBannerWanted, gaLoaderUrl } from "./analytics-consent";
import { PRIVACY_VERSION, needsPrivacyNotice } from "./legal";
import { routePath } from "hono/route";
import { isPagePattern } from "./page-patterns";

/** True for htmx requests that want a fragment (not boosted navigation, which wants the page). */
export function wantsFragment(c: Context<AppEnv>): boolean {
  return c.req.header("HX-Request") === "true" && c.req.header("HX-Boosted") !== "true";
}

// Requests made only to show a page again with a message at its top (src/middleware/form-body.tsx).
const pageProblems = new WeakMap<Request, string>();

/** Marks a request whose page is to show `message` at its top, and returns it. */
export function withPageProblem(request: Request, message: string): Request {
  pageProblems.set(request, message);
  return request;
}

/** Whether a request only shows a page again for a message (a form that could not be read): not a page view. */
export function showsPageProblem(request: Request): boolean {
  return pageProblems.has(request);
}

/** After a move to the trash (?trashed=<item>) its Undo, after a restore (?restored=) a word: on any page. */
function withTrashFlash(c: Context<AppEnv>, page: Child): Child {
  if (!c.get("auth")) return page;
  const trashed = c.req.query("trashed");
  const restored = c.req.query("restored");
  if (trashed && /^[1-9]\d{0,15}$/.test(trashed))
    return (
      <>
        <TrashUndo id={Number(trashed)} />
        {page}
      </>
    );
  // ?restored=1, or what came back differently (notes joined by dots).
  const notes = (restored ?? "")
    .split(".")
    .filter((n): n is RestoreNote => (RESTORE_NOTES as readonly string[]).includes(n));
  if (restored === "1" || notes.length > 0)
    return (
      <>
        <TrashRestored notes={notes} />
        {page}
      </>
    );
  return page;
}

/** Renders a view inside the layout, or alone (with its title) for an htmx fragment request. */
export function render(c: Context<AppEnv>, title: string, page: Child, status: ContentfulStatusCode = 200) {
  const appName = c.env.APP_NAME ?? "CustomerTrackr";
  const problem = pageProblems.get(c.req.raw);
  const withProblem = problem ? (
    <>
      <FormAlert>
        <p>{problem}</p>
      </FormAlert>
      {page}
    </>
  ) : (
    page
  );
  const body = withTrashFlash(c, withProblem);
  if (wantsFragment(c)) {
    return c.html(
      inReaderZone(
        c,
        <>
          <title>{`${title} · ${appName}`}</title>
          {body}
        </>,
      ),
      status,
    );
  }
  const auth = c.get("auth");
  const analytics = analyticsForPage(c, status);
  if (analytics) c.set("cspAnalyticsOrigin", analytics.scriptOrigin);
  return c.html(
    inReaderZone(
      c,
      <Layout
        title={title}
        appName={appName}
        assets={assets}
        nonce={c.get("secureHeadersNonce") ?? ""}
        theme={c.get("theme") ?? "system"}
        path={c.req.path}
        usageRoute={usageRouteOf(c, status)}
        analytics={
          analytics
            ? { loaderSrc: gaLoaderUrl(analytics), initSrc: assets.analytics, measurementId: analytics.measurementId }
            : null
        }
        consentBanner={consentBannerWanted(c)}
        hasErrors={status >= 400 && status < 500}
        privacyNotice={auth && !auth.support && needsPrivacyNotice(auth.user) ? { version: PRIVACY_VERSION } : null}
        support={
          auth?.support
            ? {
                staffName: auth.support.staffName,
                access: auth.support.access,
                expiresAt: `${new Date(auth.support.expiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC`,
                exitHref: `/staff/workspaces/${auth.tenant.id}`,
              }
            : null
        }
        user={
          auth
            ? {
                email: auth.user.email,
                tenantId: auth.tenant.id,
                tenantName: auth.tenant.name,
                role: auth.role,
                verified: auth.user.emailVerifiedAt !== null,
                billingState: auth.tenant.billingState,
                closed: auth.tenant.closedAt !== null,
              }
            : null
        }
      >
        {body}
      </Layout>,
    ),
    status,
  );
}

/**
 * The route pattern the time-spent script reports for this page (a signed-in member's app page that
 * answers 200, not the support view's), or null: the pattern of the handler rendering it, only when it is one of the app's pages.
 */
function usageRouteOf(c: Context<AppEnv>, status: number): string | null {
  const auth = c.get("auth");
  // Staff in the support view are not the workspace's users: their time is not its usage.
  if (status !== 200 || !auth || auth.support) return null;
  const pattern = routePath(c);
  return isPagePattern(pattern) ? pattern : null;
}

/**
 * A view whose times and dates (Time, CalendarDate) read in the signed-in user's zone and locale; for
 * anyone else in UTC, written ISO-like.
 */
export function inReaderZone(c: Context<AppEnv>, view: { toString(): string }) {
  // A JSX element renders when turned into a string: that is when Time reads the zone.
  const user = c.get("auth")?.user;
  return renderInZone({ zone: user?.timeZone ?? "UTC", locale: user?.locale ?? null }, () => view.toString());
}
