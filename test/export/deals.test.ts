/**
 * The deals export, downloaded as an admin would and read back as a spreadsheet or a program
 * would: every value of a deal, amounts in major units with a dot (CSV) and in minor units with the
 * currency (JSON), contacts as "email (role)", formula cells neutralised, the export page offering it.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { restoreCell } from "../../src/lib/csv";
import { DEAL_CSV_COLUMNS, EXPORT_FORMAT_ID } from "../../src/services/export/columns";
import { auditOf } from "../companies/helpers";
import { send } from "../helpers/http";
import { csvRecords, download, parseCsv, seededTenant } from "./helpers";

let t: Awaited<ReturnType<typeof seededTenant>>;
let source: number;
beforeAll(async () => {
  t = await seededTenant("Deal Exports");
  source = (await env.DB.prepare(
    "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'deal', 'Source', 'source', 'text', 0, ?) RETURNING id",
  )
    .bind(t.tenantId, Date.now())
    .first<{ id: number }>())!.id;
  await env.DB.prepare("INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, ?)")
    .bind(t.tenantId, source, t.deal, "+Referral")
    .run();
});

describe("deals as CSV", () => {
  it("has a BOM, the agreed columns then the deal custom fields, and one row per deal A to Z", async () => {
    const { bytes, text } = await download("/app/export/deals.csv", t.cookie);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...DEAL_CSV_COLUMNS, "Source"]);
    expect(rows.map((r) => restoreCell(r[0]!))).toEqual(['=HYPERLINK("deal")', "Difference Engine, Mk II"]);
  });

  it("carries every value of a deal: amount with a dot in major units, stage, company, contacts with roles, dates", async () => {
    const { text } = await download("/app/export/deals.csv", t.cookie);
    const records = csvRecords(text.slice(1));
    const deal = records.find((r) => r.Name === "Difference Engine, Mk II")!;
    const domain = (await env.DB.prepare("SELECT domain FROM companies WHERE id = ?")
      .bind(t.company)
      .first<{ domain: string }>())!.domain;
    expect(deal).toMatchObject({
      Amount: "12500.50",
      Currency: "USD",
      Pipeline: "Sales",
      Stage: "Negotiation",
      Status: "open",
      "Lost reason": "",
      "Close date": "2027-02-28",
      "Closed on": "",
      Company: "Analytical Engines, Ltd.",
      "Company domain": domain,
      Tags: "VIP",
      Owner: t.email,
      Source: "'+Referral",
    });
    expect(deal.Contacts!.split("; ").sort()).toEqual(
      ["ada@example.com (Decision maker)", "tricky@example.com (=cmd role)"].sort(),
    );
    expect(deal.Created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // Yen have no minor unit: 125000 minor units are 125000 yen, with no decimals.
    const won = records.find((r) => restoreCell(r.Name!) === '=HYPERLINK("deal")')!;
    expect(won).toMatchObject({ Amount: "125000", Currency: "JPY", Status: "won", "Closed on": "2026-11-20" });
  });

  it("opens formula-looking cells as text: a deal named =HYPERLINK(...) gets a leading apostrophe", async () => {
    const { text } = await download("/app/export/deals.csv", t.cookie);
    const row = parseCsv(text.slice(1)).find((r) => r[0]!.includes("HYPERLINK"))!;
    expect(row[0]).toBe(`'=HYPERLINK("deal")`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe("deals as JSON", () => {
  it("is one document with amounts in minor units and the currency, contacts with roles, history and the pipelines", async () => {
    const { res, text } = await download("/app/export/deals.json", t.cookie);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: EXPORT_FORMAT_ID, kind: "deals" });
    expect(doc.custom_fields).toEqual([{ name: "Source", kind: "text" }]);
    expect(doc.pipelines).toEqual([
      {
        id: expect.any(Number),
        name: "Sales",
        stages: ["Lead", "Qualified", "Proposal", "Negotiation"].map((name, i) => ({
          id: expect.any(Number),
          name,
          probability: [10, 25, 50, 75][i],
        })),
      },
    ]);
    expect(doc.lost_reasons).toEqual(["Price", "Went with a competitor", "No budget", "Bad timing", "No response"]);
    const deal = doc.records.find((d: { id: number }) => d.id === t.deal);
    expect(deal).toMatchObject({
      name: "Difference Engine, Mk II",
      amount_minor: 1_250_050,
      currency: "USD",
      pipeline: "Sales",
      stage: "Negotiation",
      status: "open",
      lost_reason: null,
      close_date: "2027-02-28",
      company: { id: t.company, name: "Analytical Engines, Ltd." },
      tags: ["VIP"],
      owner: t.email,
      created_by: t.email,
      custom_fields: { Source: { kind: "text", value: "+Referral" } },
      stage_history: [{ pipeline: "Sales", stage: "Negotiation", status: "open", left_at: null, by: t.email }],
    });
    expect(deal.contacts).toEqual(
      expect.arrayContaining([
        { id: t.ada, name: "Ada Lovelace", email: "ada@example.com", role: "Decision maker" },
        expect.objectContaining({ id: t.tricky, email: "tricky@example.com", role: "=cmd role" }),
      ]),
    );
    const won = doc.records.find((d: { id: number }) => d.id === t.formulaDeal);
    expect(won).toMatchObject({ name: '=HYPERLINK("deal")', amount_minor: 125_000, currency: "JPY", status: "won" });
  });
});

describe("the export page", () => {
  it("offers deals as CSV and JSON, and each download is audited and named as a file", async () => {
    const page = await (await send("/app/export", { cookie: t.cookie })).text();
    expect(page).toContain('href="/app/export/deals.csv"');
    expect(page).toContain('href="/app/export/deals.json"');
    const before = (await auditOf(t.tenantId, "data.exported")).length;
    const { res } = await download("/app/export/deals.csv", t.cookie);
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="customertrackr-deals-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const entries = (await auditOf(t.tenantId, "data.exported")).slice(before);
    expect(entries.map((e) => e.target_label)).toEqual(["deals.csv"]);
  });
});
