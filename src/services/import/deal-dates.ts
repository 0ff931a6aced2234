/**
 * Dates in import files: ISO, dotted day first, and slashed in the order the file's own dates show (a UK file's
 * 25/04/2025 makes its 03/04/2025 the 3rd of April), as a file's amounts are read in the format they show.
 */

/** How a file writes dates with slashes: 31/01/2027 (day first) or 01/31/2027 (month first). */
export type SlashOrder = "day-first" | "month-first";

const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** The order one slashed date can only be read in (31/01/2027: day first), or null (03/04/2027, or no slashes). */
export function slashOrderOfCell(text: string): SlashOrder | null {
  const m = text.trim().match(SLASHED);
  if (!m) return null;
  if (Number(m[1]) > 12 && Number(m[2]) <= 12) return "day-first";
  if (Number(m[2]) > 12 && Number(m[1]) <= 12) return "month-first";
  return null;
}

/**
 * A file's order of slashed dates from its date cells, as its amounts' format is read from them: the one
 * order its unambiguous dates share, null when none is unambiguous (the workspace's locale decides), or
 * "mixed" when some are only day first and others only month first.
 */
export function slashOrderOf(cells: string[]): SlashOrder | "mixed" | null {
  const seen = new Set(cells.map(slashOrderOfCell).filter((o) => o !== null));
  return seen.size > 1 ? "mixed" : ([...seen][0] ?? null);
}

/**
 * A calendar date from a cell: ISO (2027-01-31), dotted day first (31.01.2027), or with slashes in
 * `order` (the file's, slashOrderOf), else in the order of `locale` (01/31/2027 in en-US, 31/01/2027
 * elsewhere). Null when it is not a real day.
 */
export function dateOf(text: string, locale: string, order?: SlashOrder): string | null {
  let y: number;
  let m: number;
  let d: number;
  const iso = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/);
  const dotted = text.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/);
  const slashed = text.match(SLASHED);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dotted) [d, m, y] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
  else if (slashed) {
    const monthFirst = order ? order === "month-first" : /^en-(US|PH)$/.test(locale);
    [m, d] = monthFirst ? [Number(slashed[1]), Number(slashed[2])] : [Number(slashed[2]), Number(slashed[1])];
    y = Number(slashed[3]);
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || y > 2999) return null;
  return date.toISOString().slice(0, 10);
}

/** A date cell read in the file's order of slashed dates, or why it is refused. */
export function dateCell(
  raw: string,
  locale: string,
  dateOrder: SlashOrder | "mixed" | null | undefined,
): { ok: true; date: string } | { ok: false; reason: string } {
  const order = dateOrder === "mixed" ? (slashOrderOfCell(raw) ?? "mixed") : (dateOrder ?? undefined);
  if (order === "mixed")
    return {
      ok: false,
      reason: `“${raw.slice(0, 40)}” could be day first or month first, and this file has dates of both kinds (such as 25/04/2025 and 04/25/2025). Write it as YYYY-MM-DD.`,
    };
  const date = dateOf(raw, locale, order);
  return date ? { ok: true, date } : { ok: false, reason: `“${raw.slice(0, 40)}” is not a date.` };
}
