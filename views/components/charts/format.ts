/** Built formatters by locale and currency: building one costs more than a chart's worth of formatting. */
const compactFormatters = new Map<string, Intl.NumberFormat>();
/** A bound on the cache, should readers bring many different locales. */
const MAX_CACHED = 64;

/**
 * Short tick labels ("€12K", "1.2M") in the reader's locale, for ChartProps.formatTick. An unknown
 * locale or currency falls back to plain compact numbers rather than failing the page.
 */
export function compactFormat(locale: string, currency?: string): (n: number) => string {
  const key = `${locale}|${currency ?? ""}`;
  let formatter = compactFormatters.get(key);
  if (!formatter) {
    formatter = buildCompact(locale, currency);
    if (compactFormatters.size >= MAX_CACHED) compactFormatters.clear();
    compactFormatters.set(key, formatter);
  }
  const cached = formatter;
  return (n) => cached.format(n);
}

function buildCompact(locale: string, currency: string | undefined): Intl.NumberFormat {
  const options: Intl.NumberFormatOptions = {
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  };
  try {
    return new Intl.NumberFormat(locale, currency ? { ...options, style: "currency", currency } : options);
  } catch {
    return new Intl.NumberFormat("en", options);
  }
}
