/**
 * Closing a workspace (the owner, after re-entering their password; or an operator's erase-account):
 * the Stripe customer ends first (closure-stripe.ts); then one batch locks the tenant (closed_at,
 * erase_after), ends every session working in it, puts billing back to Free, and writes the ledger
 * row, the audit entry and the email with the single-use reopen link (reopen.ts). After erase_after
 * the retention job erases the workspace (erasure.ts).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { TenantDb } from "../../db/scoped";
import {
  apiIdempotency,
  closedTenantLedger,
  memberships,
  sessions,
  tenantBilling,
  tenants,
  users,
} from "../../db/schema";
import type { Limit } from "../../auth/rate-limit";
import { randomToken } from "../../auth/session";
import { hashToken } from "../../auth/tokens";
import type { Actor, RequestMeta } from "../../lib/actor";
import { DAY_MS } from "../../lib/retention-periods";
import { workspaceClosedMail } from "../../mail/closure-messages";
import type { BaseUrl } from "../account/accounts";
import { checkOwnPassword } from "../account/reauth";
import { auditInsert } from "../audit/audit";
import { failedWith } from "../billing/errors";
import { guardedValue } from "../billing/limits";
import { queueMail } from "../mail/outbox";
import { markPeopleStale } from "../shards/mirror";
import { endStripeCustomer } from "./closure-stripe";
import { NO_SUBSCRIPTION } from "../billing/subscriptions";

/**
 * Retired: the closing form's password now counts against the account's one budget (checkOwnPassword). Kept so an
 * erased account's counters of this name, written before, go with it (deletion.ts).
 */
export const CLOSE_FAILURE_LIMIT: Limit = { name: "close-reauth-user", max: 5, windowMs: 15 * 60_000 };

export interface CloseInput {
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

/** Closes the workspace of `t` (see the file comment). Re-authentication is the caller's job. */
export async function closeWorkspace(
  t: TenantDb,
  stripe: Stripe | null,
  input: CloseInput,
  meta: RequestMeta & { baseUrl: BaseUrl },
): Promise<CloseResult> {
  const { db, tenantId } = t;
  const [tenant] = await db
    .select({ name: tenants.name, closedAt: tenants.closedAt, customerId: tenantBilling.stripeCustomerId })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
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
        .where(eq(tenants.id, tenantId)),
      t.update(closedTenantLedger, { eraseAfter: meta.now, closedBy: input.closedBy }),
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
        .select({
          id: users.id,
          email: users.email,
          verified: users.emailVerifiedAt,
          timeZone: sql<string>`coalesce(${users.timeZone}, ${tenants.timeZone})`,
          locale: sql<string>`coalesce(${users.locale}, ${tenants.locale})`,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(t.where(memberships, eq(memberships.role, "owner")));
  const link = `${meta.baseUrl}/reopen/${tenantId}/${token}`;
  const mails = owners.map((o) =>
    queueMail(
      db,
      {
        to: o.email,
        tenantId,
        userId: o.id,
        // An unconfirmed address still gets its way back in, but not the typed name (closure-messages.tsx).
        ...workspaceClosedMail({
          tenantName: o.verified === null ? null : tenant.name,
          link,
          eraseAfter,
          timeZone: o.timeZone,
          locale: o.locale,
        }),
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
  const carriesThisClosure = sql`exists (select 1 from ${tenants}
    where ${tenants.id} = ${tenantId} and ${tenants.reopenTokenHash} = ${tokenHash})`;
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
        .where(and(eq(tenants.id, tenantId), isNull(tenants.closedAt))),
      t
        .insert(closedTenantLedger, {
          closedAt: guardedValue(carriesThisClosure, meta.now) as unknown as number,
          createdAt: meta.now,
          ...ledgerValues,
        })
        // A row left by an earlier closure that was reopened is replaced.
        .onConflictDoUpdate({
          target: closedTenantLedger.tenantId,
          set: { closedAt: meta.now, createdAt: meta.now, ...ledgerValues },
        }),
      // Every session working in the workspace ends now; members keep their other workspaces.
      t.delete(sessions),
      // The API's kept answers copy records; nothing replays them in a closed workspace.
      t.delete(apiIdempotency),
      t.update(tenantBilling, { ...NO_SUBSCRIPTION, stripeCustomerId: null, updatedAt: meta.now }),
      auditInsert(db, {
        tenantId,
        actorUserId: input.actorUserId,
        action: "workspace.closed",
        targetType: "tenant",
        targetId: tenantId,
        detail: {
          erase_after: new Date(eraseAfter).toISOString(),
          stripe_customer_deleted: stripeOutcome.deletedAt !== null,
          ...input.auditDetail,
        },
        ...meta,
      }),
      ...mails.map((m) => m.query),
      // Its shard's copy of the tenants row must learn it (the caller copies it; this mark is for a worker gone first).
      markPeopleStale(db, tenantId, meta.now),
    ]);
  } catch (err) {
    // The ledger guard refused: another closure of this tenant won.
    if (failedWith(err, "NOT NULL constraint failed: closed_tenant_ledger.closed_at"))
      return { ok: false, reason: "already_closed" };
    throw err;
  }
  return { ok: true, eraseAfter, mailIds: mails.map((m) => m.id) };
}

export type OwnerCloseResult =
  | CloseResult
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/** The owner's closure: their password first (the account's one budget, account/reauth.ts), then closeWorkspace. */
export async function closeWorkspaceAsOwner(
  t: TenantDb,
  stripe: Stripe | null,
  password: string,
  graceDays: number,
  owner: Actor & { baseUrl: BaseUrl },
): Promise<OwnerCloseResult> {
  const { db } = t;
  // The one per-account budget every re-entered password shares, counted before the check.
  const checked = await checkOwnPassword(db, owner.userId, password, owner.now);
  if (!checked.ok)
    return checked.reason === "rate_limited"
      ? { ok: false, reason: "rate_limited", retryAfter: checked.retryAfter }
      : { ok: false, reason: "wrong_password" };
  const [membership] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(t.where(memberships, eq(memberships.userId, owner.userId)))
    .limit(1);
  if (membership?.role !== "owner") return { ok: false, reason: "not_found" };
  return closeWorkspace(t, stripe, { closedBy: "owner", actorUserId: owner.userId, graceDays }, owner);
}
