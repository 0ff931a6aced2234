/**
 * Amounts and currencies of deal imports as a user meets them: a refresh file without a currency column
 * leaves each deal in its own currency (the amount read in it), and a file's number format is the one its
 * amounts are written in, with the currency sign beside them or not, whatever the workspace's own.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { stageTotals } from "../deals/helpers";
import { fixture, importFile } from "./helpers";

const importDeals = (cookie: string, file: string | Uint8Array) => importFile(cookie, file, { kind: "deals" });

async function dealsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT name, amount_minor, currency FROM deals WHERE tenant_id = ? ORDER BY id",
  )
    .bind(tenantId)
    .all<{ name: string; amount_minor: number; currency: string }>();
  return results;
}

/** Settings → Workspace, as an owner sets the deals' currency and number format. */
async function setWorkspaceMoney(cookie: string, currency: string, locale: string) {
  const form = { company_name: "Tenant Co", default_region: "US", currency, locale };
  const res = await send("/app/settings/workspace", { cookie, form });
  expect(res.status).toBe(303);
}

describe("deal imports: a file without currencies", () => {
  it("re-importing Name/Amount/Stage into a USD workspace keeps a EUR deal in EUR with the new amount", async () => {
    const owner = await newTenant();
    await importDeals(
      owner.cookie,
      ["Name,Amount,Currency,Stage", "Euro contract,50000.00,EUR,Lead", "Yen contract,1200000,JPY,Lead"].join("\n"),
    );
    expect(await dealsOf(owner.tenantId)).toEqual([
      { name: "Euro contract", amount_minor: 5_000_000, currency: "EUR" },
      { name: "Yen contract", amount_minor: 1_200_000, currency: "JPY" },
    ]);

    const { id, preview, result } = await importDeals(
      owner.cookie,
      ["Name,Amount,Stage", "Euro contract,55000.00,Lead", "Yen contract,1250000,Lead", "New one,10.00,Lead"].join(
        "\n",
      ),
    );
    expect(preview).toMatchObject({ new_count: 1, update_count: 2 });
    expect(result).toMatchObject({ status: "done", created_count: 1, updated_count: 2 });
    // Each deal's amount is read in its own currency (JPY has no minor unit); a new deal takes the workspace's.
    expect(await dealsOf(owner.tenantId)).toEqual([
      { name: "Euro contract", amount_minor: 5_500_000, currency: "EUR" },
      { name: "Yen contract", amount_minor: 1_250_000, currency: "JPY" },
      { name: "New one", amount_minor: 1000, currency: "USD" },
    ]);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("€55,000.00");
    expect(page).not.toContain("$55,000.00");

    // An empty currency cell is no currency either.
    await importDeals(owner.cookie, ["Name,Amount,Currency,Stage", "Euro contract,60000.00,,Lead"].join("\n"));
    expect((await dealsOf(owner.tenantId))[0]).toEqual({
      name: "Euro contract",
      amount_minor: 6_000_000,
      currency: "EUR",
    });
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
  });
});

describe("deal imports: the file's number format", () => {
  it("HubSpot's European export (5.000,00) imports its valid rows with the right amounts in a fr-FR workspace", async () => {
    const owner = await newTenant();
    await setWorkspaceMoney(owner.cookie, "EUR", "fr-FR");
    const { preview, result } = await importDeals(owner.cookie, fixture("hubspot-deals-eu.csv"));
    expect(preview.new_count).toBeGreaterThanOrEqual(21);
    expect(preview.invalid_count).toBe(1);
    expect(result.status).toBe("done");
    const deals = await dealsOf(owner.tenantId);
    expect(deals.find((d) => d.name === "Angebot Stark Industries 1")).toEqual({
      name: "Angebot Stark Industries 1",
      amount_minor: 500_000,
      currency: "EUR",
    });
    expect(deals.find((d) => d.name === "Angebot Soylent 2")!.amount_minor).toBe(3_818_000);
    expect(deals.find((d) => d.name === "Angebot Stark Industries 17")!.amount_minor).toBe(13_000);
  });

  it("amounts written 1.234,56 € (the sign after) read as 123456 minor units in an en-US workspace", async () => {
    const owner = await newTenant();
    const { preview, result } = await importDeals(
      owner.cookie,
      ["Name;Amount;Currency", "Trailing sign;1.234,56 €;EUR", "Small one;99,50 €;EUR"].join("\n"),
    );
    expect(preview).toMatchObject({ new_count: 2, invalid_count: 0 });
    expect(result.status).toBe("done");
    expect(await dealsOf(owner.tenantId)).toEqual([
      { name: "Trailing sign", amount_minor: 123_456, currency: "EUR" },
      { name: "Small one", amount_minor: 9950, currency: "EUR" },
    ]);
  });
});
