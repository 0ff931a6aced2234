/**
 * /app/settings/billing: the owner's plan page, and the two ways to Stripe (Checkout to upgrade,
 * the Customer Portal to manage). Owners only: billing decides what the workspace pays.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { createDb } from "../../../db/client";
import { scoped, type TenantDb } from "../../../db/scoped";
import type { AppEnv } from "../../../env";
import { requireRole, roleAtLeast } from "../../../middleware/session";
import { errorResponse } from "../../../lib/errors";
import { appBaseUrl } from "../../../lib/mail";
import { render } from "../../../lib/render";
import { requestMeta } from "../../../lib/request";
import { billingConfig, stripeFromEnv } from "../../../lib/stripe";
import { parseForm } from "../../../lib/validation";
import { getBillingOverview } from "../../../services/billing/overview";
import { openPortal, startCheckout } from "../../../services/billing/checkout";
import { BillingPage, type BillingPageProps } from "../../../../views/pages/settings/BillingPage";
import { actorOf, authOf, controlOf } from "../../context";

/** Mounted at /app/settings/billing (src/app.ts requires a signed-in user there). */
export const billingRoutes = new Hono<AppEnv>();

const checkoutSchema = z.object({ interval: z.enum(["monthly", "yearly"], { error: "Choose monthly or yearly." }) });

/**
 * The billing page's own CSP: the site's policy (src/middleware/security-headers.ts) with Stripe's
 * Checkout and portal origins added to form-action, because browsers check form-action against
 * the redirect our form post answers with. Only this page's forms may lead there.
 * test/billing/billing-page.test.ts checks that it differs from the site's policy in nothing else.
 */
function billingPageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The workspace read from the control database's primary ('first-primary'), as pages that must be current do
 * (docs: design card, read replicas): a replica behind the webhook would show Free and the Upgrade buttons to an
 * owner who has just paid. Writes keep going through the request's own session, which tracks the bookmark.
 */
function currentOf(c: Context<AppEnv>): TenantDb {
  const primary = createDb(c.env.DB.withSession("first-primary"));
  return scoped(c.get("recordsDb") ?? primary, authOf(c).tenant.id, primary);
}

async function billingPage(
  c: Context<AppEnv>,
  extra: Pick<BillingPageProps, "alert" | "notice"> = {},
  status: ContentfulStatusCode = 200,
) {
  const auth = authOf(c);
  const config = billingConfig(c.env);
  const overview = await getBillingOverview(currentOf(c), config, Date.now());
  if (!overview) return errorResponse(c, 404);
  const nonce = c.get("secureHeadersNonce");
  if (nonce) c.set("cspOverride", billingPageCsp(nonce));
  return render(
    c,
    "Billing",
    <BillingPage
      {...overview}
      configured={config.configured}
      trialDays={config.trialDays}
      limits={config.limits}
      displayPrices={config.displayPrices}
      canSeeAudit={roleAtLeast(auth.role, "admin")}
      {...extra}
    />,
    status,
  );
}

const NOT_CONFIGURED = "Billing is not configured on this server, so the plan cannot be changed here.";
const STRIPE_DOWN = "We could not reach Stripe just now. Nothing was charged or changed; please try again in a minute.";

/** Logs a failed Stripe call (type and code only: Stripe's messages can echo customer details). */
function logStripeError(c: Context<AppEnv>, op: string, err: unknown) {
  const e = err as { type?: unknown; code?: unknown; statusCode?: unknown };
  console.error(
    JSON.stringify({
      type: "stripe_error",
      requestId: c.get("requestId"),
      op,
      errorType: String(e?.type ?? "unknown"),
      code: e?.code ?? null,
      status: e?.statusCode ?? null,
    }),
  );
}

billingRoutes.get("/", requireRole("owner"), (c) => {
  const checkout = c.req.query("checkout");
  return billingPage(c, { notice: checkout === "success" || checkout === "cancelled" ? checkout : null });
});

billingRoutes.post("/checkout", requireRole("owner"), async (c) => {
  const auth = authOf(c);
  const config = billingConfig(c.env);
  const stripe = stripeFromEnv(c.env);
  if (!config.configured || !stripe) return billingPage(c, { alert: NOT_CONFIGURED }, 503);
  const parsed = parseForm(checkoutSchema, await c.req.parseBody());
  if (!parsed.ok) return billingPage(c, { alert: parsed.errors.interval ?? "Choose monthly or yearly." }, 422);
  let result: Awaited<ReturnType<typeof startCheckout>>;
  try {
    result = await startCheckout(
      controlOf(c),
      stripe,
      { interval: parsed.data.interval, owner: { id: auth.user.id, email: auth.user.email } },
      config,
      { ...requestMeta(c), baseUrl: appBaseUrl(c) },
    );
  } catch (err) {
    logStripeError(c, "checkout", err);
    return billingPage(c, { alert: STRIPE_DOWN }, 502);
  }
  if (!result.ok) {
    if (result.reason === "pending")
      return billingPage(
        c,
        {
          alert:
            "Stripe already has a subscription for this workspace, and your payment is being confirmed. Nothing more was charged: refresh this page in a minute.",
        },
        409,
      );
    if (result.reason === "already_subscribed")
      return billingPage(
        c,
        { alert: "This workspace already has a subscription. Use Manage billing to change or cancel it." },
        409,
      );
    return billingPage(c, { alert: NOT_CONFIGURED }, 503);
  }
  return c.redirect(result.url, 303);
});

billingRoutes.post("/portal", requireRole("owner"), async (c) => {
  const stripe = stripeFromEnv(c.env);
  if (!billingConfig(c.env).configured || !stripe) return billingPage(c, { alert: NOT_CONFIGURED }, 503);
  let result: Awaited<ReturnType<typeof openPortal>>;
  try {
    result = await openPortal(controlOf(c), stripe, { ...actorOf(c), baseUrl: appBaseUrl(c) });
  } catch (err) {
    logStripeError(c, "portal", err);
    return billingPage(c, { alert: STRIPE_DOWN }, 502);
  }
  if (!result.ok)
    return billingPage(
      c,
      { alert: "There is no billing account for this workspace yet. Choose a plan under Upgrade to Team first." },
      409,
    );
  return c.redirect(result.url, 303);
});
