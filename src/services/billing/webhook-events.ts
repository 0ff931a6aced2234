/**
 * Stripe's webhooks. Stripe is the source of truth for subscriptions: an event only tells us that
 * something changed. We find the tenant by its stored Stripe customer id (never by ids the event
 * carries for us), fetch the subscription from Stripe, and store it with a conditional update keyed on
 * the event's time, in one batch with the event id, so duplicates, replays and out-of-order deliveries
 * change state at most once and never roll it back. Billing never deletes data: a tenant that stops
 * paying keeps everything, readable and exportable, under the Free plan's limits.
 */
import { and, eq, isNull, lte, ne, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Database } from "../../db/client";
import { scoped, type TenantDb } from "../../db/scoped";
import { memberships, stripeEvents, tenantBilling, tenants, users, workspaceShards } from "../../db/schema";
import { paymentFailedMail, trialEndingMail } from "../../mail/billing-messages";
import type { BaseUrl } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { queueMail } from "../mail/outbox";
import { mailLink } from "../reminders/links";
import { auditWhere } from "./audit-where";
import { failedWith, isMissingResource } from "./errors";
import { idOf, NO_SUBSCRIPTION, type SubscriptionFacts, subscriptionFacts, subscriptionIdOf } from "./subscriptions";

/** The events we act on. Anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.trial_will_end",
  "invoice.paid",
  "invoice.payment_failed",
]);

export type WebhookOutcome =
  | { outcome: "applied"; tenantId: string; changed: boolean; mailIds: string[] }
  | { outcome: "duplicate" }
  | { outcome: "ignored"; reason: string };

// What every event must look like before anything reads it; a signed payload can still be malformed.
const stripeEventShape = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** The event if its envelope has the shape applyStripeEvent relies on (id, type, created, data.object), else null. */
export function wellFormedStripeEvent(value: unknown): Stripe.Event | null {
  return stripeEventShape.safeParse(value).success ? (value as Stripe.Event) : null;
}

/**
 * Applies one verified Stripe event. Returns what happened; throws only when Stripe could not be
 * reached (the route then answers 500, and Stripe retries the delivery later).
 */
export async function applyStripeEvent(
  db: Database,
  stripe: Stripe,
  event: Stripe.Event,
  meta: { now: number; baseUrl: BaseUrl },
): Promise<WebhookOutcome> {
  if (!HANDLED_EVENTS.has(event.type)) return { outcome: "ignored", reason: "unhandled_type" };
  const [seen] = await db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, event.id))
    .limit(1);
  if (seen) return { outcome: "duplicate" };

  const customerId = idOf((event.data.object as unknown as { customer?: unknown }).customer);
  if (!customerId) return { outcome: "ignored", reason: "no_customer" };
  const [billing] = await db
    .select({ tenantId: tenantBilling.tenantId, subscriptionId: tenantBilling.stripeSubscriptionId })
    .from(tenantBilling)
    .where(eq(tenantBilling.stripeCustomerId, customerId))
    .limit(1);
  if (!billing) return { outcome: "ignored", reason: "unknown_customer" };
  const t = scoped(db, billing.tenantId);

  const subscriptionId = subscriptionIdOf(event);
  if (!subscriptionId) return { outcome: "ignored", reason: "no_subscription" };
  let subscription: Stripe.Subscription;
  try {
    subscription = await stripe.subscriptions.retrieve(subscriptionId);
  } catch (err) {
    if (isMissingResource(err)) return { outcome: "ignored", reason: "subscription_not_found" };
    throw err;
  }
  // The event names a customer we know, but the subscription must really be that customer's.
  if (idOf(subscription.customer) !== customerId) return { outcome: "ignored", reason: "customer_mismatch" };
  const facts = subscriptionFacts(subscription);

  // The update applies only to this tenant's customer, only if no newer event was applied, and an
  // ended subscription only clears itself (never a newer one the tenant has since started).
  const applies = t.where(
    tenantBilling,
    eq(tenantBilling.stripeCustomerId, customerId),
    lte(tenantBilling.syncedEventCreated, event.created),
    facts.ended
      ? or(isNull(tenantBilling.stripeSubscriptionId), eq(tenantBilling.stripeSubscriptionId, facts.id))
      : undefined,
  );
  const next = facts.ended
    ? NO_SUBSCRIPTION
    : {
        state: facts.state,
        stripeSubscriptionId: facts.id,
        priceId: facts.priceId,
        currentPeriodEnd: facts.currentPeriodEnd,
        trialEnd: facts.trialEnd,
        cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
        cancelAt: facts.cancelAt,
      };
  const differs = sql`(${tenantBilling.state} is not ${next.state} or ${tenantBilling.priceId} is not ${next.priceId}
    or ${tenantBilling.cancelAtPeriodEnd} is not ${next.cancelAtPeriodEnd ? 1 : 0}
    or ${tenantBilling.cancelAt} is not ${next.cancelAt})`;

  const effects = await eventEffects(t, event, facts, meta);
  let updated: { tenantId: string }[];
  try {
    const results = await db.batch([
      // First: a second delivery of this event fails here, on the primary key, and rolls back the rest.
      t.insert(stripeEvents, { id: event.id, type: event.type, receivedAt: meta.now }),
      // Audited before the update, under the same conditions, so only a real change is recorded.
      auditWhere(db, and(applies, differs)!, {
        action: "billing.subscription_changed",
        targetType: "stripe_subscription",
        targetId: facts.id,
        targetLabel: next.state,
        detail: sql`json_object('from', ${tenantBilling.state}, 'to', ${next.state},
          'stripe_status', ${facts.status}, 'event', ${event.type})`,
        actorUserId: null,
        now: meta.now,
      }),
      // A workspace on a shard checks its limits against its copy there: marked stale in this batch, so a copy
      // the route could not make (an error, a worker gone) is the cron's, though Stripe's retry is a duplicate.
      db
        .update(workspaceShards)
        .set({ peopleStaleSince: meta.now })
        .where(
          and(
            eq(workspaceShards.tenantId, t.tenantId),
            ne(workspaceShards.shard, "DB"),
            sql`exists (select 1 from ${tenantBilling} where ${applies})`,
          ),
        ),
      db
        .update(tenantBilling)
        .set({
          ...next,
          // Remembered for good: the trial is offered only before a tenant's first subscription.
          ...(facts.ended ? {} : { firstSubscribedAt: sql`coalesce(${tenantBilling.firstSubscribedAt}, ${meta.now})` }),
          syncedEventCreated: event.created,
          updatedAt: meta.now,
        })
        .where(applies)
        .returning({ tenantId: tenantBilling.tenantId }),
      ...effects.queries,
    ]);
    updated = results[3];
  } catch (err) {
    // A second delivery, perhaps concurrent, of an event already recorded.
    if (failedWith(err, "UNIQUE constraint failed: stripe_events.id")) return { outcome: "duplicate" };
    throw err;
  }
  return { outcome: "applied", tenantId: t.tenantId, changed: updated.length > 0, mailIds: effects.mailIds };
}

