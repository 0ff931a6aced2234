/**
 * Billing: which plan a workspace is on, and the Stripe events applied.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

// Stripe holds the payment details (Checkout and the Customer Portal collect them); we keep only
// which plan a tenant is on. No card data is ever stored here.

/** free | trialing | active | past_due. A tenant without a tenant_billing row is on Free. */
export const BILLING_STATES = ["free", "trialing", "active", "past_due"] as const;
export type BillingState = (typeof BILLING_STATES)[number];

/** One row per tenant that has ever started a checkout: its Stripe customer and subscription. */
export const tenantBilling = sqliteTable(
  "tenant_billing",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    state: text("state", { enum: BILLING_STATES }).notNull().default("free"),
    /** The only key a webhook may use to find its tenant. Created once, reused afterwards. */
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    priceId: text("price_id"),
    /** Epoch ms: the end of the paid (or trial) period, from the subscription's items. */
    currentPeriodEnd: integer("current_period_end"),
    trialEnd: integer("trial_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** Epoch ms: when a cancellation scheduled for a chosen date (Stripe's `cancel_at`) ends the subscription. */
    cancelAt: integer("cancel_at"),
    /** When the tenant first had a subscription: the trial is offered only before that. */
    firstSubscribedAt: integer("first_subscribed_at"),
    /**
     * The `created` time (Unix seconds) of the newest Stripe event applied. An update only applies
     * when its event is at least as new, so a late or replayed event never rolls the state back.
     */
    syncedEventCreated: integer("synced_event_created").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenant_billing_customer_unique").on(t.stripeCustomerId)],
);

/** Stripe events already processed, by id, written in the same batch as their effect. */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** The tenant the event was applied to (for operators tracing a change). */
    tenantId: text("tenant_id"),
    receivedAt: integer("received_at").notNull(),
  },
  // Erasing a closed workspace deletes its events.
  (t) => [index("stripe_events_tenant_idx").on(t.tenantId)],
);
export type TenantBilling = typeof tenantBilling.$inferSelect;
