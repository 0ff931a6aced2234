/**
 * Closing a workspace ends its Stripe customer: its invoices are read into the closed-tenant ledger
 * first (references, amounts and dates only), then the customer is deleted, which cancels its
 * subscriptions. Stripe comes before our batch: a workspace we could not stop billing is not closed.
 */
import type Stripe from "stripe";
import { isMissingResource } from "../billing/errors";
import { errorText } from "../../lib/error-text";

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

export type StripeOutcome = { ok: true; invoices: LedgerInvoice[]; deletedAt: number | null } | { ok: false };

/**
 * Reads the customer's invoices, then deletes the customer (Stripe cancels its subscriptions with
 * it). A customer already gone counts as deleted, so a retried closure goes through.
 */
export async function endStripeCustomer(
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
      console.error(JSON.stringify({ type: "stripe_error", op: "closure", error: errorText(err, 300) }));
      return { ok: false };
    }
  }
  return { ok: true, invoices, deletedAt: now };
}
