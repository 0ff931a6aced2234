/**
 * Phone display: formatPhone builds stored E.164 numbers straight from their digits instead of
 * parsing them (src/lib/phone.ts). It must show exactly what the library's parser would, for every
 * region, and keep anything that is not a number it knows as stored.
 */
import { describe, expect, it } from "vitest";
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from "libphonenumber-js/min";
import examples from "libphonenumber-js/examples.mobile.json";
import { formatPhone, normalizePhone } from "../../src/lib/phone";

const parsed = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

describe("formatPhone", () => {
  it("shows every region's numbers, as stored (normalised, valid), as the parser formats them", () => {
    const candidates: string[] = [];
    for (const region of getCountries()) {
      const example = getExampleNumber(region, examples);
      if (!example) continue;
      // The example and neighbours of it (other last digits, one digit fewer, one more).
      const n = example.number;
      candidates.push(
        n,
        n.slice(0, -1) + ((Number(n.slice(-1)) + 3) % 10),
        n.slice(0, -1),
        `${n}7`,
        `${n.slice(0, -2)}00`,
      );
    }
    // What the app stores is what normalizePhone returns (every write path goes through it).
    const numbers = [
      ...new Set(
        candidates.flatMap((c) => {
          const r = normalizePhone(c, "US");
          return r.ok ? [r.e164] : [];
        }),
      ),
    ];
    expect(numbers.length).toBeGreaterThan(700);
    const differing = numbers.filter((n) => formatPhone(n) !== parsed(n));
    expect(differing).toEqual([]);
  });

  it("formats numbers normalised from what users type, in several regions", () => {
    const typed: [string, string][] = [
      ["(415) 555-0123", "US"],
      ["030 901820", "DE"],
      ["020 7946 0958", "GB"],
      ["01481 256789", "GG"],
      ["06 12 34 56 78", "FR"],
      ["+7 912 345 67 89", "US"],
      ["0412 345 678", "AU"],
    ];
    for (const [input, region] of typed) {
      const r = normalizePhone(input, region);
      expect(r.ok, input).toBe(true);
      if (r.ok) expect(formatPhone(r.e164), input).toBe(parsed(r.e164));
    }
    expect(formatPhone("+14155550123")).toBe("+1 415 555 0123");
  });

  it("keeps what it cannot format as stored", () => {
    for (const odd of ["", "+", "+0123456789", "+999123456789", "12345", "not a number", "+1 415 555 0123"]) {
      expect(formatPhone(odd), odd).toBe(parsed(odd));
    }
  });
});
