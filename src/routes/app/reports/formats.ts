/** How charts write their numbers for a reader: amounts in the workspace's currency, counts, both full and short. */
import { compactFormat } from "../../../../views/components/charts/format";
import { formatAmount, majorAmountFormatter, numberFormat } from "../../../lib/money";

/** Per formatter, the strings it gave for the last values asked: Intl's compact and currency formats are slow,
 *  a chart asks for the same tick and bar values several times, and a dashboard is reloaded with the same figures. */
const KEPT = 256;
const memos = new Map<string, Map<number, string>>();

function remembered(key: string, format: (n: number) => string): (n: number) => string {
  let memo = memos.get(key);
  if (!memo) {
    memo = new Map();
    memos.set(key, memo);
  }
  const m = memo;
  return (n) => {
    let s = m.get(n);
    if (s === undefined) {
      s = format(n);
      if (m.size >= KEPT) m.delete(m.keys().next().value as number);
      m.set(n, s);
    }
    return s;
  };
}

export function chartFormats(currency: string, locale: string) {
  const whole = numberFormat(locale, { maximumFractionDigits: 0 });
  const rate = numberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const tenths = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const key = `${locale}|${currency}`;
  return {
    money: remembered(`money|${key}`, majorAmountFormatter(currency, locale)),
    moneyTick: remembered(`moneyTick|${key}`, compactFormat(locale, currency)),
    count: remembered(`count|${locale}`, (n: number) => whole.format(n)),
    countTick: remembered(`countTick|${locale}`, compactFormat(locale)),
    amount: (minor: number, code: string) => formatAmount(minor, code, locale),
    percent: (fraction: number) => rate.format(fraction),
    days: (days: number) => `${tenths.format(days)} days`,
  };
}
