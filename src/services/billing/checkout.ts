/**
 * The two ways to Stripe from the billing page: Checkout to subscribe to the Team plan, and the
 * Customer Portal to manage a subscription (payment method, invoices, plan, cancel).
 */
import type Stripe from "stripe";
import type { TenantDb } from "../../db/scoped";
import { tenantBilling } from "../../db/schema";
import type { Actor, RequestMeta } from "../../lib/actor";
import type { BillingConfig, BillingInterval } from "../../lib/stripe";
import type { BaseUrl } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { type BillingOwner, ensureCustomer } from "./customers";
import { getBillingOverview } from "./overview";

export type CheckoutResult =
  | { ok: true; url: string }
  /** already_subscribed: our state says so; pending: Stripe has a subscription its webhook has not told us of yet. */
  | { ok: false; reason: "already_subscribed" | "pending" | "no_price" };

/** Statuses of a subscription that no longer bills and never will again. */
const ENDED = new Set(["canceled", "incomplete_expired"]);

/**
 * Starts Stripe Checkout for the Team plan: creates (or reuses) the customer, then a subscription-
 * mode session with the trial when the tenant has never subscribed, unless Stripe already has a live
 * subscription for the customer. The caller redirects to `url`.
 */
export async function startCheckout(
  t: TenantDb,
  stripe: Stripe,
  input: { interval: BillingInterval; owner: BillingOwner },
  config: BillingConfig,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CheckoutResult> {
  const { tenantId } = t;
  const price = config.prices[input.interval];
  if (!price) return { ok: false, reason: "no_price" };
  const overview = await getBillingOverview(t, config, meta.now);
  // A tenant with a live subscription changes plan in the portal; a second one would bill twice.
  if (overview && overview.state !== "free") return { ok: false, reason: "already_subscribed" };

  const customer = await ensureCustomer(t, stripe, input.owner, meta);
  // Stripe first: our state changes only when the webhook lands, and until then (the owner back from paying,
  // a delivery late or failing) a second checkout would start a second subscription, and its trial again.
  const existing = await stripe.subscriptions.list({ customer, status: "all", limit: 100 });
  if (existing.data.some((sub) => !ENDED.has(sub.status))) return { ok: false, reason: "pending" };
  // A subscription that lapsed unpaid never started; any other, or any trial, used the one trial up.
  const hadOne = existing.data.some((sub) => sub.status !== "incomplete_expired" || sub.trial_end !== null);
  const trial = Boolean(overview?.trialAvailable) && !hadOne;
  // An earlier Checkout page still open (another tab, yesterday's) closes: paying on both made two subscriptions.
  const open = await stripe.checkout.sessions.list({ customer, status: "open", limit: 20 });
  for (const earlier of open.data) await stripe.checkout.sessions.expire(earlier.id).catch(() => undefined);
  const back = `${meta.baseUrl}/app/settings/billing`;
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    // For reading Stripe's dashboard only: webhooks find the tenant by the customer id.
    client_reference_id: tenantId,
    metadata: { tenant_id: tenantId },
    line_items: [{ price, quantity: 1 }],
    subscription_data: {
      metadata: { tenant_id: tenantId },
      ...(trial ? { trial_period_days: config.trialDays } : {}),
    },
    success_url: `${back}?checkout=success`,
    cancel_url: `${back}?checkout=cancelled`,
  });
  if (!session.url) throw new Error("billing: Stripe returned a checkout session without a URL");
  await auditInsert(t.db, {
    tenantId,
    actorUserId: input.owner.id,
    action: "billing.checkout_started",
    targetType: "stripe_checkout_session",
    targetId: session.id,
    detail: { interval: input.interval, trial },
    ...meta,
  });
  return { ok: true, url: session.url };
}

export type PortalResult = { ok: true; url: string } | { ok: false; reason: "no_customer" };

/** A Customer Portal session for the tenant's stored customer, opened by `actor`. */
export async function openPortal(
  t: TenantDb,
  stripe: Stripe,
  actor: Actor & { baseUrl: BaseUrl },
): Promise<PortalResult> {
  const [row] = await t.db
    .select({ customerId: tenantBilling.stripeCustomerId })
    .from(tenantBilling)
    .where(t.where(tenantBilling))
    .limit(1);
  if (!row?.customerId) return { ok: false, reason: "no_customer" };
  const session = await stripe.billingPortal.sessions.create({
    customer: row.customerId,
    return_url: `${actor.baseUrl}/app/settings/billing`,
  });
  await auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "billing.portal_opened",
    targetType: "stripe_customer",
    targetId: row.customerId,
    ...actor,
  });
  return { ok: true, url: session.url };
}
