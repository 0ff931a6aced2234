import type { MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";
import { withAnalyticsSources } from "../lib/analytics-consent";
import { carriesToken, setResponseHeader } from "../lib/request";

/**
 * Security headers on every response the Worker makes. Scripts run only from our own origin and
 * carry a per-response nonce; nothing inline, nothing eval'd. Static files get theirs from
 * public/_headers.
 */
const standardHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  referrerPolicy: "strict-origin-when-cross-origin",
  crossOriginOpenerPolicy: "same-origin",
  crossOriginResourcePolicy: "same-origin",
  xFrameOptions: "DENY",
  xContentTypeOptions: "nosniff",
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
});

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await standardHeaders(c, next);
  // A response that is not one of our pages (an email's HTML in the dev viewer) may ask for a
  // stricter policy of its own.
  const override = c.get("cspOverride");
  if (override) c.res.headers.set("Content-Security-Policy", override);
  // A public page that loads Google Analytics for a consenting visitor (render() decides, see
  // src/lib/analytics-consent.ts) allows GA's hosts; no other response ever does.
  const analyticsOrigin = c.get("cspAnalyticsOrigin");
  const csp = c.res.headers.get("Content-Security-Policy");
  if (analyticsOrigin && !override && csp)
    c.res.headers.set("Content-Security-Policy", withAnalyticsSources(csp, analyticsOrigin));
};

/** Authenticated pages must never be kept by the browser or a proxy. */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  setResponseHeader(c, "Cache-Control", "no-store");
};

/**
 * Pages whose URL carries an emailed token (TOKEN_ROUTES), and the login page on its way back to one,
 * are never stored: a shared computer's cache or a proxy would keep the token with the page.
 */
export const noStoreOnTokenPages: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const back = c.req.query("next");
  if (carriesToken(c.req.path) || (back !== undefined && carriesToken(back.split(/[?#]/)[0]!)))
    setResponseHeader(c, "Cache-Control", "no-store");
};
