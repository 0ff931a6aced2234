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
            l.deals,
            a.currency,
            decimal(a.amountMinor, a.currency),
          ]),
        ),
      ];
    case "owners":
      return [
        ["owner", "won", "lost", "win_rate", "currency", "won_amount", "average_won_deal"],
        ...ownerLines(r.owners).flatMap((l) =>
          (l.wonAmounts.length ? l.wonAmounts : [null]).map((a) => [
            l.owner,
            l.won,
            l.lost,
            l.winRate.toFixed(4),
            a?.currency ?? "",
            a ? decimal(a.amountMinor, a.currency) : "",
            a ? decimal(a.averageMinor, a.currency) : "",
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

/** The report `name` as CSV text (with a BOM so spreadsheets read it as UTF-8). */
export function reportCsv(name: ReportName, reports: Reports): string {
  return CSV_BOM + rowsOf(name, reports).map(csvRow).join("");
}
