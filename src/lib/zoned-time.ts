/**
 * Wall times in IANA zones and the UTC instants they name, for due times and reminders. Intl is the
 * only zone database a Worker has, so an instant's offset is read back from a formatter.
 */

const parts = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = parts.get(zone);
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
    });
    parts.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `ms`: [year, month, day, hour, minute, second]. */
function wallClock(ms: number, zone: string): number[] {
  const p: Record<string, number> = {};
  for (const x of partsFormat(zone).formatToParts(ms)) if (x.type !== "literal") p[x.type] = Number(x.value);
  return [p.year!, p.month!, p.day!, p.hour! % 24, p.minute!, p.second!];
}

/** How far `zone` is ahead of UTC at `ms`, in milliseconds. */
export function zoneOffset(ms: number, zone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(ms, zone);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant when the wall clock in `zone` reads `date` ('YYYY-MM-DD') at `time` ('HH:MM').
 * On a spring-forward day a time that does not exist is taken as the same time under the offset
 * before the change (02:30 in Berlin on the last Sunday of March is 03:30 CEST); on a fall-back day
 * a time that happens twice is the first of the two.
 */
export function wallTimeToUtc(date: string, time: string, zone: string): number {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  // Try the offsets in force a day either side: the earlier candidate that reads back right wins.
  const before = zoneOffset(asUtc - 86_400_000, zone);
  const candidates = [...new Set([before, zoneOffset(asUtc + 86_400_000, zone)])]
    .map((o) => asUtc - o)
    .sort((a, b) => a - b);
  for (const c of candidates) if (zoneOffset(c, zone) === asUtc - c) return c;
  // No candidate reads back: the wall time is in a spring-forward gap; keep the offset from before it.
  return asUtc - before;
}

/** The calendar date ('YYYY-MM-DD') in `zone` at `ms`. */
export function dateInZone(ms: number, zone: string): string {
  if (zone === "UTC") return new Date(ms).toISOString().slice(0, 10);
  const [y, mo, d] = wallClock(ms, zone);
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The wall time ('HH:MM') in `zone` at `ms`. */
export function timeInZone(ms: number, zone: string): string {
  const [, , , h, mi] = wallClock(ms, zone);
  return `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
}

/** The datetime-local value ('YYYY-MM-DDTHH:MM') of the wall clock in `zone` at `ms`. */
export function wallTimeValue(ms: number, zone: string): string {
  return `${dateInZone(ms, zone)}T${timeInZone(ms, zone)}`;
}

/** A calendar date `days` later (or earlier): plain date arithmetic, no zone. */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, mo! - 1, d! + days)).toISOString().slice(0, 10);
}

/** A calendar date `months` later, clamped to the month's last day (31 January + 1 month: 28/29 February). */
export function addMonths(date: string, months: number): string {
  const [y, mo, d] = date.split("-").map(Number);
  const last = new Date(Date.UTC(y!, mo! - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y!, mo! - 1 + months, Math.min(d!, last))).toISOString().slice(0, 10);
}

/** The weekday of a calendar date, Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const [y, mo, d] = date.split("-").map(Number);
  return ((new Date(Date.UTC(y!, mo! - 1, d!)).getUTCDay() + 6) % 7) + 1;
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, mo, d] = value.split("-").map(Number);
  const t = new Date(Date.UTC(y!, mo! - 1, d!));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo! - 1 && t.getUTCDate() === d;
}

/** Whether `value` is a wall time written 'HH:MM' (00:00 to 23:59). */
export function isWallTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}
