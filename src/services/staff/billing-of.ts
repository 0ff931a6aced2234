/** What billing staff see of a workspace's plan in the console: Stripe's references and dates. */
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { tenantBilling } from "../../db/schema";
import { NO_SUBSCRIPTION } from "../billing/subscriptions";

/** Plan and subscription metadata (for billing staff): Stripe's references and dates, never card details. */
export async function billingOf(db: Database, tenantId: string) {
  const t = scoped(db, tenantId);
  const [row] = await db
    .select({
      state: tenantBilling.state,
      stripeCustomerId: tenantBilling.stripeCustomerId,
      stripeSubscriptionId: tenantBilling.stripeSubscriptionId,
      priceId: tenantBilling.priceId,
      currentPeriodEnd: tenantBilling.currentPeriodEnd,
      trialEnd: tenantBilling.trialEnd,
      cancelAtPeriodEnd: tenantBilling.cancelAtPeriodEnd,
      cancelAt: tenantBilling.cancelAt,
      firstSubscribedAt: tenantBilling.firstSubscribedAt,
    })
    .from(tenantBilling)
    .where(t.where(tenantBilling))
    .limit(1);
  // No row: the workspace never left Free (billing off, or never subscribed).
  return row ?? { ...NO_SUBSCRIPTION, stripeCustomerId: null, firstSubscribedAt: null };
}
