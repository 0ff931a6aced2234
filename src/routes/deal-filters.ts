/**
 * The deal list's filters, read from a URL's query: the list (src/routes/app/deals/list.tsx) and its
 * "select all matching" bulk action read them here, so the action reaches exactly what the list shows.
 */
import { DEAL_STATUSES, type DealStatus } from "../db/schema";
import type { TenantDb } from "../db/scoped";
import { minorDigits, parseAmount } from "../lib/money";
import type { DealListFilters } from "../services/deals/list";
import { getWorkspaceSettings } from "../services/team/workspace-settings";
import { parseCustomFilters } from "../services/records/list-filters";
import { parseRecordId } from "./record-helpers";
import type { DealListEcho } from "../../views/pages/deals/DealsListPage";

export const DEAL_ECHO_KEYS = [
  "pipeline",
  "owner",
  "mine",
  "tag",
  "close_month",
  "amount_min",
  "amount_max",
  "status",
  "q",
] as const;

export interface DealFiltersRead {
  echo: DealListEcho;
  filters: DealListFilters;
  /** Messages by field for values that cannot be read (the list shows them, the bulk action refuses). */
  errors: Record<string, string>;
  /** Custom field filters that are not the workspace's deal fields (the list answers 404). */
  rejected: string[];
}

/** Whether reading these filters needs the user or the workspace first ("my deals", amounts, custom fields). */
export const dealFiltersReadFirst = (query: URLSearchParams) =>
  query.get("mine") === "1" ||
  Boolean(query.get("amount_min") || query.get("amount_max")) ||
  [...query.keys()].some((k) => k.startsWith("cf_"));

/**
 * Reads the deal list's filters for a workspace and user (whose "my deals" and number format apply);
 * `who` may be null only when dealFiltersReadFirst(query) is false (the list before its session batch).
 */
export async function readDealFilters(
  who: { t: TenantDb; user: { id: string; locale: string } } | null,
  query: URLSearchParams,
): Promise<DealFiltersRead> {
  const t = () => {
    if (!who) throw new Error("readDealFilters: these filters need the workspace and the user");
    return who.t;
  };
  const user = () => t() && who!.user;
  const rejected: string[] = [];
  const customKeys = [...query.keys()].some((k) => k.startsWith("cf_"));
  const { custom, customEcho } = customKeys
    ? await parseCustomFilters(t(), query, "deal", rejected, user().locale)
    : { custom: [], customEcho: {} };
  const echo = {
    ...Object.fromEntries(DEAL_ECHO_KEYS.map((k) => [k, (query.get(k) ?? "").trim().slice(0, 200)])),
    custom: customEcho,
  } as unknown as DealListEcho;
  const errors: Record<string, string> = {};
  const idFilter = (key: "pipeline" | "tag") => {
    if (!echo[key]) return null;
    const id = parseRecordId(echo[key]);
    if (id === null) errors[key] = "Choose one from the list.";
    return id;
  };
  const closeMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(echo.close_month) ? echo.close_month : null;
  if (echo.close_month && !closeMonth) errors.close_month = "Enter a month like 2026-03.";
  const status = (DEAL_STATUSES as readonly string[]).includes(echo.status) ? (echo.status as DealStatus) : null;
  if (echo.status && !status) errors.status = "Choose open, won or lost.";
  // Amounts are typed as the reader writes them; the bound is compared in each deal's own currency.
  let amountMin: number | null = null;
  let amountMax: number | null = null;
  if (echo.amount_min || echo.amount_max) {
    const settings = await getWorkspaceSettings(t());
    const currency = settings?.currency ?? "USD";
    const read = (key: "amount_min" | "amount_max") => {
      if (!echo[key]) return null;
      const r = parseAmount(echo[key], user().locale, currency);
      if (!r.ok) {
        errors[key] = r.message;
        return null;
      }
      return r.minor * 10 ** (3 - minorDigits(currency));
    };
    amountMin = read("amount_min");
    amountMax = read("amount_max");
  }
  const filters: DealListFilters = {
    pipelineId: idFilter("pipeline"),
    ownerId: echo.mine === "1" ? user().id : echo.owner || null,
    tagId: idFilter("tag"),
    closeMonth,
    amountMin,
    amountMax,
    status,
    name: echo.q ? echo.q.toLowerCase() : null,
    custom,
  };
  return { echo, filters, errors, rejected };
}

/** The query string of a deal list's filters (no sort or page): what "select all matching" posts. */
export function dealFilterQuery(echo: DealListEcho): string {
  const q = new URLSearchParams();
  for (const k of DEAL_ECHO_KEYS) if (echo[k]) q.set(k, echo[k]);
  for (const [k, v] of Object.entries(echo.custom)) if (v) q.set(k, v);
  return q.toString();
}

/**
 * The filters as a saved view keeps them, which colleagues read in their own number format: custom numbers and
 * amounts as plain decimals ("1.500" typed in de is "1500"); a value that could not be read stays as typed.
 */
export function canonicalDealEcho(read: Pick<DealFiltersRead, "echo" | "filters">): DealListEcho {
  const { echo, filters } = read;
  const plain = (milli: number | null, typed: string) => (milli === null ? typed : milliToDecimal(milli));
  return {
    ...echo,
    amount_min: plain(filters.amountMin, echo.amount_min),
    amount_max: plain(filters.amountMax, echo.amount_max),
    custom: Object.fromEntries(filters.custom.map((c) => [`cf_${c.fieldId}`, c.value])),
  };
}

/** Thousandths of a major unit (as the amount filters compare) as decimal text: 1500500 → "1500.5". */
function milliToDecimal(milli: number): string {
  const fraction = String(milli % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${Math.floor(milli / 1000)}${fraction ? `.${fraction}` : ""}`;
}
