/**
 * The dashboard's charts as an owner, a member and an attacker see them: bars whose heights follow the open
 * pipeline, won deals and the weighted forecast; weekly activities and contacts added; what needs attention;
 * nothing from another workspace; the figures read from the report aggregates, never counted per request.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { insertDeal } from "../deals/data-helpers";
import { cookieHeader, send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { memberOf, newTenant } from "../helpers/tenants";
import { addTask, userIdOf } from "../tasks/helpers";
import { chart, tableOf } from "./chart-helpers";

/** The drawn bars' heights, in category order. */
const barHeights = (figure: string) =>
  [...(figure.split('class="chart-bars')[1] ?? "").split("</g>")[0]!.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map(
    (m) => Number(m[1]),
  );

const today = () => new Date().toISOString().slice(0, 10);
const monthFromNow = (n: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 15)).toISOString().slice(0, 10);
};
const page = async (cookie: string) => (await send("/app", { cookie })).text();

describe("the dashboard's charts", () => {
  it("says what a new workspace has not got yet: its pipeline has stages, but no open deals", async () => {
    const t = await newTenant("Empty Charts Co");
    const html = await page(t.cookie);
    expect(chart(html, "chart-pipeline")).toContain('<p class="chart-empty">No open deals yet.</p>');
    expect(chart(html, "chart-won")).toContain('<p class="chart-empty">No deals won in the last 12 months.</p>');
  });

  it("draws the open pipeline by stage, won per month and the weighted forecast from the deals", async () => {
    const t = await newTenant("Charts Co");
    await insertDeal(t.tenantId, { name: "A", amountMinor: 40_000, stage: "Lead", closeDate: monthFromNow(0) });
    await insertDeal(t.tenantId, { name: "B", amountMinor: 60_000, stage: "Lead", closeDate: monthFromNow(1) });
    await insertDeal(t.tenantId, { name: "C", amountMinor: 300_000, stage: "Proposal", closeDate: monthFromNow(1) });
    await insertDeal(t.tenantId, { name: "Euro", amountMinor: 70_000, currency: "EUR", stage: "Qualified" });
    await insertDeal(t.tenantId, { name: "Won now", status: "won", amountMinor: 250_000, closedOn: today() });
    await insertDeal(t.tenantId, { name: "Won long ago", status: "won", amountMinor: 990_000, closedOn: "2020-01-15" });
    const other = await newTenant("Charts Other");
    await insertDeal(other.tenantId, { name: "Theirs", amountMinor: 9_000_000, stage: "Qualified" });

    const html = await page(t.cookie);
    const pipeline = chart(html, "chart-pipeline");
    // Lead $1,000, Qualified nothing in dollars, Proposal $3,000, Negotiation nothing: heights h, 0, 3h, 0.
    const [lead, qualified, proposal, negotiation] = barHeights(pipeline);
    expect(lead).toBeGreaterThan(0);
    expect([qualified, negotiation]).toEqual([0, 0]);
    expect(Math.abs(proposal! - 3 * lead!)).toBeLessThanOrEqual(0.2);
    expect(tableOf(pipeline)).toEqual([
      ["Lead", "$1,000.00"],
      ["Qualified", "$0.00"],
      ["Proposal", "$3,000.00"],
      ["Negotiation", "$0.00"],
    ]);
    expect(pipeline).toContain("Not drawn (other currencies): €700.00 in 1 deal");
    expect(pipeline).toContain("Open value (USD)");
    expect(html).not.toContain("$90,000");

    const won = tableOf(chart(html, "chart-won"));
    expect(won).toHaveLength(12);
    expect(won.at(-1)![1]).toBe("$2,500.00");
    expect(won.slice(0, -1).every((row) => row[1] === "$0.00")).toBe(true);

    // Weighted: this month $400 × 10%; next month $600 × 10% + $3,000 × 50%.
    const forecast = tableOf(chart(html, "chart-forecast"));
    expect(forecast.slice(0, 3).map((row) => row[1])).toEqual(["$40.00", "$1,560.00", "$0.00"]);
    const forecastBars = barHeights(chart(html, "chart-forecast"));
    expect(Math.abs(forecastBars[1]! - 39 * forecastBars[0]!)).toBeLessThanOrEqual(1);

    // The charts read the aggregates: changing them (and only them) changes what is drawn.
    await env.DB.prepare(
      "UPDATE report_open_deals SET amount_minor = amount_minor + 100000 WHERE tenant_id = ? AND currency = 'USD' AND stage_id = (SELECT id FROM pipeline_stages WHERE tenant_id = ? AND name = 'Lead')",
    )
      .bind(t.tenantId, t.tenantId)
      .run();
    expect(tableOf(chart(await page(t.cookie), "chart-pipeline"))[0]).toEqual(["Lead", "$3,000.00"]);
  });

  it("counts activities and contacts added per week, and says what needs attention, for the reader", async () => {
    const t = await newTenant("Weekly Co");
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const ada = await createContact(t.cookie, { first_name: "Ada" });
    await createContact(t.cookie, { first_name: "Grace" });
    await createContact(member.cookie, { first_name: "Linus" });
    for (const kind of ["call", "call", "meeting"]) {
      const res = await send(`/app/contacts/${ada}/interactions`, {
        cookie: t.cookie,
        form: { kind, occurred_at: `${today()}T00:01`, outcome: kind === "call" ? "connected" : "", notes: "" },
      });
      expect(res.status, (await res.clone().text()).match(/field-error"[^>]*>[^<]*/g)?.join(" ")).toBeLessThan(400);
    }
    expect(
      (await send(`/app/contacts/${ada}/notes`, { cookie: t.cookie, form: { body: "Hello" } })).status,
    ).toBeLessThan(400);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await addTask(t.cookie, { title: "Owner's overdue", due_date: yesterday });
    await addTask(t.cookie, { title: "Member's overdue", due_date: yesterday, assignee: memberId });
    await insertDeal(t.tenantId, { name: "Slipped", closeDate: "2024-03-01", amountMinor: 12_300 });
    await insertDeal(t.tenantId, {
      name: "Slipped and won",
      closeDate: "2024-03-01",
      status: "won",
      closedOn: today(),
    });
    const other = await newTenant("Weekly Other");
    await insertDeal(other.tenantId, { name: "Their slipped deal", closeDate: "2024-03-01" });

    const html = await page(t.cookie);
    const activities = tableOf(chart(html, "chart-activities"));
    expect(activities).toHaveLength(12);
    // This week: calls, meetings, emails, notes, tasks done.
    expect(activities.at(-1)!.slice(1)).toEqual(["2", "1", "0", "1", "0"]);
    expect(tableOf(chart(html, "chart-contacts")).at(-1)![1]).toBe("3");
    expect(html).toMatch(/2 overdue tasks/);
    expect(html).toContain("Owner&#39;s overdue");
    expect(html).toContain("Member&#39;s overdue");
    expect(html).toMatch(/1 deal past the close date/);
    expect(html).toContain(">Slipped</a>");
    expect(html).not.toContain("Their slipped deal");

    // A member is reminded of their own tasks only.
    const theirs = await page(member.cookie);
    expect(theirs).toMatch(/1 overdue task\b/);
    expect(theirs).not.toContain("Owner&#39;s overdue");
  });

  it("shows a member only their own deals and activities when the workspace says so", async () => {
    const t = await newTenant("Own Figures Co");
    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const ownerId = await userIdOf(t.email);
    await insertDeal(t.tenantId, { name: "Mine", amountMinor: 100_000, ownerId: memberId, closeDate: monthFromNow(0) });
    await insertDeal(t.tenantId, { name: "The owner's", amountMinor: 500_000, ownerId, closeDate: monthFromNow(0) });
    await env.DB.prepare("UPDATE tenants SET report_scope = 'own' WHERE id = ?").bind(t.tenantId).run();

    const mine = await page(member.cookie);
    expect(tableOf(chart(mine, "chart-pipeline"))[0]).toEqual(["Lead", "$1,000.00"]);
    expect(mine).toContain("These figures are yours only");
    // The Open pipeline card and Closing this month beside the charts follow the same rule.
    // A card is the section labelled by its heading, `<id>-heading`.
    const card = (html: string, id: string) => {
      const at = html.indexOf(`id="${id}-heading"`);
      return at < 0 ? "" : html.slice(at, html.indexOf("</section>", at));
    };
    expect(card(mine, "pipeline")).toContain("$1,000.00");
    expect(card(mine, "pipeline")).not.toContain("$6,000.00");
    expect(card(mine, "closing")).toContain("Mine");
    expect(card(mine, "closing")).not.toContain("The owner&#39;s");
    expect(card(mine, "closing")).not.toContain("The owner's");
    const owners = await page(t.cookie);
    expect(tableOf(chart(owners, "chart-pipeline"))[0]).toEqual(["Lead", "$6,000.00"]);
    expect(card(owners, "pipeline")).toContain("$6,000.00");
    expect(card(owners, "closing")).toContain("Mine");
  });

  it("reads the session and every figure in one round trip when the browser names its workspace", async () => {
    const t = await newTenant("One Trip Co");
    const member = await memberOf(t.tenantId, "member");
    const admin = await memberOf(t.tenantId, "admin");
    const memberId = await userIdOf(member.email);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await insertDeal(t.tenantId, { name: "Member's", amountMinor: 100_000, ownerId: memberId });
    await insertDeal(t.tenantId, { name: "Nobody's", amountMinor: 700_000 });
    await addTask(t.cookie, { title: "Owner's overdue", due_date: yesterday });
    await env.DB.prepare("UPDATE tenants SET report_scope = 'own' WHERE id = ?").bind(t.tenantId).run();
    // A first page gives each browser the workspace cookie (__Host-tenant).
    const withHint = async (cookie: string) => cookieHeader(await send("/app", { cookie }), cookie);
    const counted = async (cookie: string) => {
      const counting = countingDb();
      const res = await send("/app", { cookie, env: { DB: counting.binding } });
      expect(res.status).toBe(200);
      return { html: await res.text(), trips: counting.roundTrips.count };
    };
    const asMember = await counted(await withHint(member.cookie));
    expect(asMember.trips).toBe(1);
    // The role came from the membership row inside the batch: a member sees their own figures and tasks.
    expect(tableOf(chart(asMember.html, "chart-pipeline"))[0]).toEqual(["Lead", "$1,000.00"]);
    expect(asMember.html).not.toContain("Owner&#39;s overdue");
    const asAdmin = await counted(await withHint(admin.cookie));
    expect(asAdmin.trips).toBe(1);
    expect(tableOf(chart(asAdmin.html, "chart-pipeline"))[0]).toEqual(["Lead", "$8,000.00"]);
    expect(asAdmin.html).toContain("Owner&#39;s overdue");
    // A cookie naming another workspace is not believed: the session's own workspace is read.
    const other = await newTenant("One Trip Other");
    await insertDeal(other.tenantId, { name: "Theirs", amountMinor: 9_900_000 });
    const forged = (await withHint(admin.cookie)).replace(/__Host-tenant=[^;]+/, `__Host-tenant=${other.tenantId}`);
    const res = await send("/app", { cookie: forged });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("$99,000");
    expect(tableOf(chart(html, "chart-pipeline"))[0]).toEqual(["Lead", "$8,000.00"]);
  });

  it("stays under 40 KB over the wire with every chart full", async () => {
    const t = await newTenant("Full Charts Co");
    const ownerId = await userIdOf(t.email);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 12; i += 1) {
      await insertDeal(t.tenantId, {
        name: `Won ${i}`,
        status: "won",
        amountMinor: 1_234_567 * (i + 1),
        closedOn: day(i * 30),
      });
      await insertDeal(t.tenantId, {
        name: `Open ${i}`,
        amountMinor: 987_654 * (i + 1),
        closeDate: monthFromNow(i % 6),
      });
    }
    const kinds = ["call", "meeting", "email"];
    const interactions = Array.from({ length: 84 }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO interactions (tenant_id, subject_type, subject_id, kind, occurred_at, logged_by, created_at, updated_at)
         VALUES (?, 'deal', 1, ?, ?, ?, ?, ?)`,
      ).bind(t.tenantId, kinds[i % 3], Date.now() - i * 86_400_000, ownerId, Date.now(), Date.now()),
    );
    await env.DB.batch(interactions);
    const res = await send("/app", { cookie: t.cookie });
    const html = await res.text();
    for (const id of ["chart-pipeline", "chart-won", "chart-forecast", "chart-activities"]) {
      expect(chart(html, id)).toContain("<svg");
    }
    // Compressed as Cloudflare serves HTML to browsers (gzip here; brotli is smaller still).
    const gzipped = await new Response(
      new Blob([html]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer();
    expect(gzipped.byteLength).toBeLessThan(40 * 1024);
    console.info(`dashboard: ${html.length} bytes, ${gzipped.byteLength} gzipped`);
  });
});
