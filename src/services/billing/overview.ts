/** The billing page's facts: the workspace's plan, its state in Stripe's terms, and its usage against the limits. */
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { invitations, memberships, tenantBilling, tenantCounters, tenants, type BillingState } from "../../db/schema";
import { intervalOfPrice, type BillingConfig, type BillingInterval } from "../../lib/stripe";
import { PAID_STATES } from "./limits";

export interface BillingOverview {
  state: BillingState;
  /** The tenant is held to Free limits (free or past_due). */
  limited: boolean;
  interval: BillingInterval | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** Epoch ms: the date a scheduled cancellation ends the subscription, when it is not the period's end. */
  cancelAt: number | null;
  hasCustomer: boolean;
  /** Whether a new checkout would start with the trial (only before the first subscription). */
  trialAvailable: boolean;
  usage: { contacts: number; members: number; pendingInvitations: number };
}

/** The tenant's plan, state and usage in one query (two side by side when its records are on a shard). */
export async function getBillingOverview(
  t: TenantDb,
  config: BillingConfig,
  now: number,
): Promise<BillingOverview | null> {
  const counted = (db: TenantDb["db"]) =>
    db
      .select({ contacts: tenantCounters.contacts })
      .from(tenantCounters)
      .where(eq(tenantCounters.tenantId, t.tenantId));
  const [[row], shardCounts] = await Promise.all([overviewQuery(t, now), t.db === t.control ? null : counted(t.db)]);
  if (!row) return null;
  const contacts = shardCounts ? (shardCounts[0]?.contacts ?? 0) : row.contacts;
  const state = row.state ?? "free";
  return {
    state,
    limited: !PAID_STATES.includes(state),
    interval: intervalOfPrice(config, row.priceId),
    currentPeriodEnd: row.currentPeriodEnd,
    trialEnd: row.trialEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd ?? false,
    cancelAt: row.cancelAt,
    hasCustomer: Boolean(row.customerId),
    trialAvailable: config.trialDays > 0 && !row.firstSubscribedAt,
    usage: { contacts: contacts ?? 0, members: row.members, pendingInvitations: row.pendingInvitations },
  };
}

/** The plan and people on the control database, with the counters there (the records' when they live there). */
function overviewQuery(t: TenantDb, now: number) {
  return t.control
    .select({
      state: tenantBilling.state,
      customerId: tenantBilling.stripeCustomerId,
      priceId: tenantBilling.priceId,
      currentPeriodEnd: tenantBilling.currentPeriodEnd,
      trialEnd: tenantBilling.trialEnd,
      cancelAtPeriodEnd: tenantBilling.cancelAtPeriodEnd,
      cancelAt: tenantBilling.cancelAt,
      firstSubscribedAt: tenantBilling.firstSubscribedAt,
      contacts: tenantCounters.contacts,
      members: sql<number>`(select count(*) from ${memberships} where ${memberships.tenantId} = ${tenants.id})`,
      pendingInvitations: sql<number>`(select count(*) from ${invitations}
        where ${invitations.tenantId} = ${tenants.id} and ${invitations.acceptedAt} is null
          and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${now})`,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .leftJoin(tenantCounters, eq(tenantCounters.tenantId, tenants.id))
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
}
