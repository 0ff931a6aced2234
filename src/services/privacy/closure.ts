/**
 * Closing a workspace, and reopening it within the grace period.
 *
 * Closing (the owner, after re-entering their password; or an operator's erase-account): the Stripe
 * customer is deleted through the SDK, which cancels its subscriptions, after its invoices are read
 * into the closed-tenant ledger; then one batch locks the tenant (closed_at, erase_after), ends every
 * session working in it, puts billing back to Free, writes the ledger row, the audit entry and the
 * email with the single-use reopen link. Stripe comes first: a workspace we could not stop billing is
 * not closed (nothing changes, and the owner is told to try again).
 *
 * Reopening (the emailed link, until erase_after): clears the lock and the link in one conditional
 * update, so a link works once; billing stays on Free. After erase_after the retention job erases
 * the workspace (src/services/privacy/erasure.ts) and the link answers "no longer works".
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database } from "../../db/client";
import { closedTenantLedger, memberships, sessions, tenantBilling, tenants, users } from "../../db/schema";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { verifyPassword } from "../../auth/password";
import { hit, isLimited, type Limit } from "../../auth/rate-limit";
import { randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import { DAY_MS } from "../../lib/retention-periods";
import { workspaceClosedMail } from "../../mail/closure-messages";
import type { BaseUrl, RequestMeta } from "../account/accounts";
import { auditInsert } from "../audit/audit";
import { guardedValue } from "../billing/billing";
import { queueMail } from "../mail/outbox";

/** Wrong passwords on the closing form, per user: the form must not become a password oracle. */
export const CLOSE_FAILURE_LIMIT: Limit = { name: "close-reauth-user", max: 5, windowMs: 15 * 60_000 };

/** Invoices read from Stripe before the customer is deleted: at most this many pages of 100. */
const MAX_INVOICE_PAGES = 20;

/** What the ledger keeps of one invoice: references, amounts and dates; nothing about people. */
export interface LedgerInvoice {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  total: number;
  amount_paid: number;
  created: string;
  period_start: string | null;
  period_end: string | null;
}

const iso = (seconds: number | null | undefined) =>
  typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : null;

function isMissingResource(err: unknown): boolean {
  return Boolean(err && typeof err === "object" && (err as { code?: unknown }).code === "resource_missing");
}

type StripeOutcome = { ok: true; invoices: LedgerInvoice[]; deletedAt: number | null } | { ok: false };

/**
 * Reads the customer's invoices, then deletes the customer (Stripe cancels its subscriptions with
 * it). A customer already gone counts as deleted, so a retried closure goes through.
 */
async function endStripeCustomer(
  stripe: Stripe | null,
  customerId: string | null,
  now: number,
): Promise<StripeOutcome> {
  if (!customerId) return { ok: true, invoices: [], deletedAt: null };
  if (!stripe) {
    // Billing was configured once and is not any more: nothing can be cancelled from here.
    console.error(JSON.stringify({ type: "closure_stripe_unconfigured", customer: customerId }));
    return { ok: true, invoices: [], deletedAt: null };
  }
  const invoices: LedgerInvoice[] = [];
  try {
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_INVOICE_PAGES; page += 1) {
      const list = await stripe.invoices.list({
        customer: customerId,
        limit: 100,
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      for (const inv of list.data) {
        invoices.push({
          id: inv.id ?? "",
          number: inv.number ?? null,
          status: inv.status ?? null,
          currency: inv.currency,
          total: inv.total,
          amount_paid: inv.amount_paid,
          created: iso(inv.created)!,
          period_start: iso(inv.period_start),
          period_end: iso(inv.period_end),
        });
      }
      if (!list.has_more || list.data.length === 0) break;
      startingAfter = list.data[list.data.length - 1]!.id;
    }
    await stripe.customers.del(customerId);
  } catch (err) {
    if (!isMissingResource(err)) {
      console.error(JSON.stringify({ type: "stripe_error", op: "closure", error: String(err).slice(0, 300) }));
      return { ok: false };
    }
  }
  return { ok: true, invoices, deletedAt: now };
}

export interface CloseInput {
  tenantId: string;
  closedBy: "owner" | "operator";
  /** The owner who closed it; null for an operator. */
  actorUserId: string | null;
  graceDays: number;
  /** Operator erasure: no grace period, no reopen link, erasure may begin at once. */
  eraseNow?: boolean;
  /** Extra audit detail (an operator's name and reason). */
  auditDetail?: Record<string, string>;
}

export type CloseResult =
  | { ok: true; eraseAfter: number; mailIds: string[] }
  | { ok: false; reason: "not_found" | "already_closed" | "stripe_unavailable" };

/** Whether a batch failed on the ledger guard, i.e. another closure of this tenant won. */
function lostClosureRace(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (String(e).includes("NOT NULL constraint failed: closed_tenant_ledger.closed_at")) return true;
  }
  return false;
}

