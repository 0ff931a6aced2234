/**
 * What a deals import row changes on the deal it matched (plan-deals.ts): the fields it sets, import_records'
 * before and after, the timeline's changes and the preview's lines.
 */
import { formatAmount, minorDigits } from "../../lib/money";
import type { DealChunkRecord } from "./analyse-deals";
import type { DealFields, DealUpdateRow } from "./plan-deals-sql";
import type { ReviewChange } from "./review";

/** A matched deal as it is now (the columns an import may change, and its times for undo). */
export interface CurrentDeal {
  id: number;
  name: string;
  name_sort: string;
  company_id: number | null;
  amount_minor: number;
  currency: string;
  stage_id: number;
  status: DealFields["status"];
  lost_reason: string | null;
  close_date: string | null;
  closed_on: string | null;
  updated_at: number;
  last_activity_at: number;
}

/** The same amount in the minor units of `to` (12.50: 1250 for EUR, null for JPY, which has no decimals). */
function inCurrency(minor: number, from: string, to: string): number | null {
  const shift = minorDigits(to) - minorDigits(from);
  if (shift >= 0) return minor * 10 ** shift;
  return minor % 10 ** -shift === 0 ? minor / 10 ** -shift : null;
}

/**
 * What a row changes on the deal it matched: amount (with its currency, else in the deal's), stage, close
 * date, status (with the lost reason and closing date), the company when the deal had none. An empty cell or a missing
 * column never changes a value (a re-import of a file without statuses does not reopen won deals); the
 * name never changes.
 */
export function dealUpdate(
  was: CurrentDeal,
  r: DealChunkRecord & { companyId: number | null },
  rowNo: number,
  names: { stageName: Map<number, string>; companyName: Map<number, string> },
  locale: string,
  today: string,
): {
  row: DealUpdateRow;
  review: { row: number; rowName: string; id: number; name: string; changes: ReviewChange[] };
} | null {
  const set: Partial<DealFields> = {};
  const { stageName, companyName } = names;
  const current: DealFields = {
    companyId: was.company_id,
    amountMinor: was.amount_minor,
    currency: was.currency,
    stageId: was.stage_id,
    status: was.status,
    lostReason: was.lost_reason,
    closeDate: was.close_date,
    closeKey: was.close_date ?? "9999-12-31",
    closedOn: was.closed_on,
  };
  // A row without an amount leaves the deal's alone; "0" sets it to zero. (Chunks analysed before
  // amountGiven existed lack it: there, as then, 0 meant no amount.)
  const amountGiven = r.amountGiven ?? r.amountMinor !== 0;
  // Without a currency the amount is in the deal's own (null: it has more decimals than that one allows).
  const currencyGiven = r.currencyGiven ?? true;
  const minor = currencyGiven ? r.amountMinor : inCurrency(r.amountMinor, r.currency, was.currency);
  if (amountGiven && minor !== null) {
    set.amountMinor = minor;
    set.currency = currencyGiven ? r.currency : was.currency;
  }
  if (was.company_id === null && r.companyId !== null) set.companyId = r.companyId;
  // Chunks analysed before stageGiven/statusGiven existed lack them: there, as then, the row's are used.
  if ((r.stageGiven ?? true) && r.stageId !== was.stage_id) set.stageId = r.stageId;
  if (r.closeDate && r.closeDate !== was.close_date) {
    set.closeDate = r.closeDate;
    set.closeKey = r.closeDate;
  }
  const statusGiven = r.statusGiven ?? true;
  if (statusGiven && r.status !== was.status) {
    set.status = r.status;
    set.lostReason = r.status === "lost" ? r.lostReason : null;
    set.closedOn = r.status === "open" ? null : (r.closedOn ?? today);
  } else if (statusGiven && r.status === "lost" && r.lostReason && r.lostReason !== was.lost_reason)
    set.lostReason = r.lostReason;
  for (const k of Object.keys(set) as (keyof DealFields)[]) if (set[k] === current[k]) delete set[k];
  if (Object.keys(set).length === 0) return null;
  const before: Partial<DealFields> = {};
  for (const k of Object.keys(set) as (keyof DealFields)[]) (before as Record<string, unknown>)[k] = current[k];
  const after = { ...current, ...set };
  const changes: Record<string, [unknown, unknown]> = {};
  const amount = (f: DealFields) => formatAmount(f.amountMinor, f.currency, locale);
  if ("companyId" in set)
    changes.company = [null, after.companyId === null ? null : (companyName.get(after.companyId) ?? null)];
  // A currency-only change (the same number in another currency) is an amount change too.
  if ("amountMinor" in set || "currency" in set) changes.amount = [amount(current), amount(after)];
  if ("stageId" in set) changes.stage = [stageName.get(current.stageId) ?? null, stageName.get(after.stageId) ?? null];
  if ("closeDate" in set) changes.closeDate = [current.closeDate, after.closeDate];
  if ("status" in set) changes.status = [current.status, after.status];
  if ("lostReason" in set && (current.lostReason || after.lostReason))
    changes.lostReason = [current.lostReason, after.lostReason];
  const labels: Record<string, string> = {
    company: "Company",
    amount: "Amount",
    stage: "Stage",
    closeDate: "Close date",
    status: "Status",
    lostReason: "Lost reason",
  };
  const shown = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    row: {
      id: was.id,
      rowNo,
      set,
      before: { ...before, updatedAt: was.updated_at, lastActivityAt: was.last_activity_at },
      after: set,
      changes,
      moves: "stageId" in set || "status" in set,
    },
    review: {
      row: rowNo,
      rowName: r.name,
      id: was.id,
      name: was.name,
      changes: Object.entries(changes).map(([f, [b, a]]) => ({
        field: labels[f] ?? f,
        before: shown(b),
        after: shown(a),
      })),
    },
  };
}
