/**
 * Sums of the largest amounts the app accepts (lib/money.ts: 1,000,000,000,000 major units, 1e15 minor units of
 * BHD): SQLite's sum() fails with "integer overflow" past 2^63, which answered /app and /app/reports with a 500
 * for the whole workspace. The dashboard and the reports show the right figure instead, as do the CSVs.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { chart, tableOf } from "./chart-helpers";

/** The largest amount in minor units: BHD 1,000,000,000,000.000. */
const MAX_MINOR = 1_000_000_000_000_000;

/** The rows of the report table in `#id`'s card, tags stripped. */
function reportRows(html: string, id: string): string[][] {
  const card = html.split(`id="${id}"`)[1]?.split("</section>")[0] ?? "";
  const body = card.match(/<table class="table report-table">([\s\S]*?)<\/table>/)?.[1]?.split("<tbody>")[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim()),
  );
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const thisMonth = () => isoDay(new Date()).slice(0, 7);

/** A workspace that keeps its books in BHD (three minor digits). */
async function bhdWorkspace(name: string) {
  const t = await newTenant(name);
  await env.DB.prepare("UPDATE tenants SET currency = 'BHD' WHERE id = ?").bind(t.tenantId).run();
  return t;
}

/**
 * `count` deals of the largest amount in `stage` of the Sales pipeline, in one statement (the report triggers
 * count each): open, closing on the dates of `closing` in turn, or won over the 28 days from `wonFrom`.
 */
async function insertMaxDeals(
  tenantId: string,
  count: number,
  stage: string,
  when: { closing: string[] } | { wonFrom: string },
) {
  const won = "wonFrom" in when ? when.wonFrom : null;
  const closing = JSON.stringify("closing" in when ? when.closing : []);
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2),
     d AS (SELECT CASE WHEN ?4 IS NULL THEN json_extract(?5, '$[' || (i % json_array_length(?5)) || ']') END AS close_date,
       CASE WHEN ?4 IS NOT NULL THEN date(?4, '+' || (i % 28) || ' days') END AS closed_on FROM n)
     INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, pipeline_id, stage_id,
       status, closed_on, created_at, updated_at, last_activity_at)
     SELECT ?1, 'Big deal', 'big deal', ?6, 'BHD', d.close_date, coalesce(d.close_date, '9999-12-31'), s.pipeline_id,
       s.id, CASE WHEN d.closed_on IS NULL THEN 'open' ELSE 'won' END, d.closed_on, ?7, ?7, ?7
     FROM d JOIN pipeline_stages s ON s.tenant_id = ?1 AND s.name = ?3`,
  )
    .bind(tenantId, count, stage, won, closing, MAX_MINOR, Date.now())
    .run();
  // The board's column heads, as the app's own writes keep them (an amount past 2^63 is stored as a real).
  await env.DB.prepare(
    `INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
     SELECT tenant_id, stage_id, currency, count(*), total(amount_minor) FROM deals
     WHERE tenant_id = ? AND status = 'open' GROUP BY stage_id, currency
     ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE SET deals = excluded.deals, amount_minor = excluded.amount_minor`,
  )
    .bind(tenantId)
    .run();
}

describe("sums of the largest amounts", () => {
  it("shows the weighted forecast of a hundred deals of the largest amount at 100 %", async () => {
    const t = await bhdWorkspace("Forecast Overflow Co");
    await env.DB.prepare("UPDATE pipeline_stages SET probability = 100 WHERE tenant_id = ?").bind(t.tenantId).run();
    const stages = ["Lead", "Qualified", "Proposal", "Negotiation"];
    for (const stage of stages) await insertMaxDeals(t.tenantId, 25, stage, { closing: [`${thisMonth()}-28`] });

    const res = await send("/app", { cookie: t.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    // 100 × BHD 1,000,000,000,000.000 × 100 %.
    expect(tableOf(chart(html, "chart-forecast"))[0]![1]).toBe("BHD\u00a0100,000,000,000,000.000");
    expect(tableOf(chart(html, "chart-pipeline"))).toEqual(
      stages.map((stage) => [stage, "BHD\u00a025,000,000,000,000.000"]),
    );
  });

  it("adds up the open value card over stages whose totals each fit an integer and together do not", async () => {
    const t = await bhdWorkspace("Open Value Overflow Co");
    const later = isoDay(new Date(Date.now() + 60 * 86_400_000));
    await insertMaxDeals(t.tenantId, 5_000, "Lead", { closing: [later] });
    await insertMaxDeals(t.tenantId, 5_000, "Qualified", { closing: [later] });
    const dashboard = await send("/app", { cookie: t.cookie });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("BHD\u00a010,000,000,000,000,000.000");
  });

  it("shows open value, won revenue, the reports and their CSVs of more money than 2^63 minor units", async () => {
    const t = await bhdWorkspace("Revenue Overflow Co");
    // 9,300 deals won last month (in every range shown) and 9,300 open in Lead over two close months: each
    // aggregate row fits an integer, their sum (9.3e18) does not.
    const now = new Date();
    const lastMonth = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
    const nextMonth = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 10)));
    await insertMaxDeals(t.tenantId, 9_300, "Lead", { wonFrom: lastMonth });
    await insertMaxDeals(t.tenantId, 9_300, "Lead", { closing: [`${thisMonth()}-28`, nextMonth] });
    const total = "BHD\u00a09,300,000,000,000,000.000";

    const dashboard = await send("/app", { cookie: t.cookie });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(tableOf(chart(html, "chart-pipeline"))[0]).toEqual(["Lead", total]);
    expect(tableOf(chart(html, "chart-won")).at(-2)![1]).toBe(total);

    const reports = await send("/app/reports", { cookie: t.cookie });
    expect(reports.status).toBe(200);
    const page = await reports.text();
    expect(reportRows(page, "report-outcomes")).toEqual([["Won", "9,300", total]]);
    expect(reportRows(page, "report-owners")).toEqual([
      ["No owner", "9,300", "0", "100%", total, "BHD\u00a01,000,000,000,000.000"],
    ]);

    const csv = async (name: string) => {
      const res = await send(`/app/reports/${name}.csv`, { cookie: t.cookie });
      expect(res.status, name).toBe(200);
      return (await res.text())
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n")
        .slice(1);
    };
    expect(await csv("outcomes")).toEqual(["won,,9300,BHD,9300000000000000.000"]);
    expect(await csv("owners")).toEqual(["No owner,9300,0,1.0000,BHD,9300000000000000.000,1000000000000.000"]);
  });
});
