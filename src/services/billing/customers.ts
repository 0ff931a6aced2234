/**
 * A workspace's Stripe customer: created once (a race between two requests leaves exactly one), and
 * kept up to date with the owner's address and the workspace's name when either is corrected.
 */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { memberships, tenantBilling, tenants, users } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { auditWhere } from "./audit-where";
import { errorText } from "../../lib/error-text";

export interface BillingOwner {
  id: string;
  email: string;
}

/**
 * The tenant's Stripe customer: the stored one, or a new one (metadata tenant_id) stored only if no
 * other request stored one meanwhile. The loser of that race deletes its own customer, so a tenant
 * has exactly one.
 */
export async function ensureCustomer(
  t: TenantDb,
  stripe: Stripe,
  owner: BillingOwner,
  meta: RequestMeta,
): Promise<string> {
  const { db, tenantId } = t;
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
    t
      .insert(tenantBilling, { state: "free", stripeCustomerId: customer.id, createdAt: meta.now, updatedAt: meta.now })
      .onConflictDoUpdate({
        target: tenantBilling.tenantId,
        set: { stripeCustomerId: customer.id, updatedAt: meta.now },
        where: isNull(tenantBilling.stripeCustomerId),
      })
      .returning({ customerId: tenantBilling.stripeCustomerId }),
    // Recorded only if this request's customer is the one stored.
    auditWhere(db, t.where(tenantBilling, eq(tenantBilling.stripeCustomerId, customer.id)), {
      action: "billing.customer_created",
      targetType: "stripe_customer",
      targetId: customer.id,
      actorUserId: owner.id,
      ...meta,
    }),
  ]);
  if (stored[0]?.customerId === customer.id) return customer.id;

  // Another request stored its customer first: use that one and remove ours.
  const [winner] = await db
    .select({ customerId: tenantBilling.stripeCustomerId })
    .from(tenantBilling)
    .where(t.where(tenantBilling))
    .limit(1);
  await stripe.customers
    .del(customer.id)
    .catch((err: unknown) =>
      console.error(JSON.stringify({ type: "stripe_error", op: "delete_orphan_customer", error: errorText(err, 300) })),
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
          error: errorText(err, 300),
        }),
      );
    }
  }
  return updated;
}
