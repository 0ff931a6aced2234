/** The contact form, the analytics consent choice, and dismissing the privacy-policy notice. */
import { Hono } from "hono";
import { z } from "zod";
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
import { hashIp } from "../lib/ip-hash";
import { COOKIE_POLICY_VERSION, PRIVACY_VERSION } from "../lib/legal";
import { deliverSoon } from "../lib/mail";
import { render, wantsFragment } from "../lib/render";
import { clientIp } from "../lib/request";
import { email, formValue, parseForm, safeNextPath, text } from "../lib/validation";
import { requireRole } from "../middleware/session";
import { markPrivacyNoticeSeen, recordConsent } from "../services/privacy/consent-records";
import { submitSupportMessage } from "../services/support/messages";
import { ConsentBannerAnswer, CookieSettings } from "../../views/components/Consent";
import { PrivacyNotice } from "../../views/components/PrivacyNotice";
import { CONTACT_LIMITS, ContactPage, ContactSentPage } from "../../views/pages/public/ContactPage";

export const privacyRoutes = new Hono<AppEnv>();

// ---- /contact ---------------------------------------------------------------------------------

const contactSchema = z.object({
  name: text("Your name", { min: 1, max: CONTACT_LIMITS.name }),
  email: email("Enter your email address, so that we can reply."),
  message: text("Your message", { min: 1, max: CONTACT_LIMITS.message }).refine(
    (s) => s.length === 0 || s.length >= CONTACT_LIMITS.messageMin,
    {
      error: `Please write a little more: at least ${CONTACT_LIMITS.messageMin} characters.`,
    },
  ),
});

privacyRoutes.get("/contact", (c) => {
  if (c.req.query("sent") !== undefined) return render(c, "Message sent", <ContactSentPage />);
  const auth = c.get("auth");
  return render(
    c,
    "Contact us",
    <ContactPage values={{ name: "", email: auth?.user.email ?? "", message: "" }} errors={{}} />,
  );
});

privacyRoutes.post("/contact", async (c) => {
  const body = await c.req.parseBody();
  // A filled honeypot is a bot: it gets the same answer as a person, and nothing is stored or sent.
  if (formValue(body, "contact_ref") !== "") return c.redirect("/contact?sent", 303);

  const values = {
    name: formValue(body, "name"),
    email: formValue(body, "email"),
    message: formValue(body, "message"),
  };
  const parsed = parseForm(contactSchema, body);
  if (!parsed.ok) return render(c, "Contact us", <ContactPage values={values} errors={parsed.errors} />, 422);

  const ip = clientIp(c);
  const result = await submitSupportMessage(c.get("db"), parsed.data, {
    ip,
    ipHash: await hashIp(c.env.IP_HASH_KEY, ip),
    supportEmail: c.env.SUPPORT_EMAIL?.trim() || null,
    now: Date.now(),
  });
  if (!result.ok) {
    c.header("Retry-After", String(result.retryAfter));
    return render(
      c,
      "Contact us",
      <ContactPage values={values} errors={{}} rateLimitedMinutes={Math.ceil(result.retryAfter / 60)} />,
      429,
    );
  }
  deliverSoon(c, result.mailIds);
  return c.redirect("/contact?sent", 303);
});

// ---- analytics consent ------------------------------------------------------------------------

/**
 * Accept or reject analytics cookies, from the banner or the cookie settings. Each choice is a new
 * row of the consent record under the browser's consent id. Without JavaScript: back to the page.
 * With htmx: only the banner or the settings section is replaced, and an `analytics-consent`
 * event tells analytics.js (where GA already runs) to stop after a rejection.
 */
privacyRoutes.post("/consent", async (c) => {
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

// ---- the privacy-policy notice ----------------------------------------------------------------

/**
 * Dismisses the notice for the version it showed. A notice rendered before the policy changed
 * again dismisses nothing: the newer notice comes back in its place.
 */
privacyRoutes.post("/app/privacy-notice", requireRole("viewer"), async (c) => {
  const auth = c.get("auth")!;
  const body = await c.req.parseBody();
  const current = body.version === PRIVACY_VERSION;
  if (current) await markPrivacyNoticeSeen(c.get("db"), auth.user.id, PRIVACY_VERSION, Date.now());
  const back = safeNextPath(body.back, "/app");
  if (wantsFragment(c)) return current ? c.html("") : c.html(<PrivacyNotice version={PRIVACY_VERSION} back={back} />);
  return c.redirect(back, 303);
});
