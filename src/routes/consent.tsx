/** /consent: accepting or rejecting analytics cookies, from the banner or the cookie settings on /cookies. */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { hit, LIMITS } from "../auth/rate-limit";
import {
  analyticsConfig,
  clearAnalyticsCookies,
  newConsentId,
  readConsent,
  setConsentCookie,
} from "../lib/analytics-consent";
import { errorResponse } from "../lib/errors";
import { COOKIE_POLICY_VERSION } from "../lib/legal";
import { wantsFragment } from "../lib/render";
import { clientIp } from "../lib/request";
import { safeNextPath } from "../lib/validation";
import { recordConsent } from "../services/privacy/consent-records";
import { ConsentBannerAnswer, CookieSettings } from "../../views/components/Consent";

/** Mounted at /consent. */
export const consentRoutes = new Hono<AppEnv>();

/**
 * Each choice is a new row of the consent record under the browser's consent id. Without JavaScript:
 * back to the page. With htmx: only the banner or the settings section is replaced, and an
 * `analytics-consent` event tells analytics.js (where GA already runs) to stop after a rejection.
 */
consentRoutes.post("/", async (c) => {
  const body = await c.req.parseBody();
  const analytics = body.analytics === "accept" ? "accepted" : body.analytics === "reject" ? "rejected" : null;
  if (!analytics) return errorResponse(c, 400);
  const limited = await hit(c.get("db"), LIMITS.consentPerIp, clientIp(c) ?? "unknown", Date.now());
  if (!limited.allowed) {
    c.header("Retry-After", String(limited.retryAfter));
    return errorResponse(c, 429, { retryAfterSeconds: limited.retryAfter });
  }
  const config = analyticsConfig(c.env);
  const id = readConsent(c)?.id ?? newConsentId();
  await recordConsent(c.get("db"), {
    consentId: id,
    analytics,
    policyVersion: COOKIE_POLICY_VERSION,
    userId: c.get("auth")?.user.id ?? null,
    now: Date.now(),
  });
  setConsentCookie(c, id, analytics);
  if (analytics === "rejected") clearAnalyticsCookies(c, config);

  if (wantsFragment(c)) {
    c.header("HX-Trigger", JSON.stringify({ "analytics-consent": analytics }));
    if (c.req.header("HX-Target") === "cookie-settings") {
      return c.html(
        <CookieSettings
          configured={config !== null}
          analytics={analytics}
          back={safeNextPath(body.back, "/cookies")}
          saved
        />,
      );
    }
    return c.html(<ConsentBannerAnswer analytics={analytics} />);
  }
  return c.redirect(safeNextPath(body.back, "/"), 303);
});
