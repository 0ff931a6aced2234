/**
 * Deals where people meet them outside the board: a company's page and a contact's page list their
 * deals (open first, then closed by close date), the dashboard shows the open pipeline value per
 * currency and the deals closing this month. Read through the pages as a user sees them; another
 * workspace's deals never show, even when its rows name this workspace's company or contact.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createContact } from "../contacts/contact-helpers";
import { createCompanyThroughForm } from "../companies/helpers";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { listsStatement } from "../../src/services/dashboard/dashboard-sql";
import { companyDealsStatements, contactDealsStatements, monthBounds } from "../../src/services/deals/related";
import { insertDeal, stageId } from "./data-helpers";

/** The rows of the page's deals table, each as its cells' text. */
function dealRows(html: string): string[][] {
  const table = html.match(/<table class="related-deals">[\s\S]*?<\/table>/)?.[0] ?? "";
  return [...table.matchAll(/<tr data-deal-id="\d+">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, "")
        .replace(/&amp;/g, "&")
        .trim(),
    ),
  );
}

const month = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};

describe("a company's page", () => {
  it("lists its deals, open first then closed by close date, linked, with amounts in the workspace's format", async () => {
    const t = await newTenant("Deal Pages Co");
    await env.DB.prepare("UPDATE tenants SET locale = 'de-DE' WHERE id = ?").bind(t.tenantId).run();
    const company = await createCompanyThroughForm(t.cookie, { name: "Brunel Bridges" });
    const other = await createCompanyThroughForm(t.cookie, { name: "Other Works" });
    const late = await insertDeal(t.tenantId, {
      name: "Late open",
      companyId: company,
      amountMinor: 1_250_050,
      currency: "EUR",
      stage: "Proposal",
      closeDate: "2027-03-01",
    });
    const soon = await insertDeal(t.tenantId, { name: "Soon open", companyId: company, closeDate: "2027-01-15" });
    const wonOld = await insertDeal(t.tenantId, {
      name: "Won long ago",
      companyId: company,
      status: "won",
      closedOn: "2025-05-01",
    });
    const lostNew = await insertDeal(t.tenantId, {
      name: "Lost lately",
      companyId: company,
      status: "lost",
      lostReason: "Price",
      closedOn: "2026-11-30",
    });
    await insertDeal(t.tenantId, { name: "Someone else's deal", companyId: other });

    const html = await (await send(`/app/companies/${company}`, { cookie: t.cookie })).text();
    expect(html).toContain('id="deals-heading"');
    const rows = dealRows(html);
    expect(rows.map((r) => r[0])).toEqual(["Soon open", "Late open", "Lost lately", "Won long ago"]);
    expect(rows[1]).toEqual(["Late open", "12.500,50\u00a0€", "Proposal", "Open", "1.3.2027"]);
    expect(rows[2]).toEqual(["Lost lately", "0,00\u00a0$", "Lead", "Lost", "30.11.2026"]);
    for (const id of [late, soon, wonOld, lostNew]) expect(html).toContain(`href="/app/deals/${id}"`);
    expect(html).not.toContain("Someone else&#39;s deal");
    expect(html).not.toContain("Someone else's deal");

    const empty = await (
      await send(`/app/companies/${await createCompanyThroughForm(t.cookie, { name: "Nil" })}`, {
        cookie: t.cookie,
      })
    ).text();
    expect(empty).toContain("No deals with this company yet.");
  });

  it("never shows another workspace's deals, even rows that name this company or contact", async () => {
    const a = await newTenant("Deal Pages A");
    const b = await newTenant("Deal Pages B");
    const company = await createCompanyThroughForm(a.cookie, { name: "Shared Name Ltd" });
    const contact = await createContact(a.cookie, { first_name: "Isambard", emails: "ik@example.com" });
    // Rows of B that point at A's ids (as only a bug or a forged write could make).
    const stage = await stageId(b.tenantId);
    await env.DB.prepare(
      `INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, company_id, pipeline_id, stage_id, created_at, updated_at, last_activity_at)
       SELECT ?1, 'Secret of B', 'secret of b', 500, 'USD', ?2, pipeline_id, id, 0, 0, 0 FROM pipeline_stages WHERE id = ?3`,
    )
      .bind(b.tenantId, company, stage)
      .run();
    const bDeal = await insertDeal(b.tenantId, { name: "Another secret of B" });
    await env.DB.prepare("INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role) VALUES (?, ?, ?, 'spy')")
      .bind(b.tenantId, bDeal, contact)
      .run();
    const viewer = await memberOf(a.tenantId, "viewer");
    for (const path of [`/app/companies/${company}`, `/app/contacts/${contact}`]) {
      const html = await (await send(path, { cookie: viewer.cookie })).text();
      expect(html, path).toContain('id="deals-heading"');
      expect(html, path).not.toContain("secret of B");
      expect(html, path).not.toContain("Secret of B");
      expect(dealRows(html), path).toEqual([]);
    }
  });
});

