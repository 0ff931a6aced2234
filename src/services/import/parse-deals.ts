/**
 * Deal rows of an import file (the first layer of deal imports; not wired into jobs yet): which
 * column is which (our export's headers, Pipedrive's, HubSpot's), its number format (amount-locale.ts), and one
 * row read into a deal record or refused with the reason. Stage, company, contacts and owner stay
 * names here; the plan resolves them against the workspace. Negative amounts are refused however written;
 * slashed dates are read in the file's order (deal-dates.ts).
 */
import { isCurrency, parseAmount } from "../../lib/money";
import { CONTACT_LIMITS } from "../contacts/form";
import {
  type Cells,
  customOf,
  EMAIL,
  gather,
  headerKey,
  ownerOf,
  type RowContext,
  single,
  TEXT_MAX,
  tagsOf,
} from "./cells";
import { dateCell, type SlashOrder } from "./deal-dates";
import type { RowResult } from "./parse";

// The date reader, where the deal rows' tests have always found it.
export { dateOf } from "./deal-dates";

export const DEAL_TARGETS = [
  "name",
  "amount",
  "currency",
  "pipeline",
  "stage",
  "status",
  "lost_reason",
  "close_date",
  "closed_on",
  "company",
  "company_domain",
  "contacts",
  "tags",
  "owner",
] as const;
export type DealTarget = (typeof DEAL_TARGETS)[number];

// Our export's headers (DEAL_CSV_COLUMNS), Pipedrive's ("Deal - Title"), HubSpot's, and German words.
const DEAL_ALIASES: Record<string, DealTarget> = {
  name: "name",
  "deal name": "name",
  "deal title": "name",
  "deal deal title": "name",
  title: "name",
  amount: "amount",
  value: "amount",
  "deal value": "amount",
  betrag: "amount",
  currency: "currency",
  "deal currency": "currency",
  wahrung: "currency",
  pipeline: "pipeline",
  "deal pipeline": "pipeline",
  stage: "stage",
  "deal stage": "stage",
  phase: "stage",
  status: "status",
  "deal status": "status",
  "lost reason": "lost_reason",
  "deal lost reason": "lost_reason",
  "close date": "close_date",
  "expected close date": "close_date",
  "deal expected close date": "close_date",
  "closed on": "closed_on",
  "deal won time": "closed_on",
  company: "company",
  organization: "company",
  organisation: "company",
  "deal organization": "company",
  "associated company": "company",
  firma: "company",
  "company domain": "company_domain",
  contacts: "contacts",
  contact: "contacts",
  "contact person": "contacts",
  "deal contact person": "contacts",
  "associated contact": "contacts",
  tags: "tags",
  owner: "owner",
  "deal owner": "owner",
};

/** Each column's target from its header ("" for a column that is not imported). */
export function dealMapping(headers: string[]): string[] {
  const seen = new Set<string>();
  return headers.map((h) => {
    const k = headerKey(h);
    const target = DEAL_ALIASES[k] ?? DEAL_ALIASES[k.replace(/^deal /, "")] ?? "";
    // One column per target, but contacts and tags, which may be spread over several.
    if (!target || (seen.has(target) && target !== "contacts" && target !== "tags")) return "";
    seen.add(target);
    return target;
  });
}

/** An amount cell without the currency around it ("1.234,56 €", "$ 12,500.50", "EUR 100"). */
export function bareAmount(cell: string): string {
  return cell.replace(/^[^\d-]+|[^\d]+$/g, "");
}

/**
 * A negative amount as sheets write it besides a leading "-" (which parseAmount refuses): in parentheses
 * ("(1,234.00)"), with a typographic minus or dash ("−1234", U+2212), or with the minus after ("1234-").
 * bareAmount would strip each of these signs and leave a positive number.
 */
const MINUS = "-\u2212\u2012\u2013\ufe63\uff0d";
// A dash right after the digits is a trailing minus ("1234-"); after a decimal separator it stands for no cents
// ("2.500,–", "CHF 1'500.–"), as German and Swiss prices are written.
const NEGATIVE_AMOUNT = new RegExp(`\\([^()]*\\d[^()]*\\)|^\\D*[${MINUS}]|\\d\\s*[${MINUS}]\\D*$`);

export interface DealRecord {
  name: string;
  amountMinor: number;
  /** The row had an amount (0 included); without one, a matched deal keeps its own. */
  amountGiven: boolean;
  /** The row's currency, else the workspace's (and amountMinor is in it). */
  currency: string;
  /** The row had a currency: without one, a matched deal keeps its own and the amount is read in it. */
  currencyGiven: boolean;
  pipeline: string | null;
  stage: string | null;
  /** The row named a stage, or an outcome: without, a matched deal keeps its own. */
  stageGiven: boolean;
  status: "open" | "won" | "lost";
  statusGiven: boolean;
  lostReason: string | null;
  closeDate: string | null;
  closedOn: string | null;
  company: string | null;
  companyDomain: string | null;
  /** The file has a company (or company domain) column: an empty cell there means "no company". */
  companyInFile: boolean;
  /** Each an email, or a name when the file gives no email, with the role in parentheses if any. */
  contacts: { ref: string; byEmail: boolean; role: string | null }[];
  tags: string[];
  owner: string | null;
  /** Deal field id → value (checked as the form checks it); a matched deal's values are left as they are. */
  custom: Record<string, string>;
}

/** What reading deal rows needs besides the cells. */
export interface DealRowContext extends RowContext {
  /** The workspace's default currency, for rows without one. */
  currency: string;
  /** The file's number format (amountLocaleOf), and the workspace's locale for dates with slashes the file leaves open. */
  amountLocale: string;
  locale: string;
  /** The file's order of slashed dates (slashOrderOf); absent or null: the workspace's locale's. */
  dateOrder?: SlashOrder | "mixed" | null;
}

