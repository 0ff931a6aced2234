/**
 * Deals as other pages list them: a company's deals, a contact's deals (with their role), open first
 * (soonest expected close first) then closed (latest first); and the dashboard's open value and
 * deals closing this month. Statements for the pages' own D1 batch,
 * each scoped by tenant, so another workspace's deals are never read; amounts are formatted in the
 * reader's locale.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { dealContacts, deals, pipelineStages } from "../../db/schema";
import { formatAmount } from "../../lib/money";
import type { RelatedDealRow } from "../../../views/partials/deals/RelatedDeals";

/** How many deals a company's or a contact's page lists. */
export const RELATED_DEALS_SHOWN = 50;

/** A deal as the pages list it (amount formatted, role on a contact's page): the view declares its shape. */
export type RelatedDeal = RelatedDealRow;

export interface RelatedDeals {
  deals: RelatedDeal[];
  /** More than RELATED_DEALS_SHOWN. */
  more: boolean;
}

// Column names must differ across the join: D1's batch answers rows keyed by name.
const columns = {
  id: deals.id,
  name: deals.name,
  amountMinor: deals.amountMinor,
  currency: deals.currency,
  stage: sql<string>`${pipelineStages.name}`.as("stage_name"),
  status: deals.status,
  closeDate: deals.closeDate,
  closedOn: deals.closedOn,
};

// Open first, by expected close; then closed, the latest first.
const relatedOrder = [
  sql`(${deals.status} <> 'open')`,
  sql`CASE WHEN ${deals.status} = 'open' THEN ${deals.closeKey} END`,
  desc(deals.closedOn),
  desc(deals.id),
];

/** A company's deals (deals_tenant_company_idx): a statement for a page batch. */
export function companyDealsStatements(t: TenantDb, companyId: number) {
  return [
    t.db
      .select({ ...columns, role: sql<string | null>`NULL` })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(t.where(deals, eq(deals.companyId, companyId)))
      .orderBy(...relatedOrder)
      .limit(RELATED_DEALS_SHOWN + 1),
  ] as const;
}

/** A contact's deals with their role (deal_contacts_tenant_contact_idx), for a page batch. */
export function contactDealsStatements(t: TenantDb, contactId: number) {
  return [
    t.db
      .select({ ...columns, role: dealContacts.role })
      .from(dealContacts)
      .innerJoin(deals, and(eq(deals.id, dealContacts.dealId), eq(deals.tenantId, dealContacts.tenantId)))
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(t.where(dealContacts, eq(dealContacts.contactId, contactId)))
      .orderBy(...relatedOrder)
      .limit(RELATED_DEALS_SHOWN + 1),
  ] as const;
}

type DealRow = {
  id: number;
  name: string;
  amountMinor: number;
  currency: string;
  stage: string;
  status: "open" | "won" | "lost";
  closeDate: string | null;
  closedOn: string | null;
  role: string | null;
};

/** The deals from what either statement read, amounts written in the reader's `locale`. */
export function relatedDealsFromResults(results: unknown[], locale: string): RelatedDeals {
  const [rows] = results as [DealRow[]];
  return {
    deals: rows.slice(0, RELATED_DEALS_SHOWN).map((r) => ({
      id: r.id,
      name: r.name,
      amount: formatAmount(r.amountMinor, r.currency, locale),
      stage: r.stage,
      status: r.status,
      closeDate: r.closeDate,
      closedOn: r.closedOn,
      role: r.role,
    })),
    more: rows.length > RELATED_DEALS_SHOWN,
  };
}

// ---- the dashboard --------------------------------------------------------------------------------

export interface DashboardDeals {
  /** Open deals' value per currency, from the maintained totals; largest count first. */
  openValue: { currency: string; deals: number; amount: string }[];
  /** Open deals expected to close this (UTC calendar) month, soonest first. */
  closingThisMonth: (Omit<RelatedDeal, "role" | "closedOn"> & { closeDate: string })[];
}

/** The first day of the month of `now` (UTC) and of the next month, as 'YYYY-MM-DD'. */
export function monthBounds(now: number): { from: string; until: string } {
  const d = new Date(now);
  const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const until = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return { from: from.toISOString().slice(0, 10), until: until.toISOString().slice(0, 10) };
}

/** The dashboard's deals from what its lists statement read (src/services/dashboard/dashboard-sql.ts), amounts in `locale`. */
export function dashboardDealsFromResults(results: unknown[], locale: string): DashboardDeals {
  const [totals, closing] = results as [{ currency: string; deals: number; amountMinor: number }[], DealRow[]];
  return {
    openValue: totals
      .map((r) => ({ currency: r.currency, deals: r.deals, amount: formatAmount(r.amountMinor, r.currency, locale) }))
      .sort((a, b) => b.deals - a.deals || a.currency.localeCompare(b.currency)),
    closingThisMonth: closing.map((r) => ({
      id: r.id,
      name: r.name,
      amount: formatAmount(r.amountMinor, r.currency, locale),
      stage: r.stage,
      status: r.status,
      closeDate: r.closeDate ?? "",
    })),
  };
}
