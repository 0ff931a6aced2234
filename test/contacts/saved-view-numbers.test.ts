/**
 * A saved view's numbers mean the same to every reader: the list saves them canonical ("1.500" typed in de is
 * 1500), and a view's links write them in each reader's own format, as their list reads them.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { insertContacts, insertCustomField, listedIds, post } from "./contact-helpers";

async function html(path: string, cookie: string): Promise<string> {
  const res = await send(path, { cookie });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
  return text;
}

/** The "Save view" form's hidden query on a list page, as the browser posts it. */
const savedQueryOf = (page: string) =>
  page
    .match(
      /<form method="post" action="\/app\/contacts\/views"[^>]*>\s*<input type="hidden" name="query" value="([^"]*)"/,
    )![1]!
    .replaceAll("&amp;", "&");

/** The href of the tab of view `id` on a list page. */
const tabHrefOf = (page: string, id: number) =>
  page.match(new RegExp(`<a href="([^"]*view=${id})"`))![1]!.replaceAll("&amp;", "&");

describe("shared saved views with numbers", () => {
  it("a view saved by a de-DE member filters the same for an en-US colleague, each seeing their own format", async () => {
    const t = await newTenant("View numbers");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'en-US' WHERE email = ?").bind(colleague.email).run();
    const field = await insertCustomField(t.tenantId, "Seats", "number");
    await insertContacts(t.tenantId, 3);
    const [thousands, small, half] = (
      await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id")
        .bind(t.tenantId)
        .all<{ id: number }>()
    ).results.map((r) => r.id);
    for (const [id, value] of [
      [thousands, "1500"],
      [small, "1.5"],
      [half, "2.5"],
    ] as const)
      await env.DB.prepare(
        "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, ?)",
      )
        .bind(t.tenantId, field, id, value)
        .run();

    // The owner filters "1.500" (one thousand five hundred in de) and shares the list as a view.
    const typed = await html(`/app/contacts?cf_${field}=${encodeURIComponent("1.500")}`, t.cookie);
    expect(listedIds(typed)).toEqual([thousands]);
    const saved = await post("/app/contacts/views", t.cookie, {
      name: "Big ones",
      shared: "1",
      query: savedQueryOf(typed),
    });
    expect(saved.status).toBe(303);
    const view = Number(saved.headers.get("Location")!.match(/view=(\d+)/)![1]);
    const stored = await env.DB.prepare("SELECT query FROM saved_views WHERE id = ?")
      .bind(view)
      .first<{ query: string }>();
    expect(stored!.query).toBe(`cf_${field}=1500`);

    // The colleague opens it from their tab: the contact with 1500, not the one with 1.5.
    const theirs = tabHrefOf(await html("/app/contacts?view=all", colleague.cookie), view);
    const opened = await html(theirs, colleague.cookie);
    expect(listedIds(opened)).toEqual([thousands]);
    expect(opened).not.toContain("· changed");

    // A decimal shows in each reader's format in the filter and reads back to the same value.
    const decimal = await html(`/app/contacts?cf_${field}=${encodeURIComponent("2,5")}`, t.cookie);
    const second = await post("/app/contacts/views", t.cookie, {
      name: "Halves",
      shared: "1",
      query: savedQueryOf(decimal),
    });
    const halves = Number(second.headers.get("Location")!.match(/view=(\d+)/)![1]);
    const ownHref = tabHrefOf(await html("/app/contacts?view=all", t.cookie), halves);
    expect(ownHref).toBe(`/app/contacts?cf_${field}=2%2C5&view=${halves}`);
    const own = await html(ownHref, t.cookie);
    expect(listedIds(own)).toEqual([half]);
    expect(own).toContain('value="2,5"');
    expect(own).not.toContain("· changed");
    const theirHalves = await html(
      tabHrefOf(await html("/app/contacts?view=all", colleague.cookie), halves),
      colleague.cookie,
    );
    expect(listedIds(theirHalves)).toEqual([half]);
    expect(theirHalves).toContain('value="2.5"');
  });
});

