/** Reading Stripe's objects: which subscription an event is about, and what we keep of a subscription. */
import type Stripe from "stripe";
import type { BillingState } from "../../db/schema";

/** A Stripe reference that may come as an id or as the expanded object. */
/** A workspace's subscription columns when it has none (it ended, the workspace closed, or it never had one). */
export const NO_SUBSCRIPTION = {
  state: "free" as const,
  stripeSubscriptionId: null,
  priceId: null,
  currentPeriodEnd: null,
  trialEnd: null,
  cancelAtPeriodEnd: false,
  cancelAt: null,
};

export function idOf(ref: unknown): string | null {
  if (typeof ref === "string") return ref;
  if (ref && typeof ref === "object" && typeof (ref as { id?: unknown }).id === "string")
    return (ref as { id: string }).id;
  return null;
}

/** The subscription an event is about, by type (invoices name theirs under `parent` in current API versions). */
export function subscriptionIdOf(event: Stripe.Event): string | null {
  const obj = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case "checkout.session.completed":
      return obj.mode === "subscription" ? idOf(obj.subscription) : null;
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.trial_will_end":
      return idOf(obj.id);
    case "invoice.paid":
    case "invoice.payment_failed": {
      const parent = obj.parent as { subscription_details?: { subscription?: unknown } | null } | null | undefined;
      return idOf(parent?.subscription_details?.subscription) ?? idOf(obj.subscription);
    }
    default:
      return null;
  }
}

export interface SubscriptionFacts {
  id: string;
  status: string;
  state: BillingState;
  /** Canceled or expired: the tenant goes back to Free and forgets this subscription. */
  ended: boolean;
  priceId: string | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  /** Cancelled: it ends at the period's end, or at `cancelAt`. */
  cancelAtPeriodEnd: boolean;
  /** Epoch ms of a cancellation scheduled for a chosen date, which may fall after the current period. */
  cancelAt: number | null;
}

/** What we keep of a subscription. Period dates live on its items in current API versions. */
export function subscriptionFacts(sub: Stripe.Subscription): SubscriptionFacts {
  const ended = sub.status === "canceled" || sub.status === "incomplete_expired";
  const state: BillingState =
    sub.status === "trialing"
      ? "trialing"
      : sub.status === "active"
        ? "active"
        : sub.status === "past_due" || sub.status === "unpaid"
          ? "past_due"
          : "free";
  const items = sub.items?.data ?? [];
  const periodEnds = items.map((i) => i.current_period_end).filter((n): n is number => typeof n === "number");
  const legacyEnd = (sub as unknown as { current_period_end?: unknown }).current_period_end;
  const periodEnd = periodEnds.length ? Math.max(...periodEnds) : typeof legacyEnd === "number" ? legacyEnd : null;
  return {
    id: sub.id,
    status: sub.status,
    state,
    ended,
    priceId: items[0]?.price?.id ?? null,
    currentPeriodEnd: periodEnd === null ? null : periodEnd * 1000,
    trialEnd: typeof sub.trial_end === "number" ? sub.trial_end * 1000 : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true || typeof sub.cancel_at === "number",
    cancelAt: typeof sub.cancel_at === "number" ? sub.cancel_at * 1000 : null,
  };
}
