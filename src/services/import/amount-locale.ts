/**
 * The number format of a deals file's amount column, guessed from its cells (analyse-deals.ts reads it once),
 * and of a custom number column, from its own cells and the file's amounts.
 */
import { isCurrency, minorDigits } from "../../lib/money";
import { bareAmount } from "./parse-deals";

// Every kind of space groups alike (parseAmount reads them so), and the straight apostrophe stands for the Swiss one.
const groupOf = (ch: string) => (/[\s\u00a0\u202f]/.test(ch) ? " " : ch === "\u2019" ? "'" : ch);

/**
 * The locale a file's amounts are written in, from the amount cells without their currency signs: comma
 * decimals ("5.000,00 €") where they outnumber dot decimals, and the most common group separator. The
 * workspace's own locale when it writes both the same way (so "12 500,50" reads in fr-FR), else one that
 * does: de-DE (dot groups), fr-FR (space groups) or en-US.
 */
export function amountLocaleOf(amounts: { text: string; currency: string }[], workspaceLocale: string): string {
  let comma = 0;
  let dot = 0;
  // Our own export writes a currency of three minor digits (KWD, BHD…) with a dot and all three: "12.500" is 12.5.
  // A comma before three digits stays a thousands separator ("12,500" from an en-US sheet). A cell that is no
  // currency code is refused by its row later; here it counts as two digits.
  const tailOf = (currency: string) => (isCurrency(currency) && minorDigits(currency) === 3 ? 3 : 2);
  const bare = amounts.map((a) => ({ text: bareAmount(a.text), tail: tailOf(a.currency) }));
  const decimalAt = (sep: string, tail: number) => new RegExp(`\\${sep}\\d{1,${sep === "." ? tail : 2}}$`);
  for (const a of bare) {
    if (decimalAt(",", a.tail).test(a.text)) comma += 1;
    else if (decimalAt(".", a.tail).test(a.text)) dot += 1;
  }
  const decimal = comma > dot ? "," : dot > comma ? "." : null;
  const groups = new Map<string, number>();
  for (const { text: a, tail } of bare) {
    const integer = decimal ? a.replace(decimalAt(decimal, tail), "") : a;
    for (const ch of integer.match(/(?<=\d)\D(?=\d)/g) ?? []) {
      const g = groupOf(ch);
      if (g !== decimal) groups.set(g, (groups.get(g) ?? 0) + 1);
    }
  }
  const group = [...groups].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const parts = new Intl.NumberFormat(workspaceLocale, { useGrouping: true }).formatToParts(1234567.5);
  const own = (type: string) => groupOf(parts.find((p) => p.type === type)?.value ?? "");
  if ((decimal ?? own("decimal")) === own("decimal") && (group === null || group === own("group")))
    return workspaceLocale;
  // Only Swiss formats group with an apostrophe (12'500.00); parseAmount reads the straight one as theirs.
  if (group === "'") return "de-CH";
  // Without a decimal in the file, a dot or a space between digits groups thousands ("5.000", "5 000").
  const commaDecimal = (decimal ?? (group === "." || group === " " ? "," : ".")) === ",";
  if (commaDecimal) return group === " " ? "fr-FR" : "de-DE";
  return "en-US";
}

/** A number as our export and most tools write it: "1500", "-2.25", "2.5e3". */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
/** "1.500", "12.500": a dot before exactly three digits, which groups thousands in a German file. */
const DOT_THOUSANDS = /^[-+]?\d{1,3}\.\d{3}$/;

/**
 * The locale a custom number column is written in, for parseCustomValue, or null to read its cells as plain
 * numbers. Cells with grouping or comma decimals ("1.500,5", "1 500", "1,5") say it themselves (as amounts
 * do, amountLocaleOf); plain cells stay plain, but for "1.500" alone in a file whose amounts group thousands
 * with a dot (`fileLocale`, null without such evidence): there it is fifteen hundred.
 */
export function numberLocaleOf(cells: string[], workspaceLocale: string, fileLocale: string | null): string | null {
  const texts = cells.map((c) => c.trim()).filter(Boolean);
  if (texts.every((t) => PLAIN_NUMBER.test(t))) {
    const decimals = texts.some((t) => t.includes(".") && !DOT_THOUSANDS.test(t));
    const grouped = texts.some((t) => DOT_THOUSANDS.test(t));
    const dotGroups = fileLocale !== null && separatorOf(fileLocale, "group") === ".";
    return grouped && !decimals && dotGroups ? fileLocale : null;
  }
  return amountLocaleOf(
    texts.map((text) => ({ text, currency: "" })),
    fileLocale ?? workspaceLocale,
  );
}

function separatorOf(locale: string, type: "group" | "decimal"): string {
  return (
    new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5).find((p) => p.type === type)?.value ??
    ""
  );
}
