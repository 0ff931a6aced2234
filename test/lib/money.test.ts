/** Amounts as people type them in their locale, read into minor units, and shown back. */
import { describe, expect, it } from "vitest";
import { amountForInput, formatAmount, isCurrency, minorDigits, parseAmount } from "../../src/lib/money";

const ok = (minor: number) => ({ ok: true, minor });

describe("parseAmount", () => {
  it.each([
    ["12,500.50", "en-US", "USD", 1_250_050],
    ["12500.5", "en-US", "USD", 1_250_050],
    ["1,234,567", "en-US", "USD", 123_456_700],
    ["  300  ", "en-GB", "GBP", 30_000],
    ["12.500,50", "de-DE", "EUR", 1_250_050],
    ["12500,5", "de-DE", "EUR", 1_250_050],
    ["12 500,50", "fr-FR", "EUR", 1_250_050],
    ["12\u202f500,50", "fr-FR", "EUR", 1_250_050],
    ["12'500.50", "de-CH", "CHF", 1_250_050],
    ["12,34,567.89", "en-IN", "INR", 1_234_567_89],
    ["12,500", "en-US", "JPY", 12_500],
    ["1.250", "en-US", "BHD", 1_250],
    ["0", "en-US", "USD", 0],
  ])("reads %s in %s (%s)", (input, locale, currency, minor) => {
    expect(parseAmount(input, locale, currency)).toEqual(ok(minor));
  });

  // Typed in en-US for dollars, unless the row says otherwise.
  it.each<[input: string, message: string, locale?: string, currency?: string]>([
    ["", "Enter an amount"],
    ["-5", "cannot be negative"],
    ["twelve", "like 12,500.50"],
    ["1.5", "like 12.500,50", "de-DE", "EUR"],
    ["12,50,0", "like 12,500.50"],
    ["1,2345", "like"],
    ["12.505", "at most 2 decimals"],
    ["12.5", "JPY has no decimals", "en-US", "JPY"],
    ["1.2.3", "like"],
    ["9999999999999999", "too large"],
    ["1e6", "like"],
    ["$100", "like"],
  ])("refuses %j (%s)", (input, message, locale = "en-US", currency = "USD") => {
    const r = parseAmount(input, locale, currency);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});

describe("currencies", () => {
  it("knows ISO 4217 codes and their minor units", () => {
    expect(["EUR", "USD", "GBP", "JPY"].every(isCurrency)).toBe(true);
    expect(["eur", "XYZ", "EURO", "", "<b>"].some(isCurrency)).toBe(false);
    expect([minorDigits("EUR"), minorDigits("JPY"), minorDigits("BHD")]).toEqual([2, 0, 3]);
  });

  it("shows amounts in the reader's locale and gives them back to the form as typed", () => {
    expect(formatAmount(1_250_050, "USD", "en-US")).toBe("$12,500.50");
    expect(formatAmount(1_250_050, "EUR", "de-DE")).toBe("12.500,50\u00a0€");
    expect(formatAmount(12_500, "JPY", "en-US")).toBe("¥12,500");
    expect(amountForInput(1_250_050, "EUR", "de-DE")).toBe("12.500,50");
    for (const [locale, currency] of [
      ["en-US", "USD"],
      ["de-DE", "EUR"],
      ["fr-FR", "EUR"],
      ["en-IN", "INR"],
    ] as const) {
      expect(parseAmount(amountForInput(98_765_432, currency, locale), locale, currency)).toEqual(ok(98_765_432));
    }
  });
});
