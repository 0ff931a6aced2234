/** Turning the board's data into what its views show: amounts and dates written in the reader's locale. */
import { minorDigits, numberFormat } from "../../../lib/money";
import type { Card, StageHead } from "../../../services/deals/board";
import { formatCalendarDate } from "../../../../views/lib/time";
import type { CardView, HeadView } from "../../../../views/pages/deals/BoardCards";

/** An amount in whole major units for cards and heads ("$12,500"): the deal page shows the cents. */
export function wholeAmount(minor: number, currency: string, locale: string): string {
  // Keyed without JSON.stringify: the board formats 300 amounts per page.
  const key = `${locale}|${currency}`;
  let whole = wholeFormats.get(key);
  if (!whole) {
    const f = numberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
    whole = { format: f, divisor: 10 ** minorDigits(currency) };
    wholeFormats.set(key, whole);
  }
  return whole.format.format(minor / whole.divisor);
}
const wholeFormats = new Map<string, { format: Intl.NumberFormat; divisor: number }>();

export function cardView(c: Card, locale: string): CardView {
  return {
    id: c.id,
    name: c.name,
    company: c.companyName,
    amount: wholeAmount(c.amountMinor, c.currency, locale),
    closeDate: c.closeDate ? formatCalendarDate(c.closeDate, locale) : null,
    overdue: c.overdue,
    owner: c.owner,
  };
}

/** "Lead · 12 · $48,000 · weighted $4,800": the workspace currency's total; other currencies beside it. */
export function headView(h: StageHead, currency: string, locale: string): HeadView {
  const own = h.totals.find((x) => x.currency === currency)?.amountMinor ?? 0;
  return {
    stageId: h.stage.id,
    name: h.stage.name,
    count: h.count,
    total: wholeAmount(own, currency, locale),
    weighted: wholeAmount(Math.round((own * h.stage.probability) / 100), currency, locale),
    others: h.totals.filter((x) => x.currency !== currency).map((x) => wholeAmount(x.amountMinor, x.currency, locale)),
  };
}
