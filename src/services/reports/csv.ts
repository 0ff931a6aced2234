/**
 * Each report as a CSV file: the same figures the page shows, amounts as plain decimals with their currency
 * code (so a spreadsheet sums them), rates as fractions, written by src/lib/csv.ts (formula cells neutralised).
 */
import { CSV_BOM, csvRow } from "../../lib/csv";
import { minorDigits } from "../../lib/money";
import type { Reports } from "./reports";
import { type ReportName, outcomeLines, ownerLines, sourceLines, stageLines } from "./summaries";

/** Minor units as a plain decimal: 123456 USD → "1234.56". */
export function decimal(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function rowsOf(name: ReportName, r: Reports): (string | number)[][] {
  switch (name) {
    case "outcomes":
      return [
        ["outcome", "reason", "deals", "currency", "amount"],
        ...outcomeLines(r.outcomes).flatMap((l) =>
          l.amounts.map((a) => [
            l.status,
            l.status === "won" ? "" : l.label,
            a.deals,
            a.currency,
            decimal(a.amountMinor, a.currency),
          ]),
        ),
      ];
    case "owners":
      // A row per member and currency, each with that currency's deals (the page sums a member's currencies).
      return [
        ["owner", "won", "lost", "win_rate", "currency", "won_amount", "average_won_deal"],
        ...ownerLines(r.owners).flatMap((l) =>
          ownerCurrencies(r.owners, l.ownerId).map((c) => [
            l.owner,
            c.won,
            c.lost,
            (c.won + c.lost === 0 ? 0 : c.won / (c.won + c.lost)).toFixed(4),
            c.currency,
            decimal(c.wonMinor, c.currency),
            c.won ? decimal(Math.round(c.wonMinor / c.won), c.currency) : "",
          ]),
        ),
      ];
    case "stages":
      return [
        ["stage", "stays", "average_days"],
        ...stageLines(r.stages).map((l) => [l.label, l.spans, l.averageDays]),
      ];
    case "sources":
      return [["source", "contacts"], ...sourceLines(r.sources).map((l) => [l.source, l.contacts])];
  }
}

/** A member's won and lost deals and won amount per currency, in the order the rows give them. */
function ownerCurrencies(rows: Reports["owners"], ownerId: string) {
  const by = new Map<string, { currency: string; won: number; lost: number; wonMinor: number }>();
  for (const r of rows) {
    if (r.ownerId !== ownerId) continue;
    const c = by.get(r.currency) ?? { currency: r.currency, won: 0, lost: 0, wonMinor: 0 };
    if (r.status === "won") {
      c.won += r.deals;
      c.wonMinor += r.amountMinor;
    } else c.lost += r.deals;
    by.set(r.currency, c);
  }
  return [...by.values()];
}

/** The report `name` as CSV text (with a BOM so spreadsheets read it as UTF-8). */
export function reportCsv(name: ReportName, reports: Reports): string {
  return CSV_BOM + rowsOf(name, reports).map(csvRow).join("");
}