describe("saved views from before numbers were kept canonical", () => {
  it("a de-DE view holding 1.234 (one thousand two hundred thirty-four) still opens 1234 for de-DE readers", async () => {
    const t = await newTenant("Older view numbers");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(colleague.email).run();
    const field = await insertCustomField(t.tenantId, "Seats", "number");
    await insertContacts(t.tenantId, 2);
    const [thousands, small] = (
      await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id")
        .bind(t.tenantId)
        .all<{ id: number }>()
    ).results.map((r) => r.id);
    for (const [id, value] of [
      [thousands, "1234"],
      [small, "1.234"],
    ] as const)
      await env.DB.prepare(
        "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, ?)",
      )
        .bind(t.tenantId, field, id, value)
        .run();
    // The view as the owner saved it before: the number as typed in de, the row as migration 0044 left it.
    const view = (await env.DB.prepare(
      `INSERT INTO saved_views (tenant_id, owner_user_id, entity, name, shared, query, position, created_at)
       SELECT ?, id, 'contact', 'Big ones', 1, ?, 1, ? FROM users WHERE email = ? RETURNING id`,
    )
      .bind(t.tenantId, `cf_${field}=1.234`, Date.now(), t.email)
      .first<{ id: number }>())!.id;

    // A de-DE colleague's tab keeps 1.234 as typed, which their list reads as 1234, unchanged.
    const href = tabHrefOf(await html("/app/contacts?view=all", colleague.cookie), view);
    const opened = await html(href, colleague.cookie);
    expect(listedIds(opened)).toEqual([thousands]);
    expect(href).toBe(`/app/contacts?cf_${field}=1.234&view=${view}`);
    expect(opened).not.toContain("· changed");
    // As their default view too.
    expect((await post(`/app/contacts/views/${view}/default`, colleague.cookie, {})).headers.get("Location")).toBe(
      href,
    );
    const start = await send("/app/contacts", { cookie: colleague.cookie });
    expect(start.headers.get("Location")).toBe(href);

    // Its owner saves it again: now canonical (1234), and every reader's tab writes it in their format.
    const own = await html(tabHrefOf(await html("/app/contacts?view=all", t.cookie), view), t.cookie);
    expect(listedIds(own)).toEqual([thousands]);
    expect(own).not.toContain("· changed");
    const again = await post(`/app/contacts/views/${view}/update`, t.cookie, { query: savedQueryOf(own) });
    expect(again.status).toBe(303);
    const stored = await env.DB.prepare("SELECT query, numbers_canonical FROM saved_views WHERE id = ?")
      .bind(view)
      .first<{ query: string; numbers_canonical: number }>();
    expect(stored).toEqual({ query: `cf_${field}=1234`, numbers_canonical: 1 });
    const resaved = await html(
      tabHrefOf(await html("/app/contacts?view=all", colleague.cookie), view),
      colleague.cookie,
    );
    expect(listedIds(resaved)).toEqual([thousands]);
    expect(resaved).not.toContain("· changed");
  });

  it("the rename page's save form keeps an older view's 1.234 as 1234 for an en-US colleague", async () => {
    const t = await newTenant("Older view saved again");
    await env.DB.prepare("UPDATE users SET locale = 'de-DE' WHERE email = ?").bind(t.email).run();
    const colleague = await memberOf(t.tenantId, "member");
    await env.DB.prepare("UPDATE users SET locale = 'en-US' WHERE email = ?").bind(colleague.email).run();
    const field = await insertCustomField(t.tenantId, "Seats", "number");
    await insertContacts(t.tenantId, 2);
    const [thousands, small] = (
      await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id")
        .bind(t.tenantId)
        .all<{ id: number }>()
    ).results.map((r) => r.id);
    for (const [id, value] of [
      [thousands, "1234"],
      [small, "1.234"],
    ] as const)
      await env.DB.prepare(
        "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) VALUES (?, ?, ?, ?)",
      )
        .bind(t.tenantId, field, id, value)
        .run();
    const older = (await env.DB.prepare(
      `INSERT INTO saved_views (tenant_id, owner_user_id, entity, name, shared, query, position, created_at)
       SELECT ?, id, 'contact', 'Big ones', 1, ?, 1, ? FROM users WHERE email = ? RETURNING id`,
    )
      .bind(t.tenantId, `cf_${field}=1.234`, Date.now(), t.email)
      .first<{ id: number }>())!.id;

    // A refused rename shows the save form, which saves the view's list as a new view.
    const refused = await post(`/app/contacts/views/${older}/rename`, t.cookie, { rename: "" });
    expect(refused.status).toBe(400);
    const saved = await post("/app/contacts/views", t.cookie, {
      name: "Big ones again",
      shared: "1",
      query: savedQueryOf(await refused.text()),
    });
    expect(saved.status).toBe(303);
    const view = Number(saved.headers.get("Location")!.match(/view=(\d+)/)![1]);
    const stored = await env.DB.prepare("SELECT query, numbers_canonical FROM saved_views WHERE id = ?")
      .bind(view)
      .first<{ query: string; numbers_canonical: number }>();
    expect(stored).toEqual({ query: `cf_${field}=1234`, numbers_canonical: 1 });
    const opened = await html(
      tabHrefOf(await html("/app/contacts?view=all", colleague.cookie), view),
      colleague.cookie,
    );
    expect(listedIds(opened)).toEqual([thousands]);
  });
});
