/** The pager's "1–50 of 2,098": where a page sits in its list, and how sure the count is. */

/** How many records the list holds: exact, or only known to be more than `count` (a bounded count). */
export interface ListCount {
  count: number;
  /** True when the count stopped at its bound: there are more than `count`. */
  over: boolean;
}

/** A number as the reader writes it (2,098 or 2.098), falling back to English. */
export function formatCount(n: number, locale: string | null): string {
  return countFormat(locale ?? "en").format(n);
}

// One formatter per locale for the isolate's life: building one costs more than the page's other numbers.
const countFormats = new Map<string, Intl.NumberFormat>();
function countFormat(locale: string): Intl.NumberFormat {
  let format = countFormats.get(locale);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale);
    } catch {
      format = new Intl.NumberFormat("en");
    }
    if (countFormats.size < 100) countFormats.set(locale, format);
  }
  return format;
}

/** "1–50 of 2,098", "51–100 of over 10,000", or "1–3" when the total is not known. */
export function pageRange(offset: number, rows: number, total: ListCount | null, locale: string | null): string {
  if (rows === 0) return total && !total.over ? `0 of ${formatCount(total.count, locale)}` : "None";
  const span = `${formatCount(offset + 1, locale)}–${formatCount(offset + rows, locale)}`;
  if (!total) return span;
  return `${span} of ${total.over ? "over " : ""}${formatCount(total.count, locale)}`;
}