/** Closes a workspace (see the file comment). Re-authentication is the caller's job. */
export async function closeWorkspace(
  db: Database,
  stripe: Stripe | null,
  input: CloseInput,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CloseResult> {
  const [tenant] = await db
    .select({ name: tenants.name, closedAt: tenants.closedAt, customerId: tenantBilling.stripeCustomerId })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .where(eq(tenants.id, input.tenantId))
    .limit(1);
  if (!tenant) return { ok: false, reason: "not_found" };
  if (tenant.closedAt !== null) {
    if (!input.eraseNow) return { ok: false, reason: "already_closed" };
    // An operator's erasure of a workspace already closed by its owner: no more waiting.
    await db.batch([
      db
        .update(tenants)
        .set({
          eraseAfter: meta.now,
          erasingAt: sql`coalesce(${tenants.erasingAt}, ${meta.now})`,
          reopenTokenHash: null,
        })
        .where(eq(tenants.id, input.tenantId)),
      db
        .update(closedTenantLedger)
        .set({ eraseAfter: meta.now, closedBy: input.closedBy })
        .where(eq(closedTenantLedger.tenantId, input.tenantId)),
    ]);
    return { ok: true, eraseAfter: meta.now, mailIds: [] };
  }

  const stripeOutcome = await endStripeCustomer(stripe, tenant.customerId, meta.now);
  if (!stripeOutcome.ok) return { ok: false, reason: "stripe_unavailable" };

  const eraseAfter = input.eraseNow ? meta.now : meta.now + input.graceDays * DAY_MS;
  // The token doubles as this closure's mark: the ledger insert below checks that the tenant carries
  // it, so of two closures at once exactly one batch commits.
  const token = randomToken();
  const tokenHash = hashToken(token);
  const owners = input.eraseNow
    ? []
    : await db
        .select({ id: users.id, email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.role, "owner")));
  const link = `${meta.baseUrl}/reopen/${input.tenantId}/${token}`;
  const mails = owners.map((o) =>
    queueMail(
      db,
      {
        to: o.email,
        tenantId: input.tenantId,
        userId: o.id,
        ...workspaceClosedMail({ tenantName: tenant.name, link, eraseAfter }),
      },
      meta.now,
    ),
  );
  const ledgerValues = {
    closedBy: input.closedBy,
    eraseAfter,
    erasedAt: null,
    keepUntil: null,
    stripeCustomerDeletedAt: stripeOutcome.deletedAt,
    invoices: JSON.stringify(stripeOutcome.invoices),
  };
  try {
    await db.batch([
      db
        .update(tenants)
        .set({
          closedAt: meta.now,
          eraseAfter,
          reopenTokenHash: tokenHash,
          erasingAt: input.eraseNow ? meta.now : null,
          eraseStep: 0,
          updatedAt: meta.now,
        })
        .where(and(eq(tenants.id, input.tenantId), isNull(tenants.closedAt))),
      db
        .insert(closedTenantLedger)
        .values({
          tenantId: input.tenantId,
          closedAt: guardedValue(
            sql`exists (select 1 from ${tenants} where ${tenants.id} = ${input.tenantId} and ${tenants.reopenTokenHash} = ${tokenHash})`,
            meta.now,
          ) as unknown as number,
          createdAt: meta.now,
          ...ledgerValues,
        })
        // A row left by an earlier closure that was reopened is replaced.
        .onConflictDoUpdate({
          target: closedTenantLedger.tenantId,
          set: { closedAt: meta.now, createdAt: meta.now, ...ledgerValues },
        }),
      // Every session working in the workspace ends now; members keep their other workspaces.
      db.delete(sessions).where(eq(sessions.tenantId, input.tenantId)),
      db
        .update(tenantBilling)
        .set({
          state: "free",
          stripeCustomerId: null,
          stripeSubscriptionId: null,
          priceId: null,
          currentPeriodEnd: null,
          trialEnd: null,
          cancelAtPeriodEnd: false,
          updatedAt: meta.now,
        })
        .where(eq(tenantBilling.tenantId, input.tenantId)),
      auditInsert(db, {
        tenantId: input.tenantId,
        actorUserId: input.actorUserId,
        action: "workspace.closed",
        targetType: "tenant",
        targetId: input.tenantId,
        detail: {
          erase_after: new Date(eraseAfter).toISOString(),
          stripe_customer_deleted: stripeOutcome.deletedAt !== null,
          ...input.auditDetail,
        },
        ip: meta.ip,
        userAgent: meta.userAgent,
        now: meta.now,
      }),
      ...mails.map((m) => m.query),
    ]);
  } catch (err) {
    if (lostClosureRace(err)) return { ok: false, reason: "already_closed" };
    throw err;
  }
  return { ok: true, eraseAfter, mailIds: mails.map((m) => m.id) };
}