describe("a contact's page", () => {
  it("lists the deals they are on with their role, open first, and a viewer sees them too", async () => {
    const t = await newTenant("Contact Deals Co");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Byron", emails: "ada@byron.example" });
    const won = await insertDeal(t.tenantId, {
      name: "Engine one",
      amountMinor: 125_000,
      currency: "JPY",
      status: "won",
      closedOn: "2026-10-01",
      contacts: [{ id: ada, role: "Champion" }],
    });
    const open = await insertDeal(t.tenantId, {
      name: "Engine two",
      amountMinor: 99_999,
      stage: "Negotiation",
      contacts: [{ id: ada, role: "Decision maker" }],
    });
    await insertDeal(t.tenantId, { name: "Without Ada" });
    const viewer = await memberOf(t.tenantId, "viewer");
    const html = await (await send(`/app/contacts/${ada}`, { cookie: viewer.cookie })).text();
    expect(dealRows(html)).toEqual([
      ["Engine two", "Decision maker", "$999.99", "Negotiation", "Open", ""],
      ["Engine one", "Champion", "¥125,000", "Lead", "Won", "10/1/2026"],
    ]);
    expect(html).toContain(`href="/app/deals/${open}"`);
    expect(html).toContain(`href="/app/deals/${won}"`);
    const lonely = await createContact(t.cookie, { first_name: "Lonely" });
    expect(await (await send(`/app/contacts/${lonely}`, { cookie: t.cookie })).text()).toContain(
      "Not on any deal yet.",
    );
    // A viewer may not create deals: no link to the form.
    expect(html).not.toContain("/app/deals/new?");
  });

  it("starts a new deal with the contact on it and their company as its company; the company's page too", async () => {
    const t = await newTenant("New Deal Links Co");
    const company = await createCompanyThroughForm(t.cookie, { name: "Byron Engines" });
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Byron", company_id: String(company) });
    const page = await (await send(`/app/contacts/${ada}`, { cookie: t.cookie })).text();
    const href = page.match(/<a href="(\/app\/deals\/new\?[^"]+)">New deal<\/a>/)?.[1]?.replaceAll("&amp;", "&");
    expect(href).toBe(`/app/deals/new?contact_id=${ada}&company_id=${company}`);
    const form = await (await send(href!, { cookie: t.cookie })).text();
    expect(form).toContain(`<option value="${ada}" selected="">Ada Byron</option>`);
    expect(form).toContain(`<option value="${company}" selected="">Byron Engines</option>`);
    const companyPage = await (await send(`/app/companies/${company}`, { cookie: t.cookie })).text();
    expect(companyPage).toContain(`<a href="/app/deals/new?company_id=${company}">New deal</a>`);
  });
});

