/**
 * A small iCalendar (RFC 5545) writer: only what the feed needs. Lines end in CRLF and are folded at
 * 75 octets of UTF-8 (never inside a character); TEXT values escape backslash, semicolon, comma and
 * newlines (3.3.11).
 */

const encoder = new TextEncoder();

/** A TEXT value with its special characters escaped (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * One content line folded at 75 octets (RFC 5545 3.1): continuation lines start with a space, which
 * counts towards their 75. Splits between characters (code points), so no UTF-8 sequence is cut.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** 'YYYY-MM-DD' as an iCalendar DATE (YYYYMMDD). */
export function icalDate(isoDate: string): string {
  return isoDate.replaceAll("-", "");
}

/** An instant as an iCalendar DATE-TIME in UTC (YYYYMMDDTHHMMSSZ). */
export function icalUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** The day after an ISO calendar date (the exclusive end of an all-day event). */
export function nextDay(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export type EventTime = { kind: "timed"; startMs: number; minutes: number } | { kind: "day"; date: string };

export interface CalendarEvent {
  uid: string;
  /** When the item last changed (UTC ms): DTSTAMP, so a client sees the same event until it changes. */
  stampMs: number;
  time: EventTime;
  summary: string;
  url: string;
}

/** The lines of one VEVENT, unfolded. */
function eventLines(e: CalendarEvent): string[] {
  const when =
    e.time.kind === "timed"
      ? [`DTSTART:${icalUtc(e.time.startMs)}`, `DTEND:${icalUtc(e.time.startMs + e.time.minutes * 60_000)}`]
      : [`DTSTART;VALUE=DATE:${icalDate(e.time.date)}`, `DTEND;VALUE=DATE:${icalDate(nextDay(e.time.date))}`];
  return [
    "BEGIN:VEVENT",
    `UID:${e.uid}`,
    `DTSTAMP:${icalUtc(e.stampMs)}`,
    ...when,
    `SUMMARY:${escapeText(e.summary)}`,
    // A URI value is not TEXT: no escaping, and ours are built from numbers only.
    `URL:${e.url}`,
    "TRANSP:TRANSPARENT",
    "END:VEVENT",
  ];
}

/** A whole VCALENDAR: folded, CRLF line ends, ending in CRLF. */
export function writeCalendar(p: { prodId: string; name: string; events: CalendarEvent[] }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${p.prodId}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(p.name)}`,
    // Clients that honour it poll hourly; the feed changes when tasks do.
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
    ...p.events.flatMap(eventLines),
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
