/**
 * The first layer of deal imports (src/services/import/parse-deals.ts; not yet a job kind): Pipedrive's
 * and HubSpot's deal exports and our own deals.csv read row by row into deals, with the counts of
 * test/fixtures/imports/expected.json, amounts in the file's number format, and the bad rows refused
 * with a reason a person can act on.
 */
import { describe, expect, it } from "vitest";
import { CSV_BOM, csvRow } from "../../src/lib/csv";
import { DEAL_CSV_COLUMNS } from "../../src/services/export/columns";
import { amountLocaleOf } from "../../src/services/import/amount-locale";
import { type DealRecord, dateOf, dealFromRow, dealMapping } from "../../src/services/import/parse-deals";
import { decodeUpload, detectDelimiter, parseCsv } from "../../src/services/import/upload";
import { fixture } from "./helpers";

const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as Record<
  string,
  Record<string, number>
>;

/** Every row of a file read as the importer would, in a workspace of `locale` and `currency`. */
function readDeals(bytes: Uint8Array, locale = "en-US", currency = "USD") {
  const decoded = decodeUpload(bytes, "auto");
  if (!decoded.ok) throw new Error(decoded.message);
  const text = decoded.text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  const headers = parseCsv(text, detectDelimiter(text), (cells) => {
    rows.push(cells);
    return true;
  });
  const mapping = dealMapping(headers);
  const amountColumn = mapping.indexOf("amount");
  const currencyColumn = mapping.indexOf("currency");
  const amountLocale = amountLocaleOf(
    rows.map((r) => ({ text: r[amountColumn] ?? "", currency: r[currencyColumn]?.trim() || currency })),
    locale,
  );
  const ctx = { headers, mapping, fields: [], region: "US", currency, amountLocale, locale };
  const valid: DealRecord[] = [];
  const invalid: { row: number; reason: string }[] = [];
  rows.forEach((cells, i) => {
    const r = dealFromRow(cells, ctx);
    if (r.ok === true) valid.push(r.record);
    else if (r.ok === false) invalid.push({ row: i + 1, reason: r.reason });
  });
  return { mapping, amountLocale, valid, invalid };
}

describe("deal rows from other CRMs", () => {
  it("reads Pipedrive's export: every row, amounts with dot decimals, statuses, organisations and people", () => {
    const { mapping, valid, invalid } = readDeals(fixture("pipedrive-deals.csv"));
    expect(mapping).toEqual([
      "name",
      "amount",
      "currency",
      "stage",
      "status",
      "lost_reason",
      "close_date",
      "company",
      "contacts",
      "owner",
    ]);
    const want = expected["pipedrive-deals.csv"]!;
    expect(invalid).toEqual([]);
    expect(valid).toHaveLength(want.valid!);
    for (const status of ["open", "won", "lost"] as const)
      expect(
        valid.filter((d) => d.status === status),
        status,
      ).toHaveLength(want[status]!);
    expect(valid[0]).toEqual({
      name: "Globex – Annual plan 1",
      amountMinor: 4_680_050,
      amountGiven: true,
      currency: "EUR",
      currencyGiven: true,
      pipeline: null,
      stage: "Lead",
      stageGiven: true,
      status: "open",
      statusGiven: true,
      lostReason: null,
      closeDate: "2027-01-01",
      closedOn: null,
      company: "Globex",
      companyDomain: null,
      companyInFile: true,
      contacts: [{ ref: "Søren Nakamura", byEmail: false, role: null }],
      tags: [],
      owner: null,
      custom: {},
    });
    expect(valid.find((d) => d.name === "Acme, Inc. – Pilot 6")).toMatchObject({
      amountMinor: 970_000,
      currency: "GBP",
    });
    expect(valid.find((d) => d.status === "lost")).toMatchObject({ lostReason: "Price too high" });
  });

  it("reads HubSpot's European export: semicolons, 12.340,00 amounts, dd.mm.yyyy dates; refuses 'twelve' and 31.02", () => {
    const { amountLocale, valid, invalid } = readDeals(fixture("hubspot-deals-eu.csv"), "en-US", "EUR");
    const want = expected["hubspot-deals-eu.csv"]!;
    expect(amountLocale).toBe("de-DE");
    expect(valid.length).toBeGreaterThanOrEqual(want.valid_at_least!);
    expect(invalid.length).toBeGreaterThanOrEqual(want.invalid_at_least!);
    expect(invalid).toEqual([{ row: 21, reason: expect.stringContaining("“twelve”") }]);
    expect(valid[0]).toMatchObject({
      name: "Angebot Stark Industries 1",
      amountMinor: 500_000,
      currency: "EUR",
      pipeline: "Sales",
      stage: "Qualified",
      closeDate: "2027-01-01",
      company: "Stark Industries",
      contacts: [],
    });
    expect(valid.find((d) => d.name === "Angebot Stark Industries 17")).toMatchObject({ amountMinor: 13_000 });
    // The formula-looking name is text, kept as written.
    expect(valid.at(-1)).toMatchObject({ name: '=HYPERLINK("http://x")', amountMinor: 10_000 });
  });

  it("refuses an impossible date and an unknown currency or status, saying which", () => {
    const csv = [
      "Name;Amount;Currency;Close date;Status",
      "Bad day;10,00;EUR;31.02.2027;open",
      "Bad money;10,00;XYZ;01.02.2027;open",
      "Bad status;10,00;EUR;01.02.2027;maybe",
      "Fine;1.234,50;eur;29.02.2028;Won",
    ].join("\n");
    const { valid, invalid } = readDeals(new TextEncoder().encode(csv), "en-US", "USD");
    expect(invalid.map((i) => i.reason)).toEqual([
      "“31.02.2027” is not a date.",
      "“XYZ” is not a currency code (ISO 4217).",
      "“maybe” is not a status (open, won or lost).",
    ]);
    expect(valid).toEqual([
      expect.objectContaining({
        name: "Fine",
        amountMinor: 123_450,
        currency: "EUR",
        status: "won",
        closeDate: "2028-02-29",
        closedOn: "2028-02-29",
      }),
    ]);
  });
});

