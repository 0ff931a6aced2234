/**
 * Public pages, mounted at "/": the landing page (GET /), GET /healthz, the legal pages GET /privacy,
 * /terms and /cookies (dates and periods from src/lib/legal.ts), and POST /preferences/theme.
 * The contact form and the consent choice have their own files (contact.tsx, consent.tsx).
 */
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { sql } from "drizzle-orm";
import type { AppEnv, Theme } from "../env";
import { COOKIES, cookieLifetime } from "../lib/cookies";
import { analyticsConfig, readConsent } from "../lib/analytics-consent";
import { LEGAL_DATES } from "../lib/legal";
import { retentionPeriods } from "../lib/retention-periods";
import { usageDisclosure } from "../services/usage/definitions";
import { errorResponse } from "../lib/errors";
import { render } from "../lib/render";
import { billingConfig } from "../lib/stripe";
import { safeNextPath } from "../lib/validation";
import { THEMES } from "../middleware/theme";
import { LandingPage } from "../../views/pages/public/LandingPage";
import { CookiesPage, PrivacyPage, TermsPage } from "../../views/pages/public/LegalPages";

/** Mounted at /. */
export const publicRoutes = new Hono<AppEnv>();

publicRoutes.get("/", (c) => {
  const plans = billingConfig(c.env);
  // Unconfigured, the app sells nothing and limits nothing: the page must not offer prices, a trial or limits.
  const pricing = plans.configured
    ? {
        freeMaxSeats: plans.freeMaxSeats,
        freeMaxContacts: plans.freeMaxContacts,
        trialDays: plans.trialDays,
        ...plans.displayPrices,
      }
    : null;
  return render(c, "Customer relationships, fast", <LandingPage signedIn={Boolean(c.get("auth"))} pricing={pricing} />);
});

publicRoutes.get("/healthz", async (c) => {
  await c.get("db").run(sql`SELECT 1`);
  c.header("Cache-Control", "no-store");
  return c.json({ ok: true });
});

// The periods in force (configured, else RETENTION): the same values the closure and retention job use.
publicRoutes.get("/privacy", (c) =>
  render(
    c,
    "Privacy policy",
    <PrivacyPage updated={LEGAL_DATES.privacy} retention={retentionPeriods(c.env)} usage={usageDisclosure()} />,
  ),
);
publicRoutes.get("/terms", (c) =>
  render(
    c,
    "Terms of service",
    <TermsPage updated={LEGAL_DATES.terms} closureGraceDays={retentionPeriods(c.env).closureGraceDays} />,
  ),
);
publicRoutes.get("/cookies", (c) => {
  const consent = readConsent(c);
  const settings = {
    configured: analyticsConfig(c.env) !== null,
    analytics: consent?.current ? consent.analytics : null,
    back: "/cookies#cookie-settings",
  };
  return render(
    c,
    "Cookies",
    <CookiesPage
      updated={LEGAL_DATES.cookies}
      cookies={Object.values(COOKIES).map((k) => ({ ...k, lifetime: cookieLifetime(k) }))}
      usage={usageDisclosure()}
      settings={settings}
    />,
  );
});

publicRoutes.post("/preferences/theme", async (c) => {
  const body = await c.req.parseBody();
  const theme = body.theme;
  if (typeof theme !== "string" || !THEMES.includes(theme as Theme)) return errorResponse(c, 400);
  setCookie(c, COOKIES.theme.name, theme, { path: "/", secure: true, sameSite: "Lax", maxAge: COOKIES.theme.maxAge });
  return c.redirect(safeNextPath(body.back, "/"), 303);
});
