/**
 * Amounts of money: stored as whole minor units (cents, pence; none for JPY, three for BHD) with an
 * ISO 4217 currency, never as floats. Read from what a person types in their locale ("12,500.50" in
 * en-US, "12.500,50" in de-DE, "12 500,50" in fr-FR) and shown back the same way.
 */

/** The largest amount we accept, in major units: a deal worth more is a typing mistake. */
export const MAX_AMOUNT_MAJOR = 1_000_000_000_000;

const currencies = new Set(
  (Intl as unknown as { supportedValuesOf(key: "currency"): string[] }).supportedValuesOf("currency"),
);

/** Whether `code` is an ISO 4217 currency code this runtime knows ("EUR", not "eur" or "XYZ"). */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencies.has(code);
}

/** Every currency code, for the forms' choices. */
export function currencyCodes(): string[] {
  return [...currencies].sort();
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * One Intl.NumberFormat per locale and options, made once: making one costs as much as formatting
 * hundreds of numbers, and a board formats 300 amounts.
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** How many minor-unit digits a currency has (2 for EUR, 0 for JPY, 3 for BHD). */
export function minorDigits(currency: string): number {
  // resolvedOptions() builds a fresh object each call: a board asks 300 times, so each answer is kept.
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = numberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}
const digitsCache = new Map<string, number>();

interface Separators {
  group: string;
  decimal: string;
  /** Digits in the groups after the first (3, or 2 for the Indian grouping), then the last group's size. */
  secondary: number;
  primary: number;
}

const separatorCache = new Map<string, Separators>();

/** The locale's separators and grouping, read from how it formats a known number. */
function separators(locale: string): Separators {
  const cached = separatorCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const integers = parts.filter((p) => p.type === "integer").map((p) => p.value.length);
  const result = { group, decimal, primary: integers.at(-1) ?? 3, secondary: integers.length > 2 ? integers[1]! : 3 };
  separatorCache.set(locale, result);
  return result;
}

export type AmountResult = { ok: true; minor: number } | { ok: false; message: string };

/**
 * Reads an amount typed in `locale` into minor units of `currency`. Group separators must group
 * digits as the locale does (so "1.5" in de-DE, where "." groups thousands, is refused rather than
 * read as 15); spaces of any kind count as the group separator where the locale groups with one.
 */
export function parseAmount(input: string, locale: string, currency: string): AmountResult {
  const sep = separators(locale);
  const digits = minorDigits(currency);
  const spaceGroups = /\s/.test(sep.group);
  let text = input.trim().replace(/[\s\u00a0\u202f]+/g, spaceGroups ? " " : "");
  if (spaceGroups) text = text.replace(/ /g, sep.group);
  // Swiss grouping is a typographic apostrophe; keyboards type the straight one.
  if (sep.group === "\u2019") text = text.replace(/'/g, sep.group);
  if (text === "") return { ok: false, message: "Enter an amount." };
  if (text.startsWith("-")) return { ok: false, message: "An amount cannot be negative." };
  const example = numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    12500.5,
  );
  const refuse = { ok: false as const, message: `Enter an amount like ${example}.` };
  const [integerPart, fraction, ...rest] = text.split(sep.decimal);
  if (rest.length > 0 || integerPart === undefined || integerPart === "") return refuse;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return refuse;
  if (fraction !== undefined && fraction.length > digits) {
    return { ok: false, message: digits === 0 ? `${currency} has no decimals.` : `Use at most ${digits} decimals.` };
  }
  const groups = integerPart.split(sep.group);
  if (!groups.every((g) => /^\d+$/.test(g))) return refuse;
  if (groups.length > 1) {
    const [first, ...others] = groups;
    const last = others.pop()!;
    if (
      first!.length > sep.secondary ||
      last.length !== sep.primary ||
      others.some((g) => g.length !== sep.secondary)
    ) {
      return refuse;
    }
  }
  const major = groups.join("");
  if (major.length > 13 || Number(major) > MAX_AMOUNT_MAJOR) {
    return { ok: false, message: "That amount is too large." };
  }
  const minor = Number(major) * 10 ** digits + Number((fraction ?? "").padEnd(digits, "0") || "0");
  return { ok: true, minor };
}

export type LocaleNumberResult = { ok: true; value: string } | { ok: false; example: string };

/**
 * Reads a number typed in `locale` ("1.234,5" in de, "1,234.5" in en; a minus sign allowed) into its
 * canonical text ("1234.5"), with the same grouping rules as parseAmount. Refused: an example in the locale.
 */
export function parseLocaleNumber(input: string, locale: string): LocaleNumberResult {
  const sep = separators(locale);
  const example = numberFormat(locale, { maximumFractionDigits: 2 }).format(1234.5);
  const spaceGroups = /\s/.test(sep.group);
  let text = input.trim().replace(/[\s\u00a0\u202f]+/g, spaceGroups ? " " : "");
  if (spaceGroups) text = text.replace(/ /g, sep.group);
  if (sep.group === "\u2019") text = text.replace(/'/g, sep.group);
  // Some locales write the minus as U+2212; people type "-".
  const negative = /^[-\u2212]/.test(text);
  if (negative) text = text.slice(1);
  const [integerPart, fraction, ...rest] = text.split(sep.decimal);
  if (rest.length > 0 || integerPart === undefined) return { ok: false, example };
  if (fraction !== undefined && !/^\d{1,15}$/.test(fraction)) return { ok: false, example };
  const groups = integerPart === "" && fraction !== undefined ? ["0"] : integerPart.split(sep.group);
  if (!groups.every((g) => /^\d+$/.test(g))) return { ok: false, example };
  if (groups.length > 1) {
    const [first, ...others] = groups;
    const last = others.pop()!;
    if (first!.length > sep.secondary || last.length !== sep.primary || others.some((g) => g.length !== sep.secondary))
      return { ok: false, example };
  }
  const digits = groups.join("");
  if (digits.length > 15) return { ok: false, example };
  const value = Number(`${digits}${fraction ? `.${fraction}` : ""}`);
  return { ok: true, value: String(negative && value !== 0 ? -value : value) };
}

/** A canonical number ("1234.5") as a form shows it in `locale` ("1.234,5"); other text as it is. */
export function numberForInput(canonical: string, locale: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(canonical)) return canonical;
  return numberFormat(locale, { maximumFractionDigits: 15 }).format(Number(canonical));
}

/** An amount for reading, in the reader's locale: "$12,500.50", "12.500,50 €". */
export function formatAmount(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return numberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits }).format(
    minor / 10 ** digits,
  );
}

/** An amount as a form shows it for editing, without the currency: "12,500.50" or "12.500,50". */
export function amountForInput(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    minor / 10 ** digits,
  );
}

/** Writes an amount given in major units (a chart's value) as formatAmount does: "$12,500.00". */
export function majorAmountFormatter(currency: string, locale: string): (major: number) => string {
  const scale = 10 ** minorDigits(currency);
  return (major) => formatAmount(Math.round(major * scale), currency, locale);
}