/**
 * Whether a trialing subscription was cancelled to end when the trial does (during a trial the period is the trial),
 * so nothing will be charged; a cancellation dated later still charges until then.
 */
function endsWithTrial(facts: SubscriptionFacts): boolean {
  const endsAt = facts.cancelAt ?? (facts.cancelAtPeriodEnd ? facts.trialEnd : null);
  return endsAt !== null && facts.trialEnd !== null && endsAt <= facts.trialEnd;
}

type BatchQuery = ReturnType<typeof auditInsert> | ReturnType<typeof queueMail>["query"];

/**
 * What an event causes besides the state: the owner's email (payment failed, trial ending) and an
 * audit entry for a failed payment, all to go in the event's batch.
 */
async function eventEffects(
  t: TenantDb,
  event: Stripe.Event,
  facts: SubscriptionFacts,
  meta: { now: number; baseUrl: BaseUrl },
) {
  const { db, tenantId } = t;
  const mailIds: string[] = [];
  const queries: BatchQuery[] = [];
  const failed = event.type === "invoice.payment_failed";
  // A trial that has already been converted or ended needs no reminder (one cancelled to end with it gets its own wording).
  const trialEnding =
    event.type === "customer.subscription.trial_will_end" && facts.status === "trialing" && facts.trialEnd !== null;
  if (failed) {
    queries.push(
      auditInsert(db, {
        tenantId,
        actorUserId: null,
        action: "billing.payment_failed",
        targetType: "stripe_subscription",
        targetId: facts.id,
        detail: { stripe_status: facts.status },
        ip: null,
        userAgent: null,
        now: meta.now,
      }),
    );
  }
  // The owners are told only while the subscription is still unpaid as Stripe has it now: a failure event
  // delivered late (a retry, a backlog), after the invoice was paid, sends no "payment failed" mail.
  const stillFailing = failed && !facts.ended && ["past_due", "unpaid", "incomplete"].includes(facts.status);
  if (!stillFailing && !trialEnding) return { mailIds, queries };
  const owners = await db
    .select({
      id: users.id,
      email: users.email,
      tenantName: tenants.name,
      timeZone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})`,
      locale: sql<string>`coalesce(${users.locale}, ${tenants.locale})`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(t.where(memberships, eq(memberships.role, "owner")));
  // Through /app/workspaces/open: an owner of several workspaces may be working in another when the mail comes.
  const link = mailLink(meta.baseUrl, tenantId, "/app/settings/billing");
  for (const owner of owners) {
    const rendered = failed
      ? paymentFailedMail({ tenantName: owner.tenantName, link, status: facts.status })
      : trialEndingMail({
          tenantName: owner.tenantName,
          trialEnd: facts.trialEnd!,
          link,
          cancelled: endsWithTrial(facts),
          timeZone: owner.timeZone,
          locale: owner.locale,
        });
    const mail = queueMail(db, { to: owner.email, tenantId, userId: owner.id, ...rendered }, meta.now);
    mailIds.push(mail.id);
    queries.push(mail.query);
  }
  return { mailIds, queries };
}
