/**
 * Analytics consent and Google Analytics. GA loads only when all of these hold:
 * - a measurement id is configured (GA_MEASUREMENT_ID);
 * - the page is one of our public marketing pages (ANALYTICS_PATHS: never /app, never a page with a
 *   token in its URL, never a form's error page), requested with GET and answered 200;
 * - nobody is signed in (a signed-in page carries the user's email and workspace name);
 * - the browser's consent cookie says "accepted" under the current cookie policy.
 * Only then does the page carry the loader tag (with the CSP nonce) and a CSP that allows GA's hosts.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { AppEnv, Bindings } from "../env";
import type { ConsentChoice } from "../db/schema";
import { COOKIES } from "./cookies";
import { COOKIE_POLICY_VERSION, isPolicyVersion } from "./legal";

export const DEFAULT_GA_SCRIPT_ORIGIN = "https://www.googletagmanager.com";

/** Public pages where analytics may run (and where the consent banner asks). */
export const ANALYTICS_PATHS: ReadonlySet<string> = new Set([
  "/",
  "/privacy",
  "/terms",
  "/cookies",
  "/contact",
  "/signup",
]);

/** The hosts GA4 needs, per Google's CSP guide; allowed only on pages that load GA. */
const GA_CSP_SOURCES = {
  "script-src": ["https://www.googletagmanager.com"],
  "img-src": ["https://*.google-analytics.com", "https://*.googletagmanager.com"],
  "connect-src": ["https://*.google-analytics.com", "https://*.analytics.google.com", "https://*.googletagmanager.com"],
} as const;

const MEASUREMENT_ID = /^G-[A-Z0-9]{4,20}$/;
const CONSENT_ID = /^[A-Za-z0-9_-]{22}$/;

export interface AnalyticsConfig {
  measurementId: string;
  /** The origin the loader comes from (GA_SCRIPT_ORIGIN). */
  scriptOrigin: string;
}

/** GA's configuration, or null when analytics is off (no id, or a malformed id or origin: fail closed). */
export function analyticsConfig(env: Bindings): AnalyticsConfig | null {
  const id = env.GA_MEASUREMENT_ID?.trim() ?? "";
  if (!MEASUREMENT_ID.test(id)) return null;
  let scriptOrigin = DEFAULT_GA_SCRIPT_ORIGIN;
  if (env.GA_SCRIPT_ORIGIN) {
    try {
      const url = new URL(env.GA_SCRIPT_ORIGIN);
      if (url.protocol !== "https:" && url.protocol !== "http:") return null;
      scriptOrigin = url.origin;
    } catch {
      return null;
    }
  }
  return { measurementId: id, scriptOrigin };
}

/** The URL of GA's loader for this configuration. */
export function gaLoaderUrl(cfg: AnalyticsConfig): string {
  return `${cfg.scriptOrigin}/gtag/js?id=${encodeURIComponent(cfg.measurementId)}`;
}

export interface ConsentState {
  /** The random id of this browser's consent record. */
  id: string;
  analytics: ConsentChoice;
  /** False when the choice was made under an older cookie policy: it is asked again. */
  current: boolean;
}

/** Reads the consent cookie (`<id>.<choice>.<policy version>`); null when absent or malformed. */
export function readConsent(c: Context<AppEnv>): ConsentState | null {
  const value = getCookie(c, COOKIES.consent.name);
  if (!value) return null;
  const [id, choice, version, ...rest] = value.split(".");
  if (
    rest.length > 0 ||
    !id ||
    !CONSENT_ID.test(id) ||
    (choice !== "accepted" && choice !== "rejected") ||
    !isPolicyVersion(version)
  )
    return null;
  return { id, analytics: choice, current: version === COOKIE_POLICY_VERSION };
}

/** A new random consent id (128 bits). */
export function newConsentId(): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(16)));
}

/** Stores the choice in the browser: HttpOnly, Secure, SameSite=Lax, host-only (`__Host-`). */
export function setConsentCookie(c: Context<AppEnv>, id: string, analytics: ConsentChoice): void {
  setCookie(c, COOKIES.consent.name, `${id}.${analytics}.${COOKIE_POLICY_VERSION}`, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: COOKIES.consent.maxAge,
  });
}

/** The names of GA's cookies for this configuration (from COOKIES, with the id filled in). */
export function gaCookieNames(cfg: AnalyticsConfig | null): string[] {
  const names: string[] = [COOKIES.gaClient.name];
  if (cfg) names.push(COOKIES.gaSession.name.replace("<id>", cfg.measurementId.replace(/^G-/, "")));
  return names;
}

/**
 * Removes GA's cookies after a rejection. analytics.js asks GA for host-only cookies
 * (cookie_domain "none"); the second form also removes any set for this host as a domain.
 */
export function clearAnalyticsCookies(c: Context<AppEnv>, cfg: AnalyticsConfig | null): void {
  const host = new URL(c.req.url).hostname;
  for (const name of gaCookieNames(cfg)) {
    if (getCookie(c, name) === undefined) continue;
    deleteCookie(c, name, { path: "/" });
    deleteCookie(c, name, { path: "/", domain: host });
  }
}

/** Whether this response should load GA: see the module comment for every condition. */
export function analyticsForPage(c: Context<AppEnv>, status: number): AnalyticsConfig | null {
  if (status !== 200 || c.req.method !== "GET" || !ANALYTICS_PATHS.has(c.req.path) || c.get("auth")) return null;
  const cfg = analyticsConfig(c.env);
  if (!cfg) return null;
  const consent = readConsent(c);
  return consent?.current && consent.analytics === "accepted" ? cfg : null;
}

/**
 * Whether this page shows the consent banner: analytics is configured, the page is one where it
 * could run, the visitor is signed out and has not chosen under the current policy. /cookies has
 * the same choice in its own section instead.
 */
export function consentBannerWanted(c: Context<AppEnv>): boolean {
  if (!ANALYTICS_PATHS.has(c.req.path) || c.req.path === "/cookies" || c.get("auth")) return false;
  if (!analyticsConfig(c.env)) return false;
  return !readConsent(c)?.current;
}

/** Adds GA's hosts (and a non-default loader origin) to a CSP header value. */
export function withAnalyticsSources(csp: string, scriptOrigin: string): string {
  const extra: Record<string, readonly string[]> = { ...GA_CSP_SOURCES };
  if (scriptOrigin !== DEFAULT_GA_SCRIPT_ORIGIN) {
    extra["script-src"] = [...GA_CSP_SOURCES["script-src"], scriptOrigin];
    extra["connect-src"] = [...GA_CSP_SOURCES["connect-src"], scriptOrigin];
  }
  const seen = new Set<string>();
  const directives = csp
    .split(";")
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => {
      const name = d.split(/\s+/, 1)[0]!;
      seen.add(name);
      return extra[name] ? `${d} ${extra[name].join(" ")}` : d;
    });
  for (const [name, sources] of Object.entries(extra))
    if (!seen.has(name)) directives.push(`${name} 'self' ${sources.join(" ")}`);
  return directives.join("; ");
}
