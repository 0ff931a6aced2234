/**
 * How an import reads numbers and dates as the file writes them, not as the workspace would: negative amounts
 * refused however a sheet marks them, slashed dates in the order the file's own dates show, custom number
 * columns in the file's number format, Swiss amounts (12'500.00) in any workspace.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "./helpers";

const importDeals = (cookie: string, csv: string[]) => importFile(cookie, csv.join("\n"), { kind: "deals" });

async function deals(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT name, amount_minor, close_date FROM deals WHERE tenant_id = ? ORDER BY id",
  )
    .bind(tenantId)
    .all<{ name: string; amount_minor: number; close_date: string | null }>();
  return results;
}

/** errors.csv's lines after the header. */
async function errorLines(cookie: string, id: string): Promise<string[]> {
  const text = await textOf(`/app/import/${id}/errors.csv`, { cookie });
  return text
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/)
    .slice(1);
}

/** Settings → Workspace: the workspace's currency and number and date format. */
async function setWorkspaceLocale(cookie: string, locale: string) {
  const form = { company_name: "Tenant Co", default_region: "US", currency: "USD", locale };
  expect((await send("/app/settings/workspace", { cookie, form })).status).toBe(303);
}

async function numberField(cookie: string, entity: string, name: string) {
  const made = await send("/app/settings/fields", { cookie, form: { entity, name, kind: "number", options: "" } });
  expect(made.status).toBe(303);
}

async function customValues(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT f.name AS field, v.value FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.tenant_id = ? ORDER BY v.entity_id, f.id",
  )
    .bind(tenantId)
    .all<{ field: string; value: string }>();
  return results;
}

describe("imports: negative amounts", () => {
  it("(1,234.00), −1234 (U+2212), 1234- and € −5 are refused into errors.csv, never imported as positive", async () => {
    const owner = await newTenant();
    const { id, preview, result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency",
      'Brackets,"(1,234.00)",USD',
      "Unicode minus,\u22121234,USD",
      "Trailing minus,1234-,USD",
      "Sign first,€ \u22125,EUR",
      "Fine,1234,USD",
    ]);
    expect(preview).toMatchObject({ new_count: 1, invalid_count: 4 });
    expect(result.status).toBe("done");
    expect(await deals(owner.tenantId)).toEqual([{ name: "Fine", amount_minor: 123_400, close_date: null }]);
    const lines = await errorLines(owner.cookie, id);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toContain("An amount cannot be negative.");
  });

  it("a dash after the decimal separator is no cents, not a minus: 2.500,– and CHF 1'500.– are imported", async () => {
    const owner = await newTenant();
    // Two files: a German one and a Swiss one.
    for (const row of ['Euros,"2.500,\u2013",EUR', "Francs,CHF 1'500.\u2013,CHF"]) {
      const { result } = await importDeals(owner.cookie, ["Name,Amount,Currency", row]);
      expect(result, row).toMatchObject({ status: "done", created_count: 1, invalid_count: 0 });
    }
    expect((await deals(owner.tenantId)).map((d) => [d.name, d.amount_minor])).toEqual([
      ["Euros", 250_000],
      ["Francs", 150_000],
    ]);
  });
});

describe("imports: dates with slashes", () => {
  it("a UK file in an en-US workspace: 25/04/2025 shows the file is day first, so 03/04/2025 is 3 April", async () => {
    const owner = await newTenant();
    const { result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Close date",
      "Early,1,USD,03/04/2025",
      "Late,2,USD,25/04/2025",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 0 });
    expect((await deals(owner.tenantId)).map((d) => [d.name, d.close_date])).toEqual([
      ["Early", "2025-04-03"],
      ["Late", "2025-04-25"],
    ]);
  });

  it("a US file in a de-DE workspace: 01/31/2027 shows the file is month first, so 02/03/2027 is 3 February", async () => {
    const owner = await newTenant();
    await setWorkspaceLocale(owner.cookie, "de-DE");
    const { result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Close date",
      "January,1,USD,01/31/2027",
      "February,2,USD,02/03/2027",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 0 });
    expect((await deals(owner.tenantId)).map((d) => [d.name, d.close_date])).toEqual([
      ["January", "2027-01-31"],
      ["February", "2027-02-03"],
    ]);
  });

  it("a file with dates of both orders refuses the ones that could be either, saying why", async () => {
    const owner = await newTenant();
    const { id, result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Close date",
      "Day first,1,USD,25/04/2025",
      "Month first,2,USD,04/26/2025",
      "Either,3,USD,03/04/2025",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 1 });
    expect((await deals(owner.tenantId)).map((d) => [d.name, d.close_date])).toEqual([
      ["Day first", "2025-04-25"],
      ["Month first", "2025-04-26"],
    ]);
    const lines = await errorLines(owner.cookie, id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^3,.*03\/04\/2025.*could be day first or month first.*YYYY-MM-DD/);
  });
});

describe("imports: custom number columns in the file's number format", () => {
  it("a German deals file (5.000,00) in an en-US workspace stores Seats 1.500 as 1500", async () => {
    const owner = await newTenant();
    await numberField(owner.cookie, "deal", "Seats");
    const { result } = await importDeals(owner.cookie, [
      "Name;Amount;Currency;Seats",
      "Kiosks;5.000,00;EUR;1.500",
      "Tablets;130,00;EUR;12",
    ]);
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 0 });
    expect(await customValues(owner.tenantId)).toEqual([
      { field: "Seats", value: "1500" },
      { field: "Seats", value: "12" },
    ]);
  });

  it("a contacts file's number column written 1.500,5 reads as 1500.5; plain numbers stay as written", async () => {
    const owner = await newTenant();
    await numberField(owner.cookie, "contact", "Score");
    await numberField(owner.cookie, "contact", "Rank");
    const { result } = await importFile(
      owner.cookie,
      'First name,Last name,Score,Rank\nAda,Lovelace,"1.500,5",1.125\nAlan,Turing,"2,25",2.5e3\n',
    );
    expect(result).toMatchObject({ status: "done", created_count: 2, invalid_count: 0 });
    expect(await customValues(owner.tenantId)).toEqual([
      { field: "Score", value: "1500.5" },
      { field: "Rank", value: "1.125" },
      { field: "Score", value: "2.25" },
      { field: "Rank", value: "2500" },
    ]);
  });
});

describe("imports: Swiss amounts", () => {
  it("12'500.00 and 1’250.50 in an en-US workspace read as 1250000 and 125050 minor units", async () => {
    const owner = await newTenant();
    const { preview, result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency",
      "Apostrophe,12'500.00,USD",
      "Typographic,1\u2019250.50,USD",
    ]);
    expect(preview).toMatchObject({ new_count: 2, invalid_count: 0 });
    expect(result.status).toBe("done");
    expect((await deals(owner.tenantId)).map((d) => [d.name, d.amount_minor])).toEqual([
      ["Apostrophe", 1_250_000],
      ["Typographic", 125_050],
    ]);
  });
});
