/**
 * /app/reports as an owner, a member and a viewer see it: the figures follow the deals, stays and contacts in
 * the date range, pipeline and owner asked for; another workspace's never show; bad filters get a 400 with the
 * message by the field; each report downloads as the same figures in CSV.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fieldError } from "../contacts/contact-helpers";
import { insertDeal } from "../deals/data-helpers";
import { addPipeline } from "../deals/helpers";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";

const userId = async (email: string) =>
  (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;

/** The rows of the table in `#id`'s card: header cell, then data cells, tags stripped. */
function tableRows(html: string, id: string): string[][] {
  const card = html.split(`id="${id}"`)[1]?.split("</section>")[0] ?? "";
  const table = card.match(/<table class="table report-table">([\s\S]*?)<\/table>/)?.[1] ?? "";
  const body = table.split("<tbody>")[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim()),
  );
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function insertContact(tenantId: string, source: "manual" | "import", createdBy: string | null) {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, created_by, created_at, updated_at,
       last_activity_at, source) VALUES (?, 'A', 'B', 'b a', ?, ?, ?, ?, ?)`,
  )
    .bind(tenantId, createdBy, now, now, now, source)
    .run();
}

/** A finished stay in a stage, `days` long, that ended yesterday. */
async function insertStay(tenantId: string, dealId: number, stage: string, days: number) {
  const left = Date.now() - 86_400_000;
  await env.DB.prepare(
    `INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, left_at)
     SELECT s.tenant_id, ?, s.pipeline_id, s.id, 'open', ?, ? FROM pipeline_stages s WHERE s.tenant_id = ? AND s.name = ?`,
  )
    .bind(dealId, left - days * 86_400_000, left, tenantId, stage)
    .run();
}

describe("reports", () => {
  it("answers won and lost by reason, win rate by owner, time in stage and contact sources for the range", async () => {
    const t = await newTenant("Reports Co");
    const owner = await userId(t.email);
    const seller = await memberOf(t.tenantId, "member");
    const sellerId = await userId(seller.email);
    const won = (amountMinor: number, ownerId: string, closedOn = today()) =>
      insertDeal(t.tenantId, { name: "W", status: "won", amountMinor, ownerId, closedOn });
    await won(100_000, owner);
    await won(300_000, owner);
    await won(50_000, sellerId);
    await won(999_900, owner, daysAgo(200)); // before the default 90 days
    await insertDeal(t.tenantId, {
      name: "L1",
      status: "lost",
      lostReason: "Price",
      ownerId: owner,
      closedOn: today(),
    });
    await insertDeal(t.tenantId, {
      name: "L2",
      status: "lost",
      lostReason: "Price",
      ownerId: sellerId,
      closedOn: today(),
    });
    await insertDeal(t.tenantId, {
      name: "L3",
      status: "lost",
      lostReason: "=cmd()",
      ownerId: null,
      closedOn: today(),
    });
    const staying = await insertDeal(t.tenantId, { name: "Stays" });
    await insertStay(t.tenantId, staying, "Lead", 2);
    await insertStay(t.tenantId, staying, "Lead", 4);
    await insertStay(t.tenantId, staying, "Qualified", 10);
    await insertContact(t.tenantId, "manual", owner);
    await insertContact(t.tenantId, "import", owner);
    await insertContact(t.tenantId, "import", sellerId);
    const other = await newTenant("Reports Other");
    await insertDeal(other.tenantId, { name: "Theirs", status: "won", amountMinor: 7_777_700, closedOn: today() });

    const res = await send("/app/reports", { cookie: t.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(tableRows(html, "report-outcomes")).toEqual([
      ["Won", "3", "$4,500.00"],
      ["Lost: Price", "2", "$0.00"],
      ["Lost: =cmd()", "1", "$0.00"],
    ]);
    const owners = tableRows(html, "report-owners");
    expect(owners).toContainEqual([t.email, "2", "1", "67%", "$4,000.00", "$2,000.00"]);
    expect(owners).toContainEqual([seller.email, "1", "1", "50%", "$500.00", "$500.00"]);
    expect(owners).toContainEqual(["No owner", "0", "1", "0%", "—", "—"]);
    expect(html).not.toContain("77,777");
    // The charts carry the same numbers in their tables.
    expect(html).toMatch(/Lead[\s\S]{0,400}3\.0 days/);
    expect(html).toMatch(/Qualified[\s\S]{0,400}10\.0 days/);
    expect(html).toMatch(/Imported from a file[\s\S]{0,400}>2</);

    // A longer range takes in the deal won 200 days ago.
    const year = await (await send(`/app/reports?from=${daysAgo(365)}&to=${today()}`, { cookie: t.cookie })).text();
    expect(tableRows(year, "report-outcomes")[0]).toEqual(["Won", "4", "$14,499.00"]);
    // One owner.
    const mine = await (await send(`/app/reports?owner=${sellerId}`, { cookie: t.cookie })).text();
    expect(tableRows(mine, "report-outcomes")).toEqual([
      ["Won", "1", "$500.00"],
      ["Lost: Price", "1", "$0.00"],
    ]);
    // A pipeline without deals.
    const empty = await addPipeline(t.tenantId, "Partners", ["Intro"]);
    const partners = await (await send(`/app/reports?pipeline=${empty.id}`, { cookie: t.cookie })).text();
    expect(partners).toContain("No deals were won or lost in this period.");
  });

  it("gives each currency's row its own deal counts, so a spreadsheet's sums are right", async () => {
    const t = await newTenant("Reports Currencies Co");
    for (const currency of ["USD", "USD", "EUR"])
      await insertDeal(t.tenantId, {
        name: "L",
        status: "lost",
        lostReason: "Price",
        currency,
        amountMinor: 1_000,
        closedOn: today(),
      });
    await insertDeal(t.tenantId, { name: "W", status: "won", currency: "EUR", amountMinor: 5_000, closedOn: today() });
    const csv = async (name: string) =>
      (await (await send(`/app/reports/${name}.csv`, { cookie: t.cookie })).text())
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n");
    expect((await csv("outcomes")).slice(1).sort()).toEqual([
      "lost,Price,1,EUR,10.00",
      "lost,Price,2,USD,20.00",
      "won,,1,EUR,50.00",
    ]);
    expect((await csv("owners")).slice(1).sort()).toEqual([
      "No owner,0,2,0.0000,USD,0.00,",
      "No owner,1,1,0.5000,EUR,50.00,50.00",
    ]);
  });

  it("downloads each report as CSV with the page's figures, amounts as decimals and formula cells neutralised", async () => {
    const t = await newTenant("Reports CSV Co");
    await insertDeal(t.tenantId, { name: "W", status: "won", amountMinor: 123_456, closedOn: today() });
    await insertDeal(t.tenantId, { name: "L", status: "lost", lostReason: "=HYPERLINK(1)", closedOn: today() });
    const res = await send("/app/reports/outcomes.csv", { cookie: t.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="outcomes-\d{4}-\d\d-\d\d-to-/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A byte order mark first, so spreadsheets read the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split("\r\n");
    expect(lines).toEqual([
      "outcome,reason,deals,currency,amount",
      "won,,1,USD,1234.56",
      "lost,'=HYPERLINK(1),1,USD,0.00",
    ]);
    for (const name of ["owners", "stages", "sources"]) {
      const csv = await send(`/app/reports/${name}.csv`, { cookie: t.cookie });
      expect(csv.status).toBe(200);
      expect((await csv.text()).split("\r\n")[0]).toMatch(/^[a-z_,]+$/);
    }
    const bad = await send("/app/reports/owners.csv?from=yesterday", { cookie: t.cookie });
    expect(bad.status).toBe(400);
  });

  it("answers bad filters with a 400 and the message by the field, and never another workspace's pipeline", async () => {
    const t = await newTenant("Reports Filters Co");
    const other = await newTenant("Reports Filters Other");
    const theirs = await env.DB.prepare("SELECT id FROM pipelines WHERE tenant_id = ?")
      .bind(other.tenantId)
      .first<{ id: number }>();
    const cases: [string, string, RegExp][] = [
      ["from=2026-02-30", "f-from", /Enter a date/],
      ["to=soon", "f-to", /Enter a date/],
      ["from=2026-05-01&to=2026-04-01", "f-from", /on or before the end/],
      ["from=2010-01-01&to=2026-01-01", "f-from", /at most five years/],
      [`pipeline=${theirs!.id}`, "f-pipeline", /Choose a pipeline/],
      ["pipeline=1%20OR%201", "f-pipeline", /Choose a pipeline/],
      ["owner=someone-else", "f-owner", /Choose an owner/],
      [`owner=${await userId(other.email)}`, "f-owner", /Choose an owner/],
    ];
    for (const [query, field, message] of cases) {
      const res = await send(`/app/reports?${query}`, { cookie: t.cookie });
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(fieldError(html, field), query).toMatch(message);
      expect(html).not.toContain('id="report-outcomes"');
    }
  });

  it("shows members and viewers their own figures when the workspace says so; admins always the team's", async () => {
    const t = await newTenant("Reports Scope Co");
    const owner = await userId(t.email);
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userId(member.email);
    const viewer = await memberOf(t.tenantId, "viewer");
    const admin = await memberOf(t.tenantId, "admin");
    await insertDeal(t.tenantId, {
      name: "Owner's",
      status: "won",
      amountMinor: 100_000,
      ownerId: owner,
      closedOn: today(),
    });
    await insertDeal(t.tenantId, {
      name: "Member's",
      status: "won",
      amountMinor: 20_000,
      ownerId: memberId,
      closedOn: today(),
    });

    const wonRow = async (cookie: string) =>
      tableRows(await (await send("/app/reports", { cookie })).text(), "report-outcomes")[0];
    // The default: everyone sees the team's.
    expect(await wonRow(member.cookie)).toEqual(["Won", "2", "$1,200.00"]);
    expect(await wonRow(viewer.cookie)).toEqual(["Won", "2", "$1,200.00"]);

    const saved = await send("/app/settings/workspace", {
      cookie: t.cookie,
      form: { default_region: "US", company_name: "Reports Scope Co", report_scope: "own" },
    });
    expect(saved.status).toBe(303);
    expect(await wonRow(member.cookie)).toEqual(["Won", "1", "$200.00"]);
    expect(await wonRow(admin.cookie)).toEqual(["Won", "2", "$1,200.00"]);
    expect(await wonRow(t.cookie)).toEqual(["Won", "2", "$1,200.00"]);
    expect((await send("/app/reports", { cookie: viewer.cookie })).status).toBe(200);
    expect(await wonRow(viewer.cookie)).toBeUndefined();
    // A member cannot ask for someone else's figures, on the page or in a CSV.
    expect((await send(`/app/reports?owner=${owner}`, { cookie: member.cookie })).status).toBe(400);
    expect((await send(`/app/reports/outcomes.csv?owner=${owner}`, { cookie: member.cookie })).status).toBe(400);
    const memberCsv = await (await send("/app/reports/outcomes.csv", { cookie: member.cookie })).text();
    expect(memberCsv).toContain("won,,1,USD,200.00");
    // Only an admin changes the scope.
    const refused = await send("/app/settings/workspace", {
      cookie: member.cookie,
      form: { default_region: "US", report_scope: "team" },
    });
    expect(refused.status).toBe(403);
    const bad = await send("/app/settings/workspace", {
      cookie: t.cookie,
      form: { default_region: "US", company_name: "Reports Scope Co", report_scope: "everyone" },
    });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), "f-report_scope")).toMatch(/Choose what members see/);
  });
});