describe("the dashboard", () => {
  it("shows the open pipeline value per currency from the stage totals, and counts deals", async () => {
    const t = await newTenant("Dashboard Deals Co");
    await insertDeal(t.tenantId, { name: "A", amountMinor: 100_000, currency: "USD" });
    await insertDeal(t.tenantId, { name: "B", amountMinor: 250_050, currency: "USD", stage: "Proposal" });
    await insertDeal(t.tenantId, { name: "C", amountMinor: 70_000, currency: "EUR" });
    await insertDeal(t.tenantId, { name: "Won", amountMinor: 9_900_000, currency: "USD", status: "won" });
    const other = await newTenant("Dashboard Deals Other");
    await insertDeal(other.tenantId, { name: "Theirs", amountMinor: 5_000_000, currency: "GBP" });

    const html = await (await send("/app", { cookie: t.cookie })).text();
    expect(html).toMatch(/data-count="deals">\s*4\s*<\/span>/);
    const value = html.match(/<ul class="stat-list" data-open-value="">([\s\S]*?)<\/ul>/)![1]!;
    const text = value.replace(/<[^>]+>/g, "").replace(/<!-- -->/g, "");
    expect(text).toContain("$3,500.50 in 2 open deals");
    expect(text).toContain("€700.00 in 1 open deal");
    expect(value).not.toContain("GBP");
    expect(value).not.toContain("99,000");

    // The value is the maintained totals' (never a count of the deals): changing them changes it.
    await env.DB.prepare(
      "UPDATE deal_stage_totals SET amount_minor = amount_minor + 100 WHERE tenant_id = ? AND currency = 'EUR'",
    )
      .bind(t.tenantId)
      .run();
    expect(await (await send("/app", { cookie: t.cookie })).text()).toContain("€701.00");

    const empty = await newTenant("Dashboard No Deals");
    expect(await (await send("/app", { cookie: empty.cookie })).text()).toContain("No open deals.");
  });

  it("lists at most 10 open deals closing this month, soonest first; not closed ones, other months or workspaces", async () => {
    const t = await newTenant("Closing Co");
    const thisMonth = month(0);
    for (let day = 12; day >= 1; day -= 1)
      await insertDeal(t.tenantId, {
        name: `Due ${String(day).padStart(2, "0")}`,
        amountMinor: day * 100,
        closeDate: `${thisMonth}-${String(day).padStart(2, "0")}`,
      });
    await insertDeal(t.tenantId, { name: "Won this month", status: "won", closeDate: `${thisMonth}-01` });
    await insertDeal(t.tenantId, { name: "Next month", closeDate: `${month(1)}-01` });
    await insertDeal(t.tenantId, { name: "Last month", closeDate: `${month(-1)}-28` });
    await insertDeal(t.tenantId, { name: "No date" });
    const other = await newTenant("Closing Other");
    await insertDeal(other.tenantId, { name: "Their due", closeDate: `${thisMonth}-01` });

    const html = await (await send("/app", { cookie: t.cookie })).text();
    const list = html.match(/<ul class="plain-list" data-closing="">([\s\S]*?)<\/ul>/)![1]!;
    const names = [...list.matchAll(/<a href="\/app\/deals\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `Due ${String(i + 1).padStart(2, "0")}`));
    expect(list).toContain(`${thisMonth}-01`);
    expect(list).toContain("$1.00");

    const quiet = await newTenant("Closing Quiet");
    expect(await (await send("/app", { cookie: quiet.cookie })).text()).toContain(
      "No open deal is expected to close this month.",
    );
  });
});

describe("the dashboard's activity and recently viewed", () => {
  it("name a deal and link to it, and drop it once it is deleted", async () => {
    const t = await newTenant("Deal Names Co");
    const deal = await insertDeal(t.tenantId, { name: "Hydraulic press" });
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO activities (tenant_id, subject_type, subject_id, kind, created_at) VALUES (?, 'deal', ?, 'created', ?)",
      ).bind(t.tenantId, deal, Date.now()),
      env.DB.prepare(
        `INSERT INTO recent_views (tenant_id, user_id, subject_type, subject_id, viewed_at)
         SELECT ?, id, 'deal', ?, ? FROM users WHERE email = ?`,
      ).bind(t.tenantId, deal, Date.now(), t.email),
    ]);
    const html = await (await send("/app", { cookie: t.cookie })).text();
    const recent = html.match(/id="recent-heading"[\s\S]*?<\/section>/)![0];
    const activity = html.match(/id="activity-heading"[\s\S]*?<\/section>/)![0];
    for (const part of [recent, activity]) expect(part).toContain(`<a href="/app/deals/${deal}">Hydraulic press</a>`);

    await env.DB.prepare("DELETE FROM deals WHERE id = ?").bind(deal).run();
    const after = await (await send("/app", { cookie: t.cookie })).text();
    expect(after.match(/id="recent-heading"[\s\S]*?<\/section>/)![0]).not.toContain("Hydraulic press");
    expect(after).toContain("a deleted deal");
  });
});

describe("query plans", () => {
  it("each list seeks its index leading with tenant_id; the month's deals use deals_tenant_close_idx", async () => {
    const t = await newTenant("Plans Co");
    const scope = scoped(createDb(env.DB), t.tenantId);
    const plan = async (q: { toSQL(): { sql: string; params: unknown[] } }) => {
      const { sql, params } = q.toSQL();
      const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      return rows.results.map((r) => r.detail).join(" | ");
    };
    expect(await plan(companyDealsStatements(scope, 1)[0])).toMatch(
      /SEARCH deals USING INDEX deals_tenant_company_idx \(tenant_id=\? AND company_id=\?\)/,
    );
    expect(await plan(contactDealsStatements(scope, 1)[0])).toMatch(
      /SEARCH deal_contacts USING (COVERING )?INDEX deal_contacts_tenant_contact_idx \(tenant_id=\? AND contact_id=\?\)/,
    );
    // The dashboard's lists are one statement: each part seeks its index.
    const { from, until } = monthBounds(Date.now());
    const lists = new SQLiteAsyncDialect().sqlToQuery(
      listsStatement({ t: t.tenantId, me: "someone", sid: null, monthFrom: from, monthUntil: until }),
    );
    const dashboardPlan = (
      await env.DB.prepare(`EXPLAIN QUERY PLAN ${lists.sql}`)
        .bind(...lists.params)
        .all<{ detail: string }>()
    ).results
      .map((r) => r.detail)
      .join(" | ");
    expect(dashboardPlan).toMatch(
      /SEARCH deal_stage_totals USING (PRIMARY KEY|INDEX sqlite_autoindex_deal_stage_totals_1) \(tenant_id=\?\)/,
    );
    expect(dashboardPlan).toMatch(
      /SEARCH d USING INDEX deals_tenant_close_idx \(tenant_id=\? AND close_key>\? AND close_key<\?\)/,
    );
    expect(dashboardPlan).toMatch(/SEARCH x USING INDEX activities_tenant_idx \(tenant_id=\?\)/);
    expect(dashboardPlan).toMatch(/SEARCH x USING INDEX interactions_tenant_idx \(tenant_id=\?\)/);
    expect(dashboardPlan).not.toMatch(/SCAN (x|d|deals|activities|interactions)\b/);
  });
});
