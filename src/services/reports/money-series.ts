/**
 * Amounts per category split by currency: a chart draws the workspace's currency, and what is in other
 * currencies is said beside it (never added up as if it were the same money).
 */
import { minorDigits } from "../../lib/money";

export interface OtherCurrency {
  currency: string;
  deals: number;
  amountMinor: number;
}

export interface MoneySeries {
  /** Per category, in major units of the workspace's currency. */
  values: number[];
  /** Per category, the deals counted. */
  deals: number[];
  /** Totals in the other currencies, largest count first. */
  other: OtherCurrency[];
}

export interface MoneyRow {
  key: string;
  currency: string;
  deals: number;
  amountMinor: number;
}

/** Folds rows keyed by category (`keys`, in order) into the workspace currency's series and the others' totals. */
export function moneySeries(rows: MoneyRow[], keys: string[], currency: string): MoneySeries {
  const at = new Map(keys.map((k, i) => [k, i]));
  const values = keys.map(() => 0);
  const deals = keys.map(() => 0);
  const other = new Map<string, OtherCurrency>();
  const scale = 10 ** minorDigits(currency);
  for (const r of rows) {
    const i = at.get(r.key);
    if (i === undefined) continue;
    if (r.currency === currency) {
      values[i]! += r.amountMinor / scale;
      deals[i]! += r.deals;
    } else {
      const o = other.get(r.currency) ?? { currency: r.currency, deals: 0, amountMinor: 0 };
      o.deals += r.deals;
      o.amountMinor += r.amountMinor;
      other.set(r.currency, o);
    }
  }
  return {
    values,
    deals,
    other: [...other.values()].sort((a, b) => b.deals - a.deals || a.currency.localeCompare(b.currency)),
  };
}
