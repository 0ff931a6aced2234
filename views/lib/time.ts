/**
 * Times as the reader reads them: in their IANA zone (their own, else their workspace's, else UTC) and
 * written the way their locale writes dates ("12/5/2026, 3:04 PM", "5.12.2026, 15:04"), set by render()
 * around the page's rendering. Stored times are UTC milliseconds; calendar dates (a close date, a due
 * date) are 'YYYY-MM-DD' strings, written in the locale's short form but never moved by a zone.
 * Without a locale (a signed-out page) both stay ISO-like: "2026-12-05 15:04 UTC".
 */

export interface Reader {
  zone: string;
  /** BCP 47; null: ISO-like text. */
  locale: string | null;
}

let reader: Reader = { zone: "UTC", locale: null };

/**
 * Renders with `r` as the reader. Rendering our views is synchronous, and a Worker runs one request's
 * synchronous code at a time, so no other request sees it. (hono/jsx's context did the same through
 * AsyncLocalStorage and cost the contacts list a twentieth of its speed.)
 */
export function renderInZone<T>(r: Reader, render: () => T): T {
  const previous = reader;
  reader = r;
  try {
    return render();
  } finally {
    reader = previous;
  }
}

/** The zone of the page being rendered (call it while rendering, as a component does). */
export function readerTimeZone(): string {
  return reader.zone;
}

/** The locale of the page being rendered, or null for ISO-like dates (call it while rendering). */
export function readerLocale(): string | null {
  return reader.locale;
}

export type TimePrecision = "date" | "minute" | "second";

const isoParts = new Map<string, Intl.DateTimeFormat>();

function isoPartsFor(zone: string): Intl.DateTimeFormat {
  let f = isoParts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    isoParts.set(zone, f);
  }
  return f;
}

// Making an Intl.DateTimeFormat costs as much as formatting hundreds of dates: one per zone, locale and precision.
const localeFormats = new Map<string, Intl.DateTimeFormat>();

function localeFormatFor(zone: string, locale: string, precision: TimePrecision): Intl.DateTimeFormat {
  const key = `${zone}|${locale}|${precision}`;
  let f = localeFormats.get(key);
  if (!f) {
    const date: Intl.DateTimeFormatOptions = { timeZone: zone, year: "numeric", month: "numeric", day: "numeric" };
    f = new Intl.DateTimeFormat(
      locale,
      precision === "date"
        ? date
        : {
            ...date,
            hour: "numeric",
            minute: "2-digit",
            second: precision === "second" ? "2-digit" : undefined,
            timeZoneName: "short",
          },
    );
    localeFormats.set(key, f);
  }
  return f;
}

const NARROW_SPACE = /\u202f/g;

/**
 * The instant's wall time in `zone`: in `locale`'s way ("12/5/2026", "12/5/2026, 3:04 PM EST"), or
 * without one ISO-like ("2026-12-05", "2026-12-05 15:04 GMT+1", or with seconds).
 */
export function formatInstant(
  ms: number,
  zone: string,
  precision: TimePrecision = "date",
  locale: string | null = null,
): string {
  // ICU puts a narrow no-break space before AM/PM: a plain one reads the same and survives plain-text mail.
  if (locale) return localeFormatFor(zone, locale, precision).format(ms).replace(NARROW_SPACE, " ");
  if (zone === "UTC") {
    // The common case without Intl: the same text as the ISO string gives.
    const iso = new Date(ms).toISOString();
    if (precision === "date") return iso.slice(0, 10);
    return `${iso.slice(0, precision === "minute" ? 16 : 19).replace("T", " ")} UTC`;
  }
  const p: Record<string, string> = {};
  for (const part of isoPartsFor(zone).formatToParts(ms)) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  if (precision === "date") return day;
  const clock = precision === "minute" ? `${p.hour}:${p.minute}` : `${p.hour}:${p.minute}:${p.second}`;
  return `${day} ${clock} ${p.timeZoneName}`;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The instant's time of day in `zone`, the way `locale` writes it ("2:00 PM", "14:00"), for a line that gives the day. */
export function formatClock(ms: number, zone: string, locale: string): string {
  const key = `${zone}|${locale}`;
  let f = clockFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "numeric", minute: "2-digit" });
    clockFormats.set(key, f);
  }
  return f.format(ms).replace(NARROW_SPACE, " ");
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date ('YYYY-MM-DD') in `locale`'s short form ("12/5/2026", "5.12.2026"), the same day
 * in every zone; as given without a locale or when it is not such a date.
 */
export function formatCalendarDate(isoDate: string, locale: string | null): string {
  const m = locale ? CALENDAR_DATE.exec(isoDate) : null;
  if (!m || !locale) return isoDate;
  // Lists repeat the same few dates (a day's tasks, a stage's close dates): each is formatted once.
  const key = `${locale}|${isoDate}`;
  let text = calendarTexts.get(key);
  if (text === undefined) {
    text = localeFormatFor("UTC", locale, "date").format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (calendarTexts.size >= 5_000) calendarTexts.clear();
    calendarTexts.set(key, text);
  }
  return text;
}

const calendarTexts = new Map<string, string>();