describe("our own deals.csv", () => {
  it("reads back what the export writes: amounts, contacts with roles, neutralised names, tags", () => {
    const csv =
      CSV_BOM +
      csvRow([...DEAL_CSV_COLUMNS]) +
      csvRow([
        '=HYPERLINK("deal")',
        "12500.50",
        "USD",
        "Sales",
        "Negotiation",
        "lost",
        "Price",
        "2027-02-28",
        "2026-11-30",
        "Analytical Engines",
        "engines.example",
        "ada@example.com (Decision maker); Grace Hopper",
        "VIP; Partners, EU",
        "owner@example.com",
        "2026-01-01T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
      ]);
    const { valid, invalid } = readDeals(new TextEncoder().encode(csv), "de-DE", "EUR");
    expect(invalid).toEqual([]);
    expect(valid).toEqual([
      {
        name: '=HYPERLINK("deal")',
        amountMinor: 1_250_050,
        amountGiven: true,
        currency: "USD",
        currencyGiven: true,
        pipeline: "Sales",
        stage: "Negotiation",
        stageGiven: true,
        status: "lost",
        statusGiven: true,
        lostReason: "Price",
        closeDate: "2027-02-28",
        closedOn: "2026-11-30",
        company: "Analytical Engines",
        companyDomain: "engines.example",
        companyInFile: true,
        contacts: [
          { ref: "ada@example.com", byEmail: true, role: "Decision maker" },
          { ref: "Grace Hopper", byEmail: false, role: null },
        ],
        tags: ["VIP", "Partners, EU"],
        owner: "owner@example.com",
        custom: {},
      },
    ]);
  });
});

describe("a file's number format", () => {
  it.each([
    [["1.234,56 €", "99,50 €"], "en-US", "de-DE"],
    [["€ 1.234,56"], "en-US", "de-DE"],
    [["5.000,00", "130,00"], "fr-FR", "de-DE"],
    [["12 500,50", "130,00"], "fr-FR", "fr-FR"],
    [["12 500,50"], "en-US", "fr-FR"],
    [["5.000,00"], "de-DE", "de-DE"],
    [["1,234.50", "$99.00"], "de-DE", "en-US"],
    [["1,234.50"], "en-GB", "en-GB"],
    [["5000", "130"], "fr-FR", "fr-FR"],
    [["5.000", "12.000"], "en-US", "de-DE"],
    // Our own export of a currency with three minor digits: "12.500" KWD is twelve and a half.
    [["12.500", "3000.000"], "en-US", "en-US", "KWD"],
    [["12.500,000"], "en-US", "de-DE", "BHD"],
    // An en-US sheet's thousands in dinars stay thousands; a cell that is no currency code counts as two digits.
    [["12,500", "3,000", "150,000"], "en-US", "en-US", "KWD"],
    [["12.50", "1,200.00"], "en-US", "en-US", "$"],
  ])("%j in a %s workspace reads as %s (%s)", (amounts, workspace, want, currency = "USD") => {
    expect(
      amountLocaleOf(
        amounts.map((text) => ({ text, currency })),
        workspace,
      ),
    ).toBe(want);
  });
});

describe("dates", () => {
  it.each([
    ["2027-01-31", "en-US", "2027-01-31"],
    ["31.01.2027", "en-US", "2027-01-31"],
    ["01/31/2027", "en-US", "2027-01-31"],
    ["31/01/2027", "en-GB", "2027-01-31"],
    ["01/31/2027", "en-GB", null],
    ["2027-02-29", "en-US", null],
    ["soon", "en-US", null],
  ])("%s in %s is %s", (text, locale, want) => {
    expect(dateOf(text, locale)).toBe(want);
  });
});
