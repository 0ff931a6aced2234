/**
 * Billing: which plan a tenant is on, Checkout and the Customer Portal, Stripe's webhooks, and the
 * Free plan's limits.
 *
 * Stripe is the source of truth for subscriptions. A webhook only tells us that something changed:
 * we find the tenant by its stored Stripe customer id (never by ids the event carries for us), fetch
 * the subscription from Stripe, and store it with a conditional update keyed on the event's time,
 * in one batch with the event id, so duplicates, replays and out-of-order deliveries change state at
 * most once and never roll it back. Billing never deletes data: a tenant that stops paying keeps
 * everything, readable and exportable, under the Free plan's limits for new records and seats.
 */
import { and, eq, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { Database } from "../../db/client";
import {
  auditLog,
  invitations,
  memberships,
  stripeEvents,
  tenantBilling,
  tenantCounters,
  tenants,
  users,
  type BillingState,
} from "../../db/schema";
import { intervalOfPrice, type BillingConfig, type BillingInterval } from "../../lib/stripe";
import { paymentFailedMail, trialEndingMail } from "../../mail/messages";
import type { BaseUrl, RequestMeta } from "../account/accounts";
import { auditInsert, type AuditAction } from "../audit/audit";
import { queueMail } from "../mail/outbox";

/** States that get the Team plan's limits. Free and past_due tenants are held to Free's. */
export const PAID_STATES: readonly BillingState[] = ["trialing", "active"];

// ---- Limits -------------------------------------------------------------------------------------
// Limits are enforced inside the batch that writes the record, so N concurrent requests at the
// limit cannot all pass a check made before their writes (D1 runs one batch at a time, each as a
// transaction). The guarded column gets NULL when the limit is reached; NOT NULL then fails the
// statement and rolls the whole batch back.

/** SQL: true while the tenant is held to the Free plan's limits (no billing row means Free). */
function heldToFreeLimits(tenantId: string): SQL {
  return sql`coalesce((select ${tenantBilling.state} from ${tenantBilling} where ${tenantBilling.tenantId} = ${tenantId}), 'free') not in ('trialing', 'active')`;
}

/** SQL: the tenant may add one more contact (a paid plan, or fewer than the Free limit). */
export function contactWithinLimit(tenantId: string, freeMaxContacts: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)} or coalesce((select ${tenantCounters.contacts} from ${tenantCounters} where ${tenantCounters.tenantId} = ${tenantId}), 0) < ${freeMaxContacts})`;
}

/**
 * SQL: the tenant may hold one more seat. A seat is a member or a live invitation (one that can
 * still be accepted), so invitations cannot be sent beyond the seats they would fill.
 */
export function seatWithinLimit(tenantId: string, freeMaxSeats: number, now: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)} or (select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId}) + (select count(*) from ${invitations} where ${invitations.tenantId} = ${tenantId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${now}) < ${freeMaxSeats})`;
}

/**
 * SQL: `userId` may become a member: a paid plan, already a member (the insert is then a no-op), or
 * fewer members than the Free limit. Their own invitation was counted as a seat when it was sent.
 */
export function membershipWithinLimit(tenantId: string, userId: string, freeMaxSeats: number): SQL {
  return sql`(not ${heldToFreeLimits(tenantId)} or exists (select 1 from ${memberships} where ${memberships.tenantId} = ${tenantId} and ${memberships.userId} = ${userId}) or (select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId}) < ${freeMaxSeats})`;
}

/** A value that is NULL when `allowed` is false: put it in a NOT NULL column to make the batch fail at the limit. */
export function guardedValue<T>(allowed: SQL, value: T): SQL {
  return sql`case when ${allowed} then ${value} end`;
}

/** Thrown by a create that a Free plan limit refused; its batch wrote nothing. */
export class PlanLimitError extends Error {
  constructor(
    readonly limit: "contacts" | "seats",
    readonly max: number,
  ) {
    super(`The Free plan's limit of ${max} ${limit} is reached`);
    this.name = "PlanLimitError";
  }
}

/** Whether an error is the guard of `column` ("contacts.tenant_id") refusing a write at the limit. */
export function isPlanLimitError(err: unknown, column: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (String(e).includes(`NOT NULL constraint failed: ${column}`)) return true;
  }
  return false;
}

// ---- Overview -----------------------------------------------------------------------------------

export interface BillingOverview {
  state: BillingState;
  /** The tenant is held to Free limits (free or past_due). */
  limited: boolean;
  interval: BillingInterval | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  hasCustomer: boolean;
  /** Whether a new checkout would start with the trial (only before the first subscription). */
  trialAvailable: boolean;
  usage: { contacts: number; members: number; pendingInvitations: number };
}

