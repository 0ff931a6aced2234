/**
 * What a chart says when its drawn values are all 0 but there is data: a win rate of 0 % when every deal was lost,
 * stays shorter than 0.1 days, open deals only in other currencies. The message never contradicts the figures
 * beside it. And a tooltip of a long name stays inside the chart (its <title> and the table keep the full text).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertDeal } from "../deals/data-helpers";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { userIdOf } from "../tasks/helpers";
import { chart, tableOf } from "./chart-helpers";

const today = () => new Date().toISOString().slice(0, 10);

/** A stay in `stage` of `minutes`, ended an hour ago. */
async function insertStay(tenantId: string, dealId: number, stage: string, minutes: number) {
  const left = Date.now() - 3_600_000;
  await env.DB.prepare(
    `INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, left_at)
     SELECT s.tenant_id, ?, s.pipeline_id, s.id, 'open', ?, ? FROM pipeline_stages s WHERE s.tenant_id = ? AND s.name = ?`,
  )
    .bind(dealId, left - minutes * 60_000, left, tenantId, stage)
    .run();
}

describe("chart messages and tooltips", () => {
  it("draws a win rate of 0 % when every closed deal was lost, and stays shorter than 0.1 days", async () => {
    const t = await newTenant("All Lost Co");
    const ownerId = await userIdOf(t.email);
    for (const name of ["L1", "L2"])
      await insertDeal(t.tenantId, { name, status: "lost", lostReason: "Price", ownerId, closedOn: today() });
    const quick = await insertDeal(t.tenantId, { name: "Quick" });
    await insertStay(t.tenantId, quick, "Lead", 30);

    const res = await send("/app/reports", { cookie: t.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    const owners = chart(html, "chart-owners");
    expect(owners).not.toContain("No deals were won or lost in this period.");
    expect(owners).toContain("<svg");
    expect(tableOf(owners)).toEqual([[t.email, "0%"]]);
    const stages = chart(html, "chart-stages");
    expect(stages).not.toContain("No deal left a stage in this period.");
    expect(tableOf(stages)[0]).toEqual(["Lead", "0.0 days"]);
    // Where nothing happened, the message stays.
    const empty = await newTenant("Nothing Closed Co");
    const none = await (await send("/app/reports", { cookie: empty.cookie })).text();
    expect(chart(none, "chart-owners")).toContain("No deals were won or lost in this period.");
    expect(chart(none, "chart-stages")).toContain("No deal left a stage in this period.");
  });

  it("says nothing in the workspace's currency is drawn when every deal is in another", async () => {
    const t = await newTenant("Euro Only Co");
    for (const name of ["E1", "E2"])
      await insertDeal(t.tenantId, { name, currency: "EUR", amountMinor: 2_500_000, stage: "Qualified" });
    await insertDeal(t.tenantId, {
      name: "EW",
      currency: "EUR",
      amountMinor: 100_000,
      status: "won",
      closedOn: today(),
    });

    const html = await (await send("/app", { cookie: t.cookie })).text();
    const pipeline = chart(html, "chart-pipeline");
    expect(pipeline).toContain("Not drawn (other currencies): €50,000.00 in 2 deals");
    expect(pipeline).not.toContain("No open deals yet.");
    expect(pipeline).toContain("Nothing in USD to draw: these deals are in other currencies.");
    const won = chart(html, "chart-won");
    expect(won).toContain("Not drawn (other currencies): €1,000.00 in 1 deal");
    expect(won).toContain("Nothing in USD to draw: these deals are in other currencies.");
    // A workspace without deals is still told it has none.
    const empty = await newTenant("No Deals Co");
    expect(chart(await (await send("/app", { cookie: empty.cookie })).text(), "chart-pipeline")).toContain(
      "No open deals yet.",
    );
  });

  it("keeps the tooltip of a long lost reason inside the chart, and the full reason in its name and table", async () => {
    const t = await newTenant("Long Reason Co");
    const reason = `They chose another vendor because ${"the procurement committee wanted more ".repeat(5)}time`;
    expect(reason.length).toBeGreaterThan(200);
    await insertDeal(t.tenantId, { name: "L", status: "lost", lostReason: reason, closedOn: today() });
    await insertDeal(t.tenantId, { name: "W", status: "won", amountMinor: 1_000, closedOn: today() });

    const html = await (await send("/app/reports", { cookie: t.cookie })).text();
    const outcomes = chart(html, "chart-outcomes");
    const rects = [...outcomes.matchAll(/<rect x="(-?[\d.]+)" y="-?[\d.]+" width="([\d.]+)"/g)].map((m) => ({
      x: Number(m[1]),
      width: Number(m[2]),
    }));
    expect(rects.length).toBeGreaterThan(0);
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(640);
    }
    const tips = [...outcomes.matchAll(/<g class="chart-tip">([\s\S]*?)<\/g>/g)].map((m) => m[1]!);
    expect(tips.some((tip) => tip.includes("They chose another vendor") && tip.includes("…"))).toBe(true);
    expect(outcomes).toContain(`<title>${reason}, Deals: 1</title>`);
    expect(tableOf(outcomes)).toContainEqual([reason, "1"]);
  });
});
