/**
 * Saved views on the deals list (issue 18): the same as the contacts list's — tabs, private or shared, a
 * default per user, kept open while refined — and a deal view is never found through the contacts' routes
 * (nor a contact view through the deals').
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { post } from "../contacts/contact-helpers";

const LIST = "/app/deals/list";

async function page(path: string, cookie: string) {
  const res = await send(path, { cookie });
  return { status: res.status, location: res.headers.get("Location"), html: await res.text() };
}

async function saveView(cookie: string, form: Record<string, string>, list = LIST) {
  const res = await post(`${list}/views`, cookie, form);
  expect(res.status, await res.clone().text()).toBe(303);
  return Number(res.headers.get("Location")!.match(/view=(\d+)/)![1]);
}

describe("saved views of the deals list", () => {
  it("shows tabs to whom they belong, stores only the list's parameters, and opens the default", async () => {
    const t = await newTenant("Deal views");
    const member = await memberOf(t.tenantId, "member");
    const mine = await saveView(t.cookie, { name: "Big open", query: "status=open&amount_min=1000&cols=email&zzz=1" });
    const shared = await saveView(t.cookie, { name: "By close", query: "sort=close", shared: "1" });
    const row = await env.DB.prepare("SELECT entity, query FROM saved_views WHERE id = ?").bind(mine).first();
    expect(row).toEqual({ entity: "deal", query: "amount_min=1000&status=open" });
    const own = (await page(`${LIST}?view=all`, t.cookie)).html;
    expect(own).toContain(`href="${LIST}?amount_min=1000&amp;status=open&amp;view=${mine}"`);
    expect(own).toContain("By close");
    const theirs = (await page(`${LIST}?view=all`, member.cookie)).html;
    expect(theirs).not.toContain("Big open");
    expect(theirs).toContain("By close");
    // The contacts list shows no deal view, and its routes do not find one.
    expect((await page("/app/contacts?view=all", t.cookie)).html).not.toContain("By close");
    expect((await post(`/app/contacts/views/${shared}/default`, t.cookie, {})).status).toBe(404);
    expect((await post(`/app/contacts/views/${mine}/delete`, t.cookie, {})).status).toBe(404);
    const contactView = await saveView(t.cookie, { name: "People", query: "" }, "/app/contacts");
    expect((await post(`${LIST}/views/${contactView}/default`, t.cookie, {})).status).toBe(404);

    // Default: /app/deals/list with no parameters opens it, for that user only.
    expect((await post(`${LIST}/views/${shared}/default`, member.cookie, {})).status).toBe(303);
    expect((await page(LIST, member.cookie)).location).toBe(`${LIST}?sort=close&view=${shared}`);
    expect((await page(LIST, t.cookie)).status).toBe(200);
  });

  it("opens without a filter on what was deleted since (a tag, a field), saying so, and never locks the list", async () => {
    const t = await newTenant("Deal views gone");
    const tag = Number(
      (await env.DB.prepare(
        "INSERT INTO tags (tenant_id, name, name_key, color, created_at) VALUES (?, 'Hot', 'hot', 'red', 0) RETURNING id",
      )
        .bind(t.tenantId)
        .first<{ id: number }>())!.id,
    );
    const field = Number(
      (await env.DB.prepare(
        "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'deal', 'Tier', 'tier', 'text', 1, 0) RETURNING id",
      )
        .bind(t.tenantId)
        .first<{ id: number }>())!.id,
    );
    const view = await saveView(t.cookie, { name: "Hot ones", query: `status=open&tag=${tag}&cf_${field}=gold` });
    expect((await post(`${LIST}/views/${view}/default`, t.cookie, {})).status).toBe(303);
    expect((await post(`/app/settings/tags/${tag}/delete`, t.cookie, {})).status).toBe(303);
    expect((await post(`/app/settings/fields/${field}/delete`, t.cookie, {})).status).toBe(303);
    // The list's plain address opens the default view, which opens without the gone filters and says so.
    const opened = await page(LIST, t.cookie);
    expect(opened.location).toBe(`${LIST}?cf_${field}=gold&status=open&tag=${tag}&view=${view}`);
    let shown = await page(opened.location!, t.cookie);
    const hops: string[] = [];
    while (shown.status === 302 && hops.length < 3) {
      hops.push(shown.location!);
      shown = await page(shown.location!, t.cookie);
    }
    expect(hops.at(-1)).toBe(`${LIST}?status=open&view=${view}&notice=view_stale`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("no longer exists");
    // Typed by hand (no view open), another workspace's or a gone tag is still a 404.
    expect((await page(`${LIST}?tag=${tag}`, t.cookie)).status).toBe(404);
  });

  it("stays open while refined, marked changed; its owner saves the change; others and other workspaces cannot", async () => {
    const t = await newTenant("Deal views refine");
    const member = await memberOf(t.tenantId, "member");
    const id = await saveView(t.cookie, { name: "Open", query: "status=open", shared: "1" });
    const opened = (await page(`${LIST}?status=open&view=${id}`, t.cookie)).html;
    expect(opened).toMatch(new RegExp(`view=${id}" aria-current="page"`));
    expect(opened).not.toContain("· changed");
    expect(opened).toContain(`<input type="hidden" name="view" value="${id}"/>`);
    // Removing a filter chip keeps the view open.
    expect(opened).toContain(`class="filter-chip" href="${LIST}?view=${id}"`);
    const refined = (await page(`${LIST}?status=open&sort=amount&view=${id}`, t.cookie)).html;
    expect(refined).toContain("· changed");
    expect(refined).toContain(`action="${LIST}/views/${id}/update"`);
    expect((await post(`${LIST}/views/${id}/update`, member.cookie, { query: "status=won" })).status).toBe(404);
    const other = await newTenant("Deal views other");
    for (const action of ["update", "rename", "delete", "default"])
      expect((await post(`${LIST}/views/${id}/${action}`, other.cookie, { name: "x", query: "" })).status).toBe(404);
    const saved = await post(`${LIST}/views/${id}/update`, t.cookie, { query: "sort=amount&status=open" });
    expect(saved.headers.get("Location")).toBe(`${LIST}?sort=amount&status=open&view=${id}`);
    expect((await page(`${LIST}?sort=amount&status=open&view=${id}`, t.cookie)).html).not.toContain("· changed");
    // Bad names: the form again with the message, nothing written.
    const bad = await post(`${LIST}/views`, t.cookie, { name: "   ", query: "status=lost" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Give the view a name.");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM saved_views WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first();
    expect(count).toEqual({ n: 1 });
  });
});
