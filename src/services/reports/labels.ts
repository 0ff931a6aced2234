/**
 * Chart category labels in the reader's locale: "Mar 2026" for a month, "Mar 2" for a week's Monday, "Mar" (or
 * the year for January) on a month axis. Each label is made once per locale and date and kept (a bounded set: a
 * dashboard asks for the same forty on every visit, and Intl's formatting shows in its profile).
 */
const formats = new Map<string, Intl.DateTimeFormat>();
const labels = new Map<string, string>();
const KEPT = 2000;

function label(kind: string, locale: string, date: string, options: Intl.DateTimeFormatOptions): string {
  const key = `${kind}|${locale}|${date}`;
  let text = labels.get(key);
  if (text === undefined) {
    const formatKey = `${kind}|${locale}`;
    let f = formats.get(formatKey);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
      formats.set(formatKey, f);
    }
    text = f.format(new Date(`${date}T00:00:00Z`));
    if (labels.size >= KEPT) labels.delete(labels.keys().next().value as string);
    labels.set(key, text);
  }
  return text;
}

/** 'YYYY-MM' as "Mar 2026". */
export const monthLabel = (month: string, locale: string) =>
  label("month", locale, `${month}-01`, { month: "short", year: "numeric" });

/** A week's Monday as "Mar 2". */
export const weekLabel = (day: string, locale: string) =>
  label("week", locale, day, { month: "short", day: "numeric" });

/** A month on a chart's axis: "Mar", or the year for January ("2027"), so the axis shows where years turn. */
export const monthTick = (month: string, locale: string) =>
  month.endsWith("-01") ? month.slice(0, 4) : label("tick", locale, `${month}-01`, { month: "short" });
