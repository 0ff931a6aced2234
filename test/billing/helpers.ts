/**
 * Billing test helpers: Stripe's side (the local fake's subscriptions and request record), signed
 * webhook deliveries made with the real SDK, and direct reads of what the app stored.
 */
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { inject } from "vitest";
import { send, type SendOptions } from "../helpers/http";

export const FAKE = () => `http://127.0.0.1:${inject("fakeApiPort")}`;
export const PRICE_MONTHLY = "price_test_team_monthly";
export const PRICE_YEARLY = "price_test_team_yearly";
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export interface StripeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** What the fake Stripe API received, optionally only for one path prefix. */
export async function stripeRequests(pathPrefix = "/v1/"): Promise<StripeRequest[]> {
  const all = (await (await fetch(`${FAKE()}/__received`)).json()) as {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string;
  }[];
  return all
    .filter((r) => r.path.startsWith(pathPrefix))
    .map((r) => ({
      method: r.method,
      path: r.path,
      headers: r.headers,
      params: Object.fromEntries(new URLSearchParams(r.body)),
    }));
}

export interface SubscriptionSpec {
  id: string;
  customer: string;
  status: "trialing" | "active" | "past_due" | "unpaid" | "canceled" | "incomplete" | "incomplete_expired" | "paused";
  price?: string;
  periodEnd?: number;
  trialEnd?: number | null;
  cancelAtPeriodEnd?: boolean;
  /** Unix seconds: a cancellation scheduled for a date of the owner's choosing (not the period's end). */
  cancelAt?: number | null;
}

/** A subscription as Stripe's API returns it (current API: period dates on the items). */
export function subscriptionObject(s: SubscriptionSpec) {
  const periodEnd = s.periodEnd ?? Math.floor(Date.now() / 1000) + 30 * 86_400;
  return {
    id: s.id,
    object: "subscription",
    customer: s.customer,
    status: s.status,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    cancel_at: s.cancelAt ?? null,
    trial_end: s.trialEnd ?? null,
    items: {
      object: "list",
      data: [
        {
          id: `si_${s.id}`,
          object: "subscription_item",
          price: { id: s.price ?? PRICE_MONTHLY, object: "price" },
          current_period_start: periodEnd - 30 * 86_400,
          current_period_end: periodEnd,
          quantity: 1,
        },
      ],
    },
    metadata: {},
  };
}

/** Sets what GET /v1/subscriptions/:id answers from now on. */
export async function stripeHasSubscription(s: SubscriptionSpec): Promise<void> {
  const res = await fetch(`${FAKE()}/__stripe/subscriptions`, {
    method: "POST",
    body: JSON.stringify(subscriptionObject(s)),
  });
  if (!res.ok) throw new Error(`fake refused the subscription: ${res.status}`);
}

let eventSeq = 0;
/** A Stripe event envelope around `object`. `created` is Unix seconds. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  opts: { id?: string; created?: number } = {},
) {
  eventSeq += 1;
  return {
    id: opts.id ?? `evt_test_${Date.now().toString(36)}_${eventSeq}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: opts.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export const WEBHOOK_SECRET = "whsec_test_customertrackr_fake";

/** The Stripe-Signature header for a payload, made by the SDK the way Stripe signs. */
export function signature(payload: string, opts: { secret?: string; timestamp?: number } = {}): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp,
    cryptoProvider,
  });
}

/** Delivers a webhook as Stripe does: no Origin, no cookie, JSON body and its signature. */
export async function deliver(payload: string, sig: string | null, opts: SendOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
  };
  if (sig !== null) headers["Stripe-Signature"] = sig;
  return send("/webhooks/stripe", { ...opts, method: "POST", body: payload, headers, origin: null });
}

/** Signs and delivers an event object. */
export async function deliverEvent(event: object, opts: SendOptions = {}): Promise<Response> {
  const payload = JSON.stringify(event, null, 2);
  return deliver(payload, await signature(payload), opts);
}

export interface BillingRow {
  tenant_id: string;
  state: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  price_id: string | null;
  current_period_end: number | null;
  trial_end: number | null;
  cancel_at_period_end: number;
  first_subscribed_at: number | null;
  synced_event_created: number;
}

/** The tenant's billing row, or null. */
export async function billingRow(tenantId: string): Promise<BillingRow | null> {
  return env.DB.prepare("SELECT * FROM tenant_billing WHERE tenant_id = ?").bind(tenantId).first<BillingRow>();
}

/** Every billing row (to show that nothing changed for anyone). */
export async function allBillingRows(): Promise<BillingRow[]> {
  return (await env.DB.prepare("SELECT * FROM tenant_billing ORDER BY tenant_id").all<BillingRow>()).results;
}

/** Billing audit entries of a tenant, oldest first. */
export async function billingAudit(
  tenantId: string,
): Promise<{ action: string; detail: string | null; actor_user_id: string | null }[]> {
  return (
    await env.DB.prepare(
      "SELECT action, detail, actor_user_id FROM audit_log WHERE tenant_id = ? AND action LIKE 'billing.%' ORDER BY id",
    )
      .bind(tenantId)
      .all<{
        action: string;
        detail: string | null;
        actor_user_id: string | null;
      }>()
  ).results;
}

/** Starts checkout as the owner (so the tenant gets its Stripe customer) and returns the customer id. */
export async function customerFor(
  owner: { cookie: string; tenantId: string },
  interval: "monthly" | "yearly" = "monthly",
): Promise<string> {
  const res = await send("/app/settings/billing/checkout", { cookie: owner.cookie, form: { interval } });
  if (res.status !== 303) throw new Error(`checkout answered ${res.status}: ${await res.text()}`);
  const row = await billingRow(owner.tenantId);
  if (!row?.stripe_customer_id) throw new Error("no customer stored");
  return row.stripe_customer_id;
}

/** A unique subscription id for a test. */
export function newSubscriptionId(): string {
  eventSeq += 1;
  return `sub_test_${Date.now().toString(36)}_${eventSeq}`;
}

/** A Checkout session as the fake Stripe holds it (its status: open, expired). */
export async function stripeSession(id: string): Promise<{ status: string; url: string | null }> {
  return (await fetch(`${FAKE()}/v1/checkout/sessions/${id}`)).json() as Promise<{
    status: string;
    url: string | null;
  }>;
}

let eventClock = 0;
/**
 * Puts `spec` at the fake Stripe and delivers its `customer.subscription.updated`, each newer than the last (the
 * app applies only events at least as new as the last one applied). Returns the subscription's id.
 */
export async function subscriptionThroughWebhook(
  customer: string,
  spec: Omit<SubscriptionSpec, "id" | "customer"> & { id?: string },
): Promise<string> {
  const s = { ...spec, id: spec.id ?? newSubscriptionId(), customer };
  await stripeHasSubscription(s);
  eventClock += 1;
  const res = await deliverEvent(
    stripeEvent("customer.subscription.updated", subscriptionObject(s), {
      created: Math.floor(Date.now() / 1000) + 1000 + eventClock,
    }),
  );
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  return s.id;
}
