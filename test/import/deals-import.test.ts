/**
 * Deal imports as a user runs them (issue 14): upload as "Deals" through the form's POST, the real
 * Queue consumer reading, previewing, writing and undoing, results read from the pages and the D1.
 * Pipedrive's and HubSpot's exports, stages by name in the chosen pipeline, companies and contacts
 * linked only when they are the workspace's own, deal_stage_totals exact, a second import a no-op.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { stageTotals } from "../deals/helpers";
import { deliver, HeldQueue, jobEnv } from "../jobs/helpers";
import { fixture, importFile, job, jobId, utf8, waitFor } from "./helpers";

const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as Record<
  string,
  Record<string, number> & { valid: number; invalid: number; valid_at_least: number; invalid_at_least: number }
>;

const DEAL_TABLES = ["deals", "deal_contacts", "deal_tags", "deal_stage_history", "deal_stage_totals"];

/** Every row the tenant has in the deal tables, the timeline, tags and counters: to compare states exactly. */
async function dealState(tenantId: string) {
  const out: Record<string, unknown[]> = {};
  for (const t of [...DEAL_TABLES, "activities", "tags", "tenant_counters"]) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE tenant_id = ? ORDER BY 1, 2, 3`)
      .bind(tenantId)
      .all();
    out[t] = results;
  }
  return out;
}

/** Companies and contacts the way a user has them: returns their ids by name. */
async function seed(tenantId: string, companies: string[], people: [string, string, string | null][]) {
  const now = Date.now();
  const ids: Record<string, number> = {};
  for (const name of companies) {
    const row = await env.DB.prepare(
      `INSERT INTO companies (tenant_id, name, name_sort, created_at, updated_at, last_activity_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    )
      .bind(tenantId, name, name.toLowerCase(), now, now, now)
      .first<{ id: number }>();
    ids[name] = row!.id;
  }
  for (const [first, last, email] of people) {
    const row = await env.DB.prepare(
      `INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, primary_email, created_at, updated_at,
         last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
      .bind(tenantId, first, last, `${last} ${first}`.toLowerCase(), email, now, now, now)
      .first<{ id: number }>();
    if (email)
      await env.DB.prepare("INSERT INTO contact_emails (tenant_id, contact_id, position, email) VALUES (?, ?, 0, ?)")
        .bind(tenantId, row!.id, email)
        .run();
    ids[`${first} ${last}`] = row!.id;
  }
  return ids;
}

interface DealRow {
  id: number;
  name: string;
  amount_minor: number;
  currency: string;
  status: string;
  stage: string;
  company_id: number | null;
  close_date: string | null;
  lost_reason: string | null;
}

async function dealsOf(tenantId: string): Promise<DealRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT d.id, d.name, d.amount_minor, d.currency, d.status, s.name AS stage, d.company_id, d.close_date, d.lost_reason
     FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id WHERE d.tenant_id = ? ORDER BY d.id`,
  )
    .bind(tenantId)
    .all<DealRow>();
  return results;
}

const importDeals = (cookie: string, bytes: Uint8Array | string, name = "deals.csv") =>
  importFile(cookie, bytes, { kind: "deals", name });

