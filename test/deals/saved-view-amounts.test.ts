/**
 * A shared deals view's amounts mean the same to every reader: the list saves them as plain decimals ("1.500"
 * typed in de is 1500, not 1.5 read in en), and each reader's tab writes them in their own format.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { memberOf, newTenant } from "../helpers/tenants";
import { insertDeals, listedDealIds, page, post, stagesOf } from "./list-helpers";

const LIST = "/app/deals/list";

const savedQueryOf = (html: string) =>
  html
    .match(
      /<form method="post" action="\/app\/deals\/list\/views"[^>]*>\s*<input type="hidden" name="query" value="([^"]*)"/,
    )![1]!
    .replaceAll("&amp;", "&");

const tabHrefOf = (html: string, id: number) =>
  html.match(new RegExp(`<a href="([^"]*view=${id})"`))![1]!.replaceAll("&amp;", "&");

describe("shared deal views with amounts", () => {
  it("an amount typed in de-DE in a KWD workspace filters the same for an en-US colleague", async () => {
    const t = await newTenant("View amounts");
    await env.DB.prepare("UPDATE tenants SET currency = 'KWD' WHERE id = ?").bind(t.tenantId).run();
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'en-US' WHERE email = ?").bind(colleague.email).run();
    const lead = (await stagesOf(t.tenantId))[0]!;
    // KWD has three decimals: 1,500 KWD and 1.5 KWD.
    const [big, small] = await insertDeals(t.tenantId, [
      { name: "Big one", stageId: lead.id, amountMinor: 1_500_000, currency: "KWD" },
      { name: "Small one", stageId: lead.id, amountMinor: 1_500, currency: "KWD" },
    ]);

    const typed = await page(`${LIST}?amount_min=${encodeURIComponent("1.500")}`, t.cookie);
    expect(listedDealIds(typed)).toEqual([big]);
    const saved = await post(`${LIST}/views`, t.cookie, { name: "Big deals", shared: "1", query: savedQueryOf(typed) });
    expect(saved.status).toBe(303);
    const view = Number(saved.headers.get("Location")!.match(/view=(\d+)/)![1]);
    const stored = await env.DB.prepare("SELECT query FROM saved_views WHERE id = ?")
      .bind(view)
      .first<{ query: string }>();
    expect(stored!.query).toBe("amount_min=1500");

    const opened = await page(tabHrefOf(await page(`${LIST}?view=all`, colleague.cookie), view), colleague.cookie);
    expect(listedDealIds(opened)).toEqual([big]);
    expect(listedDealIds(opened)).not.toContain(small);
    expect(opened).not.toContain("· changed");

    // A fraction: the owner's tab says it with a comma and reads it back as the same amount, unchanged.
    const fraction = await page(`${LIST}?amount_min=${encodeURIComponent("1,25")}`, t.cookie);
    const second = await post(`${LIST}/views`, t.cookie, {
      name: "Over one",
      shared: "1",
      query: savedQueryOf(fraction),
    });
    const over = Number(second.headers.get("Location")!.match(/view=(\d+)/)![1]);
    expect(second.headers.get("Location")).toBe(`${LIST}?amount_min=1%2C25&view=${over}`);
    const own = await page(second.headers.get("Location")!, t.cookie);
    expect(listedDealIds(own).sort()).toEqual([big!, small!].sort());
    expect(own).not.toContain("· changed");
  });
});

describe("a deal view saved without JavaScript", () => {
  it("the save page's form keeps a de-DE 1.500 as 1500 for an en-US colleague", async () => {
    const t = await newTenant("No-JS view amounts");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'en-US' WHERE email = ?").bind(colleague.email).run();
    const lead = (await stagesOf(t.tenantId))[0]!;
    const [big, small] = await insertDeals(t.tenantId, [
      { name: "Big one", stageId: lead.id, amountMinor: 150_000 },
      { name: "Small one", stageId: lead.id, amountMinor: 150 },
    ]);

    // The save form's own page, reached with the list's query as the de-DE owner typed it.
    const form = await page(`${LIST}/views?amount_min=${encodeURIComponent("1.500")}`, t.cookie);
    expect(form).toContain(`href="${LIST}?amount_min=1.500"`);
    const saved = await post(`${LIST}/views`, t.cookie, { name: "Big deals", shared: "1", query: savedQueryOf(form) });
    expect(saved.status).toBe(303);
    const view = Number(saved.headers.get("Location")!.match(/view=(\d+)/)![1]);
    const stored = await env.DB.prepare("SELECT query, numbers_canonical FROM saved_views WHERE id = ?")
      .bind(view)
      .first<{ query: string; numbers_canonical: number }>();
    expect(stored).toEqual({ query: "amount_min=1500", numbers_canonical: 1 });

    // The en-US colleague's tab filters on 1500: the big deal, not the one of 1.50.
    const href = tabHrefOf(await page(`${LIST}?view=all`, colleague.cookie), view);
    expect(href).toBe(`${LIST}?amount_min=1500&view=${view}`);
    const opened = await page(href, colleague.cookie);
    expect(listedDealIds(opened)).toEqual([big]);
    expect(listedDealIds(opened)).not.toContain(small);
  });
});

describe("deal views saved before amounts were kept canonical", () => {
  it("a de-DE view holding 1.234 in a KWD workspace still means 1,234 KWD to a de-DE colleague", async () => {
    const t = await newTenant("Older view amounts");
    await env.DB.prepare("UPDATE tenants SET currency = 'KWD' WHERE id = ?").bind(t.tenantId).run();
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(colleague.email).run();
    const lead = (await stagesOf(t.tenantId))[0]!;
    const [big] = await insertDeals(t.tenantId, [
      { name: "Big one", stageId: lead.id, amountMinor: 1_234_000, currency: "KWD" },
      { name: "Small one", stageId: lead.id, amountMinor: 1_234, currency: "KWD" },
    ]);
    // The view as saved before: the amount as typed in de, the row as migration 0044 left it.
    const view = (await env.DB.prepare(
      `INSERT INTO saved_views (tenant_id, owner_user_id, entity, name, shared, query, position, created_at)
       SELECT ?, id, 'deal', 'Big deals', 1, 'amount_min=1.234', 1, ? FROM users WHERE email = ? RETURNING id`,
    )
      .bind(t.tenantId, Date.now(), t.email)
      .first<{ id: number }>())!.id;

    const href = tabHrefOf(await page(`${LIST}?view=all`, colleague.cookie), view);
    const opened = await page(href, colleague.cookie);
    expect(listedDealIds(opened)).toEqual([big]);
    expect(href).toBe(`${LIST}?amount_min=1.234&view=${view}`);
    expect(opened).not.toContain("· changed");
  });
});
