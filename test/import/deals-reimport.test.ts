/**
 * A deals file imported again, as people do to refresh amounts or to link companies created since: what the
 * file does not say (no status, no stage, no company column) stays as the deal has it, and a deal imported
 * before its company existed is the same deal once it does, not a second one.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createCompanyThroughForm } from "../companies/helpers";
import { stageTotals } from "../deals/helpers";
import { importFile, waitFor } from "./helpers";

const importDeals = (cookie: string, csv: string[]) => importFile(cookie, csv.join("\n"), { kind: "deals" });

async function dealsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    `SELECT d.name, d.amount_minor, d.status, s.name AS stage, d.company_id, d.closed_on, d.lost_reason
     FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id WHERE d.tenant_id = ? ORDER BY d.id`,
  )
    .bind(tenantId)
    .all<Record<string, unknown>>();
  return results;
}

describe("deal imports: the same deals again", () => {
  it("a file without status or stage columns changes amounts only: won and lost deals stay closed, stages stay", async () => {
    const owner = await newTenant();
    await importDeals(owner.cookie, [
      "Name,Amount,Currency,Stage,Status,Lost reason,Closed on",
      "Won one,100,USD,Proposal,won,,2026-11-02",
      "Lost one,80,USD,Qualified,lost,Too expensive,2026-11-03",
      "Open one,50,USD,Proposal,open,,",
    ]);
    const before = await dealsOf(owner.tenantId);
    const { result } = await importDeals(owner.cookie, ["Name,Amount", "Won one,120", "Lost one,90", "Open one,60"]);
    expect(result).toMatchObject({ status: "done", created_count: 0, updated_count: 3 });
    const after = await dealsOf(owner.tenantId);
    expect(after).toEqual(
      before.map((d) => ({
        ...d,
        amount_minor: { "Won one": 12000, "Lost one": 9000, "Open one": 6000 }[d.name as string],
      })),
    );
    expect(after.map((d) => [d.name, d.status, d.stage])).toEqual([
      ["Won one", "won", "Proposal"],
      ["Lost one", "lost", "Qualified"],
      ["Open one", "open", "Proposal"],
    ]);
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
  });

  it("HubSpot's 'Closed won' stage closes the deal and leaves its stage where it was", async () => {
    const owner = await newTenant();
    await importDeals(owner.cookie, ["Deal Name,Deal Stage,Amount", "Kiosk,Proposal,10"]);
    const { result } = await importDeals(owner.cookie, ["Deal Name,Deal Stage,Amount", "Kiosk,Closed won,10"]);
    expect(result).toMatchObject({ created_count: 0, updated_count: 1 });
    expect(await dealsOf(owner.tenantId)).toMatchObject([{ name: "Kiosk", status: "won", stage: "Proposal" }]);
  });

  it("a deal imported before its company existed is linked by the next import, not made twice; undo unlinks it", async () => {
    const owner = await newTenant();
    const file = ["Name,Amount,Currency,Company", "Hooli XYZ,10,USD,Hooli"];
    const first = await importDeals(owner.cookie, file);
    expect(first.result).toMatchObject({ created_count: 1 });
    expect(await dealsOf(owner.tenantId)).toMatchObject([{ company_id: null }]);

    const hooli = await createCompanyThroughForm(owner.cookie, { name: "Hooli" });
    const second = await importDeals(owner.cookie, file);
    expect(second.preview).toMatchObject({ new_count: 0, update_count: 1 });
    expect(await dealsOf(owner.tenantId)).toMatchObject([{ name: "Hooli XYZ", company_id: hooli }]);

    // A file with no company column at all is about the same deal (its one deal of that name).
    const third = await importDeals(owner.cookie, ["Name,Amount,Currency", "Hooli XYZ,20,USD"]);
    expect(third.result).toMatchObject({ created_count: 0, updated_count: 1 });
    expect(await dealsOf(owner.tenantId)).toMatchObject([{ amount_minor: 2000, company_id: hooli }]);

    for (const { id } of [third, second]) {
      await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
      expect(JSON.parse((await waitFor(id, ["undone"])).undo_kept!).total).toBe(0);
    }
    expect(await dealsOf(owner.tenantId)).toMatchObject([{ amount_minor: 1000, company_id: null }]);
  });

  it("an empty company cell is no company: a deal of the same name at a company is another deal", async () => {
    const owner = await newTenant();
    await createCompanyThroughForm(owner.cookie, { name: "Globex" });
    await importDeals(owner.cookie, ["Name,Amount,Currency,Company", "Renewal,10,USD,Globex"]);
    const { result } = await importDeals(owner.cookie, ["Name,Amount,Currency,Company", "Renewal,5,USD,"]);
    expect(result).toMatchObject({ created_count: 1, updated_count: 0 });
    expect(await dealsOf(owner.tenantId)).toHaveLength(2);
  });

  it("a deal field's column (named as the deals export names it) fills the field on new deals; a bad value is the row's error", async () => {
    const owner = await newTenant();
    const made = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "deal", name: "Seats", kind: "number" },
    });
    expect(made.status).toBe(303);
    const { preview, result } = await importDeals(owner.cookie, [
      "Name,Amount,Currency,Seats",
      "Kiosks,10,USD,12",
      "Tablets,5,USD,many",
    ]);
    expect(preview).toMatchObject({ new_count: 1, invalid_count: 1 });
    expect(result).toMatchObject({ status: "done", created_count: 1 });
    const values = await env.DB.prepare(
      `SELECT d.name, v.value FROM deals d JOIN custom_field_values v ON v.tenant_id = d.tenant_id AND v.entity_id = d.id
       JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'deal' WHERE d.tenant_id = ?`,
    )
      .bind(owner.tenantId)
      .all();
    expect(values.results).toEqual([{ name: "Kiosks", value: "12" }]);
  });
});