/** The tenant's plan, state and usage in one query. */
export async function getBillingOverview(
  db: Database,
  tenantId: string,
  config: BillingConfig,
  now: number,
): Promise<BillingOverview | null> {
  const [row] = await db
    .select({
      state: tenantBilling.state,
      customerId: tenantBilling.stripeCustomerId,
      priceId: tenantBilling.priceId,
      currentPeriodEnd: tenantBilling.currentPeriodEnd,
      trialEnd: tenantBilling.trialEnd,
      cancelAtPeriodEnd: tenantBilling.cancelAtPeriodEnd,
      firstSubscribedAt: tenantBilling.firstSubscribedAt,
      contacts: tenantCounters.contacts,
      members: sql<number>`(select count(*) from ${memberships} where ${memberships.tenantId} = ${tenants.id})`,
      pendingInvitations: sql<number>`(select count(*) from ${invitations} where ${invitations.tenantId} = ${tenants.id} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${now})`,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .leftJoin(tenantCounters, eq(tenantCounters.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row) return null;
  const state = row.state ?? "free";
  return {
    state,
    limited: !PAID_STATES.includes(state),
    interval: intervalOfPrice(config, row.priceId),
    currentPeriodEnd: row.currentPeriodEnd,
    trialEnd: row.trialEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd ?? false,
    hasCustomer: Boolean(row.customerId),
    trialAvailable: config.trialDays > 0 && !row.firstSubscribedAt,
    usage: { contacts: row.contacts ?? 0, members: row.members, pendingInvitations: row.pendingInvitations },
  };
}

/**
 * An audit insert that writes a row only where `where` holds on the tenant's billing row, evaluated
 * inside the batch: a change is recorded exactly when it happens, and never by a request that lost.
 */
function auditWhere(
  db: Database,
  where: SQL,
  e: {
    action: AuditAction;
    targetType: string;
    targetId: string;
    targetLabel?: string;
    detail?: SQL;
    actorUserId: string | null;
    ip?: string | null;
    userAgent?: string | null;
    now: number;
  },
) {
  return db.insert(auditLog).select(
    db
      .select({
        // Every column, in the table's order, as drizzle's insert-select requires; a null id takes the next one.
        id: sql<number>`null`.as("id"),
        tenantId: tenantBilling.tenantId,
        actorUserId: sql<string | null>`${e.actorUserId}`.as("actor_user_id"),
        action: sql<string>`${e.action}`.as("action"),
        targetType: sql<string>`${e.targetType}`.as("target_type"),
        targetId: sql<string>`${e.targetId}`.as("target_id"),
        targetLabel: sql<string | null>`${e.targetLabel ?? null}`.as("target_label"),
        detail: (e.detail ? sql<string | null>`${e.detail}` : sql<string | null>`null`).as("detail"),
        ip: sql<string | null>`${e.ip ?? null}`.as("ip"),
        userAgent: sql<string | null>`${e.userAgent?.slice(0, 512) ?? null}`.as("user_agent"),
        createdAt: sql<number>`${e.now}`.as("created_at"),
      })
      .from(tenantBilling)
      .where(where),
  );
}

// ---- Checkout and portal -------------------------------------------------------------------------

export interface BillingOwner {
  id: string;
  email: string;
}

/**
 * The tenant's Stripe customer: the stored one, or a new one (metadata tenant_id) stored only if no
 * other request stored one meanwhile. The loser of that race deletes its own customer, so a tenant
 * has exactly one.
 */
async function ensureCustomer(
  db: Database,
  stripe: Stripe,
  tenantId: string,
  owner: BillingOwner,
  meta: RequestMeta,
): Promise<string> {
  const [existing] = await db
    .select({ customerId: tenantBilling.stripeCustomerId, tenantName: tenants.name })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (existing?.customerId) return existing.customerId;

  const customer = await stripe.customers.create({
    email: owner.email,
    name: existing?.tenantName,
    metadata: { tenant_id: tenantId },
  });
  const [stored] = await db.batch([
    db
      .insert(tenantBilling)
      .values({ tenantId, state: "free", stripeCustomerId: customer.id, createdAt: meta.now, updatedAt: meta.now })
      .onConflictDoUpdate({
        target: tenantBilling.tenantId,
        set: { stripeCustomerId: customer.id, updatedAt: meta.now },
        where: isNull(tenantBilling.stripeCustomerId),
      })
      .returning({ customerId: tenantBilling.stripeCustomerId }),
    // Recorded only if this request's customer is the one stored.
    auditWhere(db, and(eq(tenantBilling.tenantId, tenantId), eq(tenantBilling.stripeCustomerId, customer.id))!, {
      action: "billing.customer_created",
      targetType: "stripe_customer",
      targetId: customer.id,
      actorUserId: owner.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  if (stored[0]?.customerId === customer.id) return customer.id;

  // Another request stored its customer first: use that one and remove ours.
  const [winner] = await db
    .select({ customerId: tenantBilling.stripeCustomerId })
    .from(tenantBilling)
    .where(eq(tenantBilling.tenantId, tenantId))
    .limit(1);
  await stripe.customers
    .del(customer.id)
    .catch((err: unknown) =>
      console.error(
        JSON.stringify({ type: "stripe_error", op: "delete_orphan_customer", error: String(err).slice(0, 300) }),
      ),
    );
  if (!winner?.customerId) throw new Error("billing: no Stripe customer stored after the race");
  return winner.customerId;
}

/**
 * Corrections reach Stripe: the Stripe customer of each matching workspace gets the owner's current
 * address and the workspace's current name. Called after the change has committed (an email change
 * confirmed or corrected, a rename, an ownership transfer); best effort: a Stripe failure is logged and
 * undoes nothing here, and the next correction, or closing the workspace, brings Stripe up to date.
 */
export async function syncStripeCustomers(
  db: Database,
  stripe: Stripe | null,
  which: { tenantId: string } | { ownerEmail: string },
): Promise<number> {
  if (!stripe) return 0;
  const rows = await db
    .select({
      tenantId: tenants.id,
      customerId: tenantBilling.stripeCustomerId,
      name: tenants.name,
      email: users.email,
    })
    .from(tenantBilling)
    .innerJoin(tenants, eq(tenants.id, tenantBilling.tenantId))
    .innerJoin(memberships, and(eq(memberships.tenantId, tenants.id), eq(memberships.role, "owner")))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        "tenantId" in which ? eq(tenants.id, which.tenantId) : eq(users.email, which.ownerEmail),
        isNull(tenants.closedAt),
      ),
    );
  let updated = 0;
  for (const row of rows) {
    if (!row.customerId) continue;
    try {
      await stripe.customers.update(row.customerId, { email: row.email, name: row.name });
      updated += 1;
    } catch (err) {
      console.error(
        JSON.stringify({
          type: "stripe_error",
          op: "update_customer",
          tenant_id: row.tenantId,
          error: String(err).slice(0, 300),
        }),
      );
    }
  }
  return updated;
}

export type CheckoutResult = { ok: true; url: string } | { ok: false; reason: "already_subscribed" | "no_price" };

/**
 * Starts Stripe Checkout for the Team plan: creates (or reuses) the customer, then a subscription-
 * mode session with the trial when the tenant has never subscribed. The caller redirects to `url`.
 */
export async function startCheckout(
  db: Database,
  stripe: Stripe,
  tenantId: string,
  input: { interval: BillingInterval; owner: BillingOwner },
  config: BillingConfig,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CheckoutResult> {
  const price = config.prices[input.interval];
  if (!price) return { ok: false, reason: "no_price" };
  const overview = await getBillingOverview(db, tenantId, config, meta.now);
  // A tenant with a live subscription changes plan in the portal; a second one would bill twice.
  if (overview && overview.state !== "free") return { ok: false, reason: "already_subscribed" };

  const customer = await ensureCustomer(db, stripe, tenantId, input.owner, meta);
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
      ...(overview?.trialAvailable ? { trial_period_days: config.trialDays } : {}),
    },
    success_url: `${back}?checkout=success`,
    cancel_url: `${back}?checkout=cancelled`,
  });
  if (!session.url) throw new Error("billing: Stripe returned a checkout session without a URL");
  await auditInsert(db, {
    tenantId,
    actorUserId: input.owner.id,
    action: "billing.checkout_started",
    targetType: "stripe_checkout_session",
    targetId: session.id,
    detail: { interval: input.interval, trial: Boolean(overview?.trialAvailable) },
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return { ok: true, url: session.url };
}

export type PortalResult = { ok: true; url: string } | { ok: false; reason: "no_customer" };

/** A Customer Portal session for the tenant's stored customer (payment method, invoices, plan, cancel). */
export async function openPortal(
  db: Database,
  stripe: Stripe,
  tenantId: string,
  actorId: string,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<PortalResult> {
  const [row] = await db
    .select({ customerId: tenantBilling.stripeCustomerId })
    .from(tenantBilling)
    .where(eq(tenantBilling.tenantId, tenantId))
    .limit(1);
  if (!row?.customerId) return { ok: false, reason: "no_customer" };
  const session = await stripe.billingPortal.sessions.create({
    customer: row.customerId,
    return_url: `${meta.baseUrl}/app/settings/billing`,
  });
  await auditInsert(db, {
    tenantId,
    actorUserId: actorId,
    action: "billing.portal_opened",
    targetType: "stripe_customer",
    targetId: row.customerId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    now: meta.now,
  });
  return { ok: true, url: session.url };
}

// ---- Webhooks -------------------------------------------------------------------------------------

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

/** A Stripe reference that may come as an id or as the expanded object. */
function idOf(ref: unknown): string | null {
  if (typeof ref === "string") return ref;
  if (ref && typeof ref === "object" && typeof (ref as { id?: unknown }).id === "string")
    return (ref as { id: string }).id;
  return null;
}

/** The subscription an event is about, by type (invoices name theirs under `parent` in current API versions). */
function subscriptionIdOf(event: Stripe.Event): string | null {
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

interface SubscriptionFacts {
  id: string;
  status: string;
  state: BillingState;
  /** Canceled or expired: the tenant goes back to Free and forgets this subscription. */
  ended: boolean;
  priceId: string | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
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
  };
}

/** Whether a batch failed because the event id was already recorded (a duplicate, perhaps concurrent). */
function isDuplicateEvent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (String(e).includes("UNIQUE constraint failed: stripe_events.id")) return true;
  }
  return false;
}

function isMissingResource(err: unknown): boolean {
  return Boolean(err && typeof err === "object" && (err as { code?: unknown }).code === "resource_missing");
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
  const tenantId = billing.tenantId;

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
  const applies = and(
    eq(tenantBilling.tenantId, tenantId),
    eq(tenantBilling.stripeCustomerId, customerId),
    lte(tenantBilling.syncedEventCreated, event.created),
    facts.ended
      ? or(isNull(tenantBilling.stripeSubscriptionId), eq(tenantBilling.stripeSubscriptionId, facts.id))
      : undefined,
  )!;
  const next = facts.ended
    ? {
        state: "free" as const,
        stripeSubscriptionId: null,
        priceId: null,
        currentPeriodEnd: null,
        trialEnd: null,
        cancelAtPeriodEnd: false,
      }
    : {
        state: facts.state,
        stripeSubscriptionId: facts.id,
        priceId: facts.priceId,
        currentPeriodEnd: facts.currentPeriodEnd,
        trialEnd: facts.trialEnd,
        cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
      };
  const differs = sql`(${tenantBilling.state} is not ${next.state} or ${tenantBilling.priceId} is not ${next.priceId} or ${tenantBilling.cancelAtPeriodEnd} is not ${next.cancelAtPeriodEnd ? 1 : 0})`;

  const effects = await eventEffects(db, tenantId, event, facts, meta);
  let updated: { tenantId: string }[];
  try {
    const results = await db.batch([
      // First: a second delivery of this event fails here, on the primary key, and rolls back the rest.
      db.insert(stripeEvents).values({ id: event.id, type: event.type, tenantId, receivedAt: meta.now }),
      // Audited before the update, under the same conditions, so only a real change is recorded.
      auditWhere(db, and(applies, differs)!, {
        action: "billing.subscription_changed",
        targetType: "stripe_subscription",
        targetId: facts.id,
        targetLabel: next.state,
        detail: sql`json_object('from', ${tenantBilling.state}, 'to', ${next.state}, 'stripe_status', ${facts.status}, 'event', ${event.type})`,
        actorUserId: null,
        now: meta.now,
      }),
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
    updated = results[2];
  } catch (err) {
    if (isDuplicateEvent(err)) return { outcome: "duplicate" };
    throw err;
  }
  return { outcome: "applied", tenantId, changed: updated.length > 0, mailIds: effects.mailIds };
}

type BatchQuery = ReturnType<typeof auditInsert> | ReturnType<typeof queueMail>["query"];

/**
 * What an event causes besides the state: the owner's email (payment failed, trial ending) and an
 * audit entry for a failed payment, all to go in the event's batch.
 */
async function eventEffects(
  db: Database,
  tenantId: string,
  event: Stripe.Event,
  facts: SubscriptionFacts,
  meta: { now: number; baseUrl: BaseUrl },
) {
  const mailIds: string[] = [];
  const queries: BatchQuery[] = [];
  const failed = event.type === "invoice.payment_failed";
  // A trial that has already been converted or cancelled needs no reminder.
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
  if (!(failed && !facts.ended) && !trialEnding) return { mailIds, queries };
  const owners = await db
    .select({ id: users.id, email: users.email, tenantName: tenants.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")));
  const link = `${meta.baseUrl}/app/settings/billing`;
  for (const owner of owners) {
    const rendered = failed
      ? paymentFailedMail({ tenantName: owner.tenantName, link })
      : trialEndingMail({ tenantName: owner.tenantName, trialEnd: facts.trialEnd!, link });
    const mail = queueMail(db, { to: owner.email, tenantId, userId: owner.id, ...rendered }, meta.now);
    mailIds.push(mail.id);
    queries.push(mail.query);
  }
  return { mailIds, queries };
}