const STATUSES: Record<string, DealRecord["status"]> = {
  open: "open",
  won: "won",
  lost: "lost",
  "closed won": "won",
  closedwon: "won",
  "closed lost": "lost",
  closedlost: "lost",
  gewonnen: "won",
  verloren: "lost",
  offen: "open",
};

/** "a@x.com (Champion); Grace Nowak" → one entry per person, the role from the parentheses. */
export function contactsOf(values: Cells): DealRecord["contacts"] | string {
  const out: DealRecord["contacts"] = [];
  for (const { value } of values.get("contacts") ?? []) {
    for (const part of value.split(/\s*;\s*/)) {
      if (!part) continue;
      const m = part.match(/^(.*?)\s*\(([^()]*)\)$/);
      const ref = (m ? m[1]! : part).trim();
      const role = m ? m[2]!.trim() || null : null;
      if (!ref) continue;
      if (ref.length > TEXT_MAX) return `The contact “${ref.slice(0, 60)}…” is longer than ${TEXT_MAX} characters.`;
      if (role && role.length > 100) return `The role “${role.slice(0, 60)}…” is longer than 100 characters.`;
      const byEmail = EMAIL.test(ref);
      out.push({ ref: byEmail ? ref.toLowerCase() : ref, byEmail, role });
    }
  }
  return out.length > 50 ? "At most 50 contacts per deal." : out;
}

/** One deal row: read, or refused with the reason. */
export function dealFromRow(cells: string[], ctx: DealRowContext): RowResult<DealRecord> {
  const g = gather(cells, ctx);
  if (g.ok !== true) return g;
  const v = g.values;
  const texts: Partial<Record<DealTarget, string | null>> = {};
  for (const target of ["name", "pipeline", "stage", "lost_reason", "company", "company_domain"] as const) {
    const s = single(v, target, target === "name" ? "The name" : `The ${target.replace("_", " ")}`, TEXT_MAX);
    if (!s.ok) return { ok: false, reason: s.reason };
    texts[target] = s.value;
  }
  if (!texts.name) return { ok: false, reason: "The row has no deal name." };
  const givenCurrency = (v.get("currency") ?? [])[0]?.value;
  // Without one, the workspace's: what a new deal gets (a matched deal keeps its own, plan-deals.ts).
  const currency = (givenCurrency || ctx.currency).toUpperCase();
  if (!isCurrency(currency))
    return { ok: false, reason: `“${currency.slice(0, 20)}” is not a currency code (ISO 4217).` };
  let amountMinor = 0;
  const rawAmount = (v.get("amount") ?? [])[0]?.value;
  if (rawAmount) {
    if (NEGATIVE_AMOUNT.test(rawAmount))
      return { ok: false, reason: `Amount “${rawAmount.slice(0, 40)}”: An amount cannot be negative.` };
    const parsed = parseAmount(bareAmount(rawAmount), ctx.amountLocale, currency);
    if (!parsed.ok) return { ok: false, reason: `Amount “${rawAmount.slice(0, 40)}”: ${parsed.message}` };
    amountMinor = parsed.minor;
  }
  const rawStatus = (v.get("status") ?? [])[0]?.value;
  let status: DealRecord["status"] = "open";
  let statusGiven = Boolean(rawStatus);
  if (rawStatus) {
    const s = STATUSES[headerKey(rawStatus)];
    if (!s) return { ok: false, reason: `“${rawStatus.slice(0, 40)}” is not a status (open, won or lost).` };
    status = s;
  } else if (texts.stage && STATUSES[headerKey(texts.stage)] && STATUSES[headerKey(texts.stage)] !== "open") {
    // HubSpot writes the outcome as the stage ("Closed won").
    status = STATUSES[headerKey(texts.stage)]!;
    statusGiven = true;
    texts.stage = null;
  }
  const dates: Partial<Record<"close_date" | "closed_on", string | null>> = {};
  for (const target of ["close_date", "closed_on"] as const) {
    const raw = (v.get(target) ?? [])[0]?.value;
    if (!raw) continue;
    const date = dateCell(raw, ctx.locale, ctx.dateOrder);
    if (!date.ok) return date;
    dates[target] = date.date;
  }
  const contacts = contactsOf(v);
  if (typeof contacts === "string") return { ok: false, reason: contacts };
  const tags = tagsOf(v);
  if (typeof tags === "string") return { ok: false, reason: tags };
  const custom = customOf(v, ctx.fields, ctx.numberLocales);
  if (typeof custom === "string") return { ok: false, reason: custom };
  return {
    ok: true,
    record: {
      name: texts.name,
      amountMinor,
      amountGiven: Boolean(rawAmount),
      currency,
      currencyGiven: Boolean(givenCurrency),
      pipeline: texts.pipeline ?? null,
      stage: texts.stage ?? null,
      stageGiven: Boolean(texts.stage),
      status,
      statusGiven,
      lostReason: status === "lost" ? (texts.lost_reason ?? null) : null,
      closeDate: dates.close_date ?? null,
      closedOn: status === "open" ? null : (dates.closed_on ?? dates.close_date ?? null),
      company: texts.company ?? null,
      companyDomain: texts.company_domain ?? null,
      companyInFile: ctx.mapping.includes("company") || ctx.mapping.includes("company_domain"),
      contacts,
      tags: tags.slice(0, CONTACT_LIMITS.tags),
      owner: ownerOf(v),
      custom,
    },
  };
}
