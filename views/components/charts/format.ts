/**
 * Short tick labels ("€12K", "1.2M") in the reader's locale, for ChartProps.formatTick. An unknown
 * locale or currency falls back to plain compact numbers rather than failing the page.
 */
export function compactFormat(locale: string, currency?: string): (n: number) => string {
  const options: Intl.NumberFormatOptions = {
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  };
  let formatter: Intl.NumberFormat;
  try {
    formatter = new Intl.NumberFormat(locale, currency ? { ...options, style: "currency", currency } : options);
  } catch {
    formatter = new Intl.NumberFormat("en", options);
  }
  return (n) => formatter.format(n);
}
