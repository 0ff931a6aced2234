/** How charts write their numbers for a reader: amounts in the workspace's currency, counts, both full and short. */
import { compactFormat } from "../../../../views/components/charts/format";
import { formatAmount, majorAmountFormatter, numberFormat } from "../../../lib/money";

export function chartFormats(currency: string, locale: string) {
  const whole = numberFormat(locale, { maximumFractionDigits: 0 });
  const rate = numberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const tenths = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    money: majorAmountFormatter(currency, locale),
    moneyTick: compactFormat(locale, currency),
    count: (n: number) => whole.format(n),
    countTick: compactFormat(locale),
    amount: (minor: number, code: string) => formatAmount(minor, code, locale),
    percent: (fraction: number) => rate.format(fraction),
    days: (days: number) => `${tenths.format(days)} days`,
  };
}
