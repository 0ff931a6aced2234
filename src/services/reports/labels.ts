/** Chart category labels in the reader's locale: "Mar 2026" for a month, "Mar 2" for a week's Monday. */
const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    formats.set(key, f);
  }
  return f;
}

/** 'YYYY-MM' as "Mar 2026". */
export const monthLabel = (month: string, locale: string) =>
  dateFormat(locale, { month: "short", year: "numeric" }).format(new Date(`${month}-01T00:00:00Z`));

/** A week's Monday as "Mar 2". */
export const weekLabel = (day: string, locale: string) =>
  dateFormat(locale, { month: "short", day: "numeric" }).format(new Date(`${day}T00:00:00Z`));

/** A month on a chart's axis: "Mar", or the year for January ("2027"), so the axis shows where years turn. */
export const monthTick = (month: string, locale: string) =>
  month.endsWith("-01")
    ? month.slice(0, 4)
    : dateFormat(locale, { month: "short" }).format(new Date(`${month}-01T00:00:00Z`));
