/**
 * Times as the reader reads them: in their IANA zone (their own, else their workspace's, else UTC),
 * set by render() around the page's rendering. Stored times are UTC milliseconds; calendar dates
 * (a close date, a due date) are strings and never pass through here.
 */

let readerZone = "UTC";

/**
 * Renders with `zone` as the reader's. Rendering our views is synchronous, and a Worker runs one
 * request's synchronous code at a time, so no other request sees it. (hono/jsx's context did the same
 * through AsyncLocalStorage and cost the contacts list a twentieth of its speed.)
 */
export function renderInZone<T>(zone: string, render: () => T): T {
  const previous = readerZone;
  readerZone = zone;
  try {
    return render();
  } finally {
    readerZone = previous;
  }
}

/** The zone of the page being rendered (call it while rendering, as a component does). */
export function readerTimeZone(): string {
  return readerZone;
}

export type TimePrecision = "date" | "minute" | "second";

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
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
    formats.set(zone, f);
  }
  return f;
}

/** "2026-12-05", "2026-12-05 15:04 GMT+1" or with seconds: the instant's wall time in `zone`. */
export function formatInstant(ms: number, zone: string, precision: TimePrecision = "date"): string {
  if (zone === "UTC") {
    // The common case without Intl: the same text as the ISO string gives.
    const iso = new Date(ms).toISOString();
    if (precision === "date") return iso.slice(0, 10);
    return `${iso.slice(0, precision === "minute" ? 16 : 19).replace("T", " ")} UTC`;
  }
  const p: Record<string, string> = {};
  for (const part of formatFor(zone).formatToParts(ms)) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  if (precision === "date") return day;
  const clock = precision === "minute" ? `${p.hour}:${p.minute}` : `${p.hour}:${p.minute}:${p.second}`;
  return `${day} ${clock} ${p.timeZoneName}`;
}
