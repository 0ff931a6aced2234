/**
 * Writing CSV (RFC 4180) that spreadsheets open safely: fields quoted when they hold a comma, a
 * quote or a line break, quotes doubled, rows ended by CRLF, and cells that a spreadsheet would read
 * as a formula neutralised with a leading apostrophe. The importer reads files written here and
 * undoes the neutralising with `restoreCell()`, so an export re-imports losslessly.
 */

/** Leading characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's list). */
export const FORMULA_TRIGGERS = ["=", "+", "-", "@", "\t", "\r"] as const;

/** The apostrophe that makes a spreadsheet show a cell as text; it is not part of the value. */
export const NEUTRALISE_PREFIX = "'";

/** A UTF-8 byte order mark: without it Excel reads a CSV in the machine's legacy code page and garbles accents. */
export const CSV_BOM = "\uFEFF";

function startsWithTrigger(s: string): boolean {
  return s.length > 0 && (FORMULA_TRIGGERS as readonly string[]).includes(s[0]!);
}

/**
 * A cell a spreadsheet will show as text: a value starting with a formula trigger gets a leading
 * `'`. So does a value that already starts with apostrophes followed by a trigger (`'=x`), so that
 * `restoreCell()` can always remove exactly one apostrophe and give back what was stored.
 */
export function neutraliseCell(value: string): string {
  let i = 0;
  while (value[i] === NEUTRALISE_PREFIX) i += 1;
  return startsWithTrigger(value.slice(i)) ? NEUTRALISE_PREFIX + value : value;
}

/** The inverse of neutraliseCell(): for the importer, so `'=HYPERLINK("x")` comes back as `=HYPERLINK("x")`. */
export function restoreCell(cell: string): string {
  if (cell[0] !== NEUTRALISE_PREFIX) return cell;
  let i = 1;
  while (cell[i] === NEUTRALISE_PREFIX) i += 1;
  return startsWithTrigger(cell.slice(i)) ? cell.slice(1) : cell;
}

/** One field as RFC 4180 writes it: neutralised, then quoted (quotes doubled) when it holds `,` `"` CR or LF. */
export function csvField(value: string | number | null | undefined): string {
  const text = neutraliseCell(value === null || value === undefined ? "" : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record: its fields joined by commas, ended by CRLF. */
export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