export type OwnerCloseResult =
  | CloseResult
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/** The owner's closure: their password first (limited per user), then closeWorkspace. */
export async function closeWorkspaceAsOwner(
  db: Database,
  stripe: Stripe | null,
  owner: { userId: string; tenantId: string },
  password: string,
  graceDays: number,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<OwnerCloseResult> {
  const limited = await isLimited(db, CLOSE_FAILURE_LIMIT, owner.userId, meta.now);
  if (!limited.allowed) return { ok: false, reason: "rate_limited", retryAfter: limited.retryAfter };
  const [account] = await db
    .select({ passwordHash: users.passwordHash, role: memberships.role })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, owner.tenantId)))
    .where(eq(users.id, owner.userId))
    .limit(1);
  if (!account || !(await verifyPassword(account.passwordHash, password))) {
    await hit(db, CLOSE_FAILURE_LIMIT, owner.userId, meta.now);
    return { ok: false, reason: "wrong_password" };
  }
  if (account.role !== "owner") return { ok: false, reason: "not_found" };
  return closeWorkspace(
    db,
    stripe,
    { tenantId: owner.tenantId, closedBy: "owner", actorUserId: owner.userId, graceDays },
    meta,
  );
}

export interface ReopenableWorkspace {
  tenantId: string;
  name: string;
  eraseAfter: number;
}

/** The closed workspace a reopen link stands for, while the link still works; null otherwise. */
export async function findReopenable(
  db: Database,
  tenantId: string,
  token: string,
  now: number,
): Promise<ReopenableWorkspace | null> {
  if (token.length < 10 || token.length > 100 || tenantId.length > 100) return null;
  const [row] = await db
    .select({ name: tenants.name, eraseAfter: tenants.eraseAfter, hash: tenants.reopenTokenHash })
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), isNull(tenants.erasingAt), gt(tenants.eraseAfter, now)))
    .limit(1);
  if (!row?.hash || row.eraseAfter === null) return null;
  const enc = new TextEncoder();
  const given = enc.encode(hashToken(token));
  const stored = enc.encode(row.hash);
  if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
  return { tenantId, name: row.name, eraseAfter: row.eraseAfter };
}

/**
 * Reopens the workspace if the link is live: one conditional update clears the lock and the link
 * (so a second use finds nothing), then the ledger row goes and the audit entry is written.
 * Billing stays on Free: the subscription ended with the Stripe customer.
 */
export async function reopenWorkspace(
  db: Database,
  tenantId: string,
  token: string,
  meta: RequestMeta,
): Promise<{ ok: true; name: string } | { ok: false }> {
  if (!(await findReopenable(db, tenantId, token, meta.now))) return { ok: false };
  const [reopened] = await db
    .update(tenants)
    .set({ closedAt: null, eraseAfter: null, reopenTokenHash: null, eraseStep: 0, updatedAt: meta.now })
    .where(
      and(
        eq(tenants.id, tenantId),
        eq(tenants.reopenTokenHash, hashToken(token)),
        isNull(tenants.erasingAt),
        gt(tenants.eraseAfter, meta.now),
      ),
    )
    .returning({ name: tenants.name });
  if (!reopened) return { ok: false };
  await db.batch([
    db
      .delete(closedTenantLedger)
      .where(and(eq(closedTenantLedger.tenantId, tenantId), isNull(closedTenantLedger.erasedAt))),
    auditInsert(db, {
      tenantId,
      actorUserId: null,
      action: "workspace.reopened",
      targetType: "tenant",
      targetId: tenantId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      now: meta.now,
    }),
  ]);
  return { ok: true, name: reopened.name };
}