describe("deal imports: Pipedrive's export", () => {
  it("imports every row with exact amounts, stages by name, and links only this workspace's companies and contacts", async () => {
    const owner = await newTenant();
    const ids = await seed(
      owner.tenantId,
      ["Globex", "Initech", "Acme, Inc."],
      [
        ["Søren", "Nakamura", null],
        ["Grace", "Nowak", "grace@initech.example"],
      ],
    );
    // Another workspace has Soylent and Renée Nowak: never linked to this one's deals.
    const other = await newTenant();
    await seed(other.tenantId, ["Soylent", "Hooli"], [["Renée", "Nowak", null]]);

    const want = expected["pipedrive-deals.csv"]!;
    const { id, preview, result } = await importDeals(
      owner.cookie,
      fixture("pipedrive-deals.csv"),
      "pipedrive-deals.csv",
    );
    expect(preview.status).toBe("ready");
    expect(preview.new_count).toBe(want.valid);
    expect(preview.invalid_count).toBe(want.invalid);
    expect(preview.total_rows).toBe(preview.new_count + preview.invalid_count + preview.duplicate_count);
    expect(result.status).toBe("done");
    expect(result.created_count).toBe(want.valid);

    const deals = await dealsOf(owner.tenantId);
    expect(deals).toHaveLength(want.valid);
    const count = (status: string) => deals.filter((d) => d.status === status).length;
    expect([count("won"), count("lost"), count("open")]).toEqual([want.won, want.lost, want.open]);
    const first = deals.find((d) => d.name === "Globex – Annual plan 1")!;
    expect(first).toMatchObject({ amount_minor: 4680050, currency: "EUR", stage: "Lead", company_id: ids.Globex });
    expect(first.close_date).toBe("2027-01-01");
    const hooli = deals.find((d) => d.name === "Hooli – Expansion 8")!;
    expect(hooli).toMatchObject({ status: "lost", lost_reason: "Price too high", stage: "Negotiation" });
    expect(deals.find((d) => d.name === "Acme, Inc. – Pilot 6")!.company_id).toBe(ids["Acme, Inc."]);
    // Not this workspace's (though another one has them): imported without the link.
    for (const d of deals.filter((d) => /^(Soylent|Hooli|Umbrella|Stark|Pied)/.test(d.name)))
      expect(d.company_id).toBeNull();

    const links = await env.DB.prepare(
      "SELECT dc.contact_id, c.tenant_id FROM deal_contacts dc JOIN contacts c ON c.id = dc.contact_id WHERE dc.tenant_id = ?",
    )
      .bind(owner.tenantId)
      .all<{ contact_id: number; tenant_id: string }>();
    expect(new Set(links.results.map((l) => l.contact_id))).toEqual(
      new Set([ids["Søren Nakamura"], ids["Grace Nowak"]]),
    );
    expect(links.results.every((l) => l.tenant_id === owner.tenantId)).toBe(true);
    expect(links.results).toHaveLength(deals.filter((d) => /^(Globex|Initech)/.test(d.name)).length);

    // The counters the board reads are exact, and every deal has one open stage span.
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
    const counter = await env.DB.prepare("SELECT deals FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ deals: number }>();
    expect(counter!.deals).toBe(want.valid);
    const spans = await env.DB.prepare(
      "SELECT count(*) AS n FROM deal_stage_history WHERE tenant_id = ? AND left_at IS NULL",
    )
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(spans!.n).toBe(want.valid);

    // The page lists what was not linked: a company and a contact the workspace lacks.
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Companies and contacts not in this workspace");
    expect(page).toContain("Soylent");
    expect(page).toContain("Renée Nowak");
  });

  it("changes nothing when the same file is imported again", async () => {
    const owner = await newTenant();
    await seed(owner.tenantId, ["Globex", "Initech"], [["Grace", "Nowak", null]]);
    await importDeals(owner.cookie, fixture("pipedrive-deals.csv"));
    const before = await dealState(owner.tenantId);
    const { preview, result } = await importDeals(owner.cookie, fixture("pipedrive-deals.csv"));
    expect(preview.new_count).toBe(0);
    expect(preview.update_count).toBe(0);
    expect(preview.unchanged_count).toBe(expected["pipedrive-deals.csv"]!.valid);
    expect(result.status).toBe("done");
    expect(await dealState(owner.tenantId)).toEqual(before);
  });

  it("an empty amount cell leaves a matched deal's amount; 0 sets it to zero", async () => {
    const owner = await newTenant();
    await importDeals(owner.cookie, "Name,Amount,Stage\nKept amount,500.00,Lead\nZeroed amount,70.00,Lead");
    const { preview } = await importDeals(
      owner.cookie,
      "Name,Amount,Stage\nKept amount,,Proposal\nZeroed amount,0,Lead",
    );
    expect(preview).toMatchObject({ new_count: 0, update_count: 2 });
    const deals = await dealsOf(owner.tenantId);
    expect(deals.find((d) => d.name === "Kept amount")).toMatchObject({ amount_minor: 50000, stage: "Proposal" });
    expect(deals.find((d) => d.name === "Zeroed amount")).toMatchObject({ amount_minor: 0 });
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
  });
});

describe("deal imports: people", () => {
  it("links the owner by a member's email and contacts by email (with a role) or a full name; lists unknown emails", async () => {
    const owner = await newTenant();
    const ids = await seed(
      owner.tenantId,
      ["Globex"],
      [
        ["Grace", "Nowak", "grace@globex.example"],
        ["Ludwig", "van Beethoven", null],
      ],
    );
    const other = await newTenant();
    await seed(other.tenantId, [], [["Eve", "Other", "eve@other.example"]]);
    const csv = [
      "Name,Amount,Company,Contacts,Owner",
      `Big one,10,globex,GRACE@globex.example (Champion); Ludwig van Beethoven; eve@other.example,${owner.email}`,
      "Small one,5,,,nobody@nowhere.example",
    ].join("\n");
    const { id, result } = await importDeals(owner.cookie, csv);
    expect(result.status).toBe("done");
    const deals = await env.DB.prepare("SELECT name, owner_id, company_id FROM deals WHERE tenant_id = ? ORDER BY id")
      .bind(owner.tenantId)
      .all<{ name: string; owner_id: string | null; company_id: number | null }>();
    const userId = await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(owner.email)
      .first<{ id: string }>();
    expect(deals.results).toEqual([
      { name: "Big one", owner_id: userId!.id, company_id: ids.Globex },
      { name: "Small one", owner_id: null, company_id: null },
    ]);
    const links = await env.DB.prepare(
      "SELECT contact_id, role FROM deal_contacts WHERE tenant_id = ? ORDER BY contact_id",
    )
      .bind(owner.tenantId)
      .all();
    expect(links.results).toEqual([
      { contact_id: ids["Grace Nowak"], role: "Champion" },
      { contact_id: ids["Ludwig van Beethoven"], role: null },
    ]);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("eve@other.example");
  });
});

describe("deal imports: HubSpot's European export", () => {
  it("reads 5.000,00 as 500000, dd.mm.yyyy dates, refuses the bad row into errors.csv, keeps a formula name as text", async () => {
    const owner = await newTenant();
    const want = expected["hubspot-deals-eu.csv"]!;
    const { id, preview, result } = await importDeals(owner.cookie, fixture("hubspot-deals-eu.csv"));
    expect(preview.delimiter).toBe(";");
    expect(preview.new_count).toBeGreaterThanOrEqual(want.valid_at_least);
    expect(preview.invalid_count).toBeGreaterThanOrEqual(want.invalid_at_least);
    expect(preview.new_count + preview.invalid_count + preview.duplicate_count + preview.empty_count).toBe(
      preview.total_rows,
    );
    expect(result.status).toBe("done");
    const deals = await dealsOf(owner.tenantId);
    const first = deals.find((d) => d.name === "Angebot Stark Industries 1")!;
    expect(first).toMatchObject({
      amount_minor: 500000,
      currency: "USD",
      stage: "Qualified",
      close_date: "2027-01-01",
    });
    expect(deals.find((d) => d.name === "Angebot Stark Industries 17")!.amount_minor).toBe(13000);
    expect(deals.find((d) => d.name === '=HYPERLINK("http://x")')).toMatchObject({ amount_minor: 10000 });
    expect(deals.some((d) => d.name === "Broken amount deal")).toBe(false);

    const errors = await textOf(`/app/import/${id}/errors.csv`, { cookie: owner.cookie });
    expect(errors).toContain("Broken amount deal");
    expect(errors).toMatch(/twelve/);
  });

  it("reads back its own export of amounts in a currency of three minor digits (12.500 KWD is twelve and a half)", async () => {
    const origin = await newTenant("Kuwait Origin");
    const file = "Name,Amount,Currency,Stage\nHalf,12.500,KWD,Qualified\nThree thousand,3000.000,KWD,Qualified\n";
    expect((await importDeals(origin.cookie, file)).result.status).toBe("done");
    const amounts = (await dealsOf(origin.tenantId)).map((d) => [d.name, d.amount_minor, d.currency]);
    expect(amounts).toEqual([
      ["Half", 12_500, "KWD"],
      ["Three thousand", 3_000_000, "KWD"],
    ]);
    const exported = await send("/app/export/deals.csv", { cookie: origin.cookie });
    expect(exported.status).toBe(200);
    const copy = await newTenant("Kuwait Copy");
    const again = await importDeals(copy.cookie, new Uint8Array(await exported.arrayBuffer()));
    expect(again.preview.invalid_count).toBe(0);
    expect((await dealsOf(copy.tenantId)).map((d) => [d.name, d.amount_minor, d.currency])).toEqual(amounts);
  });

  it("refuses a bad amount, an impossible date, an unknown currency and a stage not in the pipeline, row by row", async () => {
    const owner = await newTenant();
    const csv = [
      "Name,Amount,Currency,Stage,Close date",
      "Good one,1200.50,EUR,Proposal,2027-03-01",
      "Bad amount,twelve,EUR,Lead,2027-03-01",
      "Bad date,100,EUR,Lead,31.02.2027",
      "Bad currency,100,XYZ,Lead,2027-03-01",
      "Bad stage,100,EUR,Contract signed,2027-03-01",
      "",
      "Last one,7,USD,,",
    ].join("\n");
    const { id, preview } = await importDeals(owner.cookie, csv);
    expect(preview).toMatchObject({ new_count: 2, invalid_count: 4, empty_count: 1, total_rows: 7 });
    const errors = await textOf(`/app/import/${id}/errors.csv`, { cookie: owner.cookie });
    const lines = errors
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^2,.*twelve/);
    expect(lines[2]).toMatch(/^3,.*31\.02\.2027.*is not a date/);
    expect(lines[3]).toMatch(/^4,.*XYZ.*currency/);
    expect(lines[4]).toMatch(/^5,.*Contract signed.*not a stage of the pipeline “Sales”/);
    // No stage was made up for the unknown name.
    const stages = await env.DB.prepare("SELECT count(*) AS n FROM pipeline_stages WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(stages!.n).toBe(4);
    const deals = await dealsOf(owner.tenantId);
    expect(deals.map((d) => [d.name, d.amount_minor, d.stage])).toEqual([
      ["Good one", 120050, "Proposal"],
      ["Last one", 700, "Lead"],
    ]);
  });
});

describe("deal imports: updates and undo", () => {
  it("updates a matched deal's amount, stage, close date and status, never its name; undo restores every deal table", async () => {
    const owner = await newTenant();
    await seed(owner.tenantId, ["Globex"], []);
    const first = [
      "Name,Amount,Currency,Stage,Status,Close date,Company,Tags",
      "Globex renewal,100.00,USD,Lead,open,2027-01-01,Globex,",
      "Other deal,50.00,USD,Lead,open,,,",
    ].join("\n");
    await importDeals(owner.cookie, first);
    const before = await dealState(owner.tenantId);

    const second = [
      "Name,Amount,Currency,Stage,Status,Close date,Company,Tags",
      "  GLOBEX RENEWAL ,250.00,USD,Proposal,open,2027-02-01,Globex,",
      "Other deal,0,USD,Lead,won,,,",
      "Brand new,9.99,EUR,Qualified,open,,,Imported; Q1",
      // Same name, another company: another deal.
      "Globex renewal,1.00,USD,Lead,open,,,",
    ].join("\n");
    const { id, preview, result } = await importDeals(owner.cookie, second);
    expect(preview).toMatchObject({ new_count: 2, update_count: 2, unchanged_count: 0 });
    expect(result.status).toBe("done");
    const deals = await dealsOf(owner.tenantId);
    expect(deals.find((d) => d.name === "Globex renewal" && d.company_id !== null)).toMatchObject({
      amount_minor: 25000,
      stage: "Proposal",
      close_date: "2027-02-01",
    });
    // "0" is an amount (the deal's becomes zero); an empty cell leaves it alone (below).
    expect(deals.find((d) => d.name === "Other deal")).toMatchObject({ status: "won", amount_minor: 0 });
    expect(deals.filter((d) => d.name === "Globex renewal")).toHaveLength(2);
    expect(deals.some((d) => d.name.startsWith("  GLOBEX"))).toBe(false);
    let totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Updates (2)");

    const res = await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    const undone = await waitFor(id, ["undone"]);
    expect(JSON.parse(undone.undo_kept!).total).toBe(0);
    expect(await dealState(owner.tenantId)).toEqual(before);
    totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
  });

  it("undo keeps a created deal someone edited since, and takes the rest out of the totals and the counter", async () => {
    const owner = await newTenant();
    const before = await dealState(owner.tenantId);
    const csv = ["Name,Amount,Currency,Stage", "Keep me,10,USD,Lead", "Drop me,20,USD,Lead"].join("\n");
    const { id } = await importDeals(owner.cookie, csv);
    await env.DB.prepare("UPDATE deals SET updated_at = updated_at + 1000 WHERE tenant_id = ? AND name = 'Keep me'")
      .bind(owner.tenantId)
      .run();
    await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    const undone = await waitFor(id, ["undone"]);
    const kept = JSON.parse(undone.undo_kept!) as { total: number; items: { name: string }[] };
    expect(kept.total).toBe(1);
    expect(kept.items[0]!.name).toBe("Keep me");
    expect((await dealsOf(owner.tenantId)).map((d) => d.name)).toEqual(["Keep me"]);
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
    const counter = await env.DB.prepare("SELECT deals FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ deals: number }>();
    expect(counter!.deals).toBe(1);
    expect(before.deals).toEqual([]);
  });
});

describe("deal imports: a deleted deal", () => {
  it("takes what the import wrote about it along, and undo still takes back the rest", async () => {
    const owner = await newTenant();
    const csv = ["Name,Amount,Currency,Stage", "Gone soon,10,USD,Lead", "Bulk gone,5,USD,Lead", "Stays,20,USD,Lead"];
    const { id } = await importDeals(owner.cookie, csv.join("\n"));
    const gone = (await dealsOf(owner.tenantId)).find((d) => d.name === "Gone soon")!;
    const bulkGone = (await dealsOf(owner.tenantId)).find((d) => d.name === "Bulk gone")!;
    const res = await send(`/app/deals/${gone.id}/delete`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    const bulk = await send("/app/deals/list/bulk", {
      cookie: owner.cookie,
      form: { action: "delete", ids: String(bulkGone.id), confirm: "1", back: "/app/deals/list" },
    });
    expect(bulk.status).toBe(303);
    expect((await dealsOf(owner.tenantId)).map((d) => d.name)).toEqual(["Stays"]);
    const records = await env.DB.prepare(
      "SELECT entity_id FROM import_records WHERE import_id = ? AND entity_type = 'deal' ORDER BY entity_id",
    )
      .bind(id)
      .all<{ entity_id: number }>();
    expect(records.results.map((r) => r.entity_id)).not.toContain(gone.id);
    expect(records.results.map((r) => r.entity_id)).not.toContain(bulkGone.id);
    expect(records.results).toHaveLength(1);
    await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    await waitFor(id, ["undone"]);
    expect(await dealsOf(owner.tenantId)).toEqual([]);
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
  });
});

describe("deal imports: the upload", () => {
  it("offers Deals and the workspace's pipelines; another workspace's pipeline is not found", async () => {
    const owner = await newTenant();
    const other = await newTenant();
    const page = await textOf("/app/import", { cookie: owner.cookie });
    expect(page).toContain('value="deals"');
    expect(page).toContain(">Sales<");
    const theirs = await env.DB.prepare("SELECT id FROM pipelines WHERE tenant_id = ?")
      .bind(other.tenantId)
      .first<{ id: number }>();
    const form = new FormData();
    form.set("kind", "deals");
    form.set("encoding", "auto");
    form.set("pipeline", String(theirs!.id));
    form.set("file", new File([utf8("Name\nX\n")], "deals.csv", { type: "text/csv" }));
    const res = await send("/app/import", { method: "POST", body: form, cookie: owner.cookie });
    expect(res.status).toBe(404);
    const jobs = await env.DB.prepare("SELECT count(*) AS n FROM import_jobs WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ n: number }>();
    expect(jobs!.n).toBe(0);
  });

  it("reads stage names in the pipeline chosen on upload", async () => {
    const owner = await newTenant();
    const now = Date.now();
    const pipe = await env.DB.prepare(
      "INSERT INTO pipelines (tenant_id, name, name_key, position, created_at, updated_at) VALUES (?, 'Renewals', 'renewals', 5, ?, ?) RETURNING id",
    )
      .bind(owner.tenantId, now, now)
      .first<{ id: number }>();
    await env.DB.prepare(
      "INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, name_key, position, probability, created_at, updated_at) VALUES (?, ?, 'Due', 'due', 0, 50, ?, ?)",
    )
      .bind(owner.tenantId, pipe!.id, now, now)
      .run();
    const form = new FormData();
    form.set("kind", "deals");
    form.set("encoding", "auto");
    form.set("pipeline", String(pipe!.id));
    form.set("file", new File([utf8("Name,Stage\nRenew A,Due\nRenew B,Lead\n")], "deals.csv", { type: "text/csv" }));
    const id = jobId(await send("/app/import", { method: "POST", body: form, cookie: owner.cookie }));
    const preview = await waitFor(id, ["ready", "failed"]);
    // "Lead" is a stage of Sales, not of Renewals: a row problem, not a new stage.
    expect(preview).toMatchObject({ status: "ready", new_count: 1, invalid_count: 1 });
  });
});

describe("deal imports: the mapping step", () => {
  it("reads the file again with the user's columns; a contact field is not a deal column", async () => {
    const owner = await newTenant();
    const csv = ["Deal,Value,Phase", "One,10,Lead", "Two,20,Contract signed"].join("\n");
    const id = jobId(
      await (async () => {
        const form = new FormData();
        form.set("kind", "deals");
        form.set("encoding", "auto");
        form.set("file", new File([utf8(csv)], "deals.csv", { type: "text/csv" }));
        return send("/app/import", { method: "POST", body: form, cookie: owner.cookie });
      })(),
    );
    const first = await waitFor(id, ["ready"]);
    expect(JSON.parse(first.mapping!)).toEqual(["", "amount", "stage"]);
    expect(first).toMatchObject({ new_count: 0, invalid_count: 2 });
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Stage (by name)");

    const refused = await send(`/app/import/${id}/mapping`, {
      cookie: owner.cookie,
      form: { encoding: "auto", col_0: "first_name", col_1: "amount", col_2: "" },
    });
    expect(refused.status).toBe(400);
    // Name mapped, the stage column skipped: every row goes to the pipeline's first stage.
    const res = await send(`/app/import/${id}/mapping`, {
      cookie: owner.cookie,
      form: { encoding: "auto", col_0: "name", col_1: "amount", col_2: "" },
    });
    expect(res.status).toBe(303);
    const again = await waitFor(id, ["ready"]);
    expect(again).toMatchObject({ new_count: 2, invalid_count: 0 });
  });
});

describe("deal imports: queue steps delivered twice", () => {
  it("a 3-chunk file committed and undone with every message delivered twice at once keeps totals and counter exact", async () => {
    const owner = await newTenant();
    const before = await dealState(owner.tenantId);
    const q = new HeldQueue();
    const bindings = jobEnv(q);
    const stages = ["Lead", "Qualified", "Proposal", "Negotiation"];
    const lines = ["Name,Amount,Currency,Stage,Status"];
    for (let i = 0; i < 1_200; i += 1)
      lines.push(`Deal ${i},${i}.25,${i % 3 ? "USD" : "EUR"},${stages[i % 4]},${i % 10 === 0 ? "won" : "open"}`);
    const form = new FormData();
    form.set("kind", "deals");
    form.set("encoding", "auto");
    form.set("file", new File([utf8(lines.join("\n"))], "many.csv", { type: "text/csv" }));
    const id = jobId(await send("/app/import", { method: "POST", body: form, cookie: owner.cookie, env: bindings }));
    const twice = async () => {
      for (let m = q.takeOne(id); m; m = q.takeOne(id)) {
        if (m.type === "import.commit" || m.type === "import.undo")
          await Promise.all([deliver(bindings, m), deliver(bindings, m)]);
        else await deliver(bindings, m);
      }
    };
    await twice();
    expect(await job(id)).toMatchObject({ status: "ready", new_count: 1_200, chunk_count: 3 });
    await send(`/app/import/${id}/commit`, { method: "POST", cookie: owner.cookie, form: {}, env: bindings });
    await twice();
    expect(await job(id)).toMatchObject({ status: "done", created_count: 1_200 });
    const deals = await dealsOf(owner.tenantId);
    expect(deals).toHaveLength(1_200);
    expect(deals.find((d) => d.name === "Deal 7")).toMatchObject({
      amount_minor: 725,
      currency: "USD",
      stage: "Negotiation",
    });
    const totals = await stageTotals(owner.tenantId);
    expect(totals.kept).toEqual(totals.counted);
    const counter = await env.DB.prepare("SELECT deals FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ deals: number }>();
    expect(counter!.deals).toBe(1_200);
    await send(`/app/import/${id}/undo`, { method: "POST", cookie: owner.cookie, form: {}, env: bindings });
    await twice();
    expect((await job(id)).status).toBe("undone");
    // A fresh workspace had no counters row yet; the import made one, and undo leaves it at zero.
    const { tenant_counters: countersAfter, ...after } = await dealState(owner.tenantId);
    const { tenant_counters: countersBefore, ...rest } = before;
    expect(after).toEqual(rest);
    expect(countersBefore).toEqual([]);
    expect(countersAfter).toMatchObject([{ deals: 0, contacts: 0, companies: 0, notes: 0 }]);
  });
});

describe("deal imports: a company's website on a shared host", () => {
  it("links a deal by the company's name, not to another company whose site is on the same host", async () => {
    const owner = await newTenant();
    const ids = await seed(owner.tenantId, ["Bakery Bread", "Bakery Cakes"], []);
    // Bakery Bread's site is its Facebook page: facebook.com is its stored domain, and many others' too.
    await env.DB.prepare("UPDATE companies SET domain = 'facebook.com' WHERE id = ?").bind(ids["Bakery Bread"]).run();
    const { result } = await importDeals(
      owner.cookie,
      "Deal name,Amount,Company,Company domain\nWedding cake,1200,Bakery Cakes,facebook.com\n",
    );
    expect(result).toMatchObject({ status: "done", created_count: 1 });
    const [deal] = await dealsOf(owner.tenantId);
    expect(deal!.company_id).toBe(ids["Bakery Cakes"]);
  });
});
