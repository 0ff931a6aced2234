/**
 * Columns and saved views on the contacts list (issue 18): the `cols` parameter read against the known
 * columns, custom field values with no extra statement, and saved views private or shared, with a
 * default per user.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { confirmAddressOf, memberOf, newTenant } from "../helpers/tenants";
import { fieldError, insertContacts, insertCustomField, insertTag, post } from "./contact-helpers";

async function page(path: string, cookie: string) {
  const res = await send(path, { cookie });
  return { status: res.status, location: res.headers.get("Location"), html: await res.text() };
}

/** The table's column headers after the name (and the select box), in order. */
function headers(html: string): string[] {
  const head = html.match(/<thead>([\s\S]*?)<\/thead>/)?.[1] ?? "";
  return [...head.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)]
    .map((m) =>
      m[1]!
        .replace(/<[^>]+>/g, " ")
        .replace(/[▲▼↕]/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((h) => h && !/^(Select|Actions)/.test(h));
}

async function tenantWithTier(name: string) {
  const t = await newTenant(name);
  await insertContacts(t.tenantId, 3);
  const field = await insertCustomField(t.tenantId, "Tier", "text");
  await env.DB.prepare(
    "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, 'gold' FROM contacts WHERE tenant_id = ?",
  )
    .bind(field, t.tenantId)
    .run();
  return { ...t, field };
}

const userIdOf = async (email: string) =>
  (await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>())!.id;

/** Saves the list as a view; returns its id from the redirect. */
async function saveView(cookie: string, form: Record<string, string>) {
  const res = await post("/app/contacts/views", cookie, form);
  expect(res.status, await res.clone().text()).toBe(303);
  return Number(res.headers.get("Location")!.match(/view=(\d+)/)![1]);
}

describe("columns", () => {
  it("shows the chosen columns in order, a custom field's values included; unknown ids are ignored", async () => {
    const t = await tenantWithTier("Columns");
    const { status, html } = await page(`/app/contacts?cols=cf_${t.field},email,nonsense,email`, t.cookie);
    expect(status).toBe(200);
    expect(headers(html)).toEqual(["Name", "Tier", "Email"]);
    expect(html).toContain(">gold</td>");
    // Nothing known: the standard columns.
    expect(headers((await page("/app/contacts?cols=nonsense", t.cookie)).html)).toEqual([
      "Name",
      "Company",
      "Email",
      "Phone",
      "Tags",
      "Owner",
      "Updated",
      "Last contacted",
      "Next task",
    ]);
  });

  it("ignores another workspace's custom field id, and shows none of its values", async () => {
    const ours = await tenantWithTier("Columns ours");
    const theirs = await tenantWithTier("Columns theirs");
    // Their field's values sit on ids that may be ours too: none may show.
    await env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT ?, ?, id, 'secret' FROM contacts WHERE tenant_id = ?",
    )
      .bind(theirs.tenantId, theirs.field, ours.tenantId)
      .run();
    const { html } = await page(`/app/contacts?cols=email,cf_${theirs.field}`, ours.cookie);
    expect(headers(html)).toEqual(["Name", "Email"]);
    expect(html).not.toContain("secret");
  });

  it("the Columns form's checkboxes and positions become one cols parameter", async () => {
    const t = await tenantWithTier("Columns form");
    const q = `columns_form=1&tag=&col=email&pos_email=2&col=cf_${t.field}&pos_cf_${t.field}=1&pos_phone=3`;
    const res = await page(`/app/contacts?${q}`, t.cookie);
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.location!)).toBe(`/app/contacts?cols=cf_${t.field},email`);
  });

  it("custom columns add no statement to the page", async () => {
    const t = await tenantWithTier("Columns statements");
    const second = await insertCustomField(t.tenantId, "Region", "text");
    const count = async (path: string) => {
      const counting = countingDb();
      const res = await send(path, { cookie: t.cookie, env: { DB: counting.binding } });
      expect(res.status).toBe(200);
      return counting.statements.length;
    };
    const plain = await count("/app/contacts");
    expect(await count(`/app/contacts?cols=cf_${t.field}`)).toBe(plain);
    expect(await count(`/app/contacts?cols=cf_${t.field},cf_${second},email`)).toBe(plain);
  });
});

describe("saved views", () => {
  it("a private view shows as a tab to its owner only; a shared one to every member", async () => {
    const t = await newTenant("Views share");
    const member = await memberOf(t.tenantId, "member");
    const mine = await saveView(t.cookie, { name: "My VIPs", query: "q=vip&cols=email" });
    const shared = await saveView(t.cookie, { name: "Team list", query: "sort=updated", shared: "1" });
    const own = (await page("/app/contacts?view=all", t.cookie)).html;
    expect(own).toContain(`href="/app/contacts?cols=email&amp;q=vip&amp;view=${mine}"`);
    expect(own).toContain("Team list");
    const theirs = (await page("/app/contacts?view=all", member.cookie)).html;
    expect(theirs).not.toContain("My VIPs");
    expect(theirs).toContain("Team list");
    // The open view's tab is marked current.
    const opened = (await page(`/app/contacts?sort=updated&view=${shared}`, member.cookie)).html;
    expect(opened).toMatch(new RegExp(`view=${shared}" aria-current="page"`));
    // Another member cannot act on the private one: 404, as if it did not exist.
    expect((await post(`/app/contacts/views/${mine}/default`, member.cookie, {})).status).toBe(404);
    expect((await post(`/app/contacts/views/${mine}/delete`, member.cookie, {})).status).toBe(404);
    // Nor delete or rename the shared one, which is not theirs.
    expect((await post(`/app/contacts/views/${shared}/delete`, member.cookie, {})).status).toBe(403);
    expect((await post(`/app/contacts/views/${shared}/rename`, member.cookie, { name: "x" })).status).toBe(404);
  });

  it("stores only the list's own parameters, canonical", async () => {
    const t = await newTenant("Views canonical");
    await saveView(t.cookie, { name: "Odd", query: "sort=drop table&zzz=1&dir=desc&q=ann&cols=email,evil" });
    const row = await env.DB.prepare("SELECT query FROM saved_views WHERE tenant_id = ?").bind(t.tenantId).first();
    expect(row).toEqual({ query: "cols=email&dir=desc&q=ann" });
  });

  it("a view filtering by a field deleted since opens without that filter and says so, not as the whole list", async () => {
    const t = await tenantWithTier("Gone field views");
    const view = await saveView(t.cookie, { name: "Gold", query: `cf_${t.field}=gold` });
    expect((await post(`/app/settings/fields/${t.field}/delete`, t.cookie, {})).status).toBe(303);
    const opened = await page(`/app/contacts?cf_${t.field}=gold&view=${view}`, t.cookie);
    expect(opened.location).toBe(`/app/contacts?view=${view}&notice=view_stale`);
    const shown = await page(opened.location!, t.cookie);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("no longer exists");
  });

  it("a view filtering by a tag deleted or an owner removed since opens without it and says so", async () => {
    const t = await newTenant("Gone tag views");
    await confirmAddressOf(t.cookie);
    await insertContacts(t.tenantId, 3);
    const vip = await insertTag(t.tenantId, "VIP");
    const view = await saveView(t.cookie, { name: "VIPs", query: `tag=${vip}` });
    expect((await post(`/app/settings/tags/${vip}/delete`, t.cookie, {})).status).toBe(303);
    const opened = await page(`/app/contacts?tag=${vip}&view=${view}`, t.cookie);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/app/contacts?view=${view}&notice=view_stale`);
    expect((await page(opened.location!, t.cookie)).html).toContain("no longer exists");

    const member = await memberOf(t.tenantId, "member");
    const memberId = await userIdOf(member.email);
    const theirs = await saveView(t.cookie, { name: "Theirs", query: `owner=${memberId}&sort=updated` });
    expect((await post(`/app/settings/team/members/${memberId}/remove`, t.cookie, {})).status).toBe(303);
    const gone = await page(`/app/contacts?owner=${memberId}&sort=updated&view=${theirs}`, t.cookie);
    expect(gone.location).toBe(`/app/contacts?sort=updated&view=${theirs}&notice=view_stale`);
  });

  it("another workspace's view id answers 404", async () => {
    const a = await newTenant("Views A");
    const b = await newTenant("Views B");
    const id = await saveView(a.cookie, { name: "Shared A", query: "", shared: "1" });
    for (const action of ["default", "delete", "rename"])
      expect((await post(`/app/contacts/views/${id}/${action}`, b.cookie, { name: "Mine now" })).status).toBe(404);
    expect((await page("/app/contacts?view=all", b.cookie)).html).not.toContain("Shared A");
  });

  it("the default view opens for /app/contacts with no parameters, for that user only", async () => {
    const t = await newTenant("Views default");
    const member = await memberOf(t.tenantId, "member");
    const id = await saveView(t.cookie, { name: "Recent", query: "sort=updated", shared: "1" });
    expect((await post(`/app/contacts/views/${id}/default`, t.cookie, {})).status).toBe(303);
    const opened = await page("/app/contacts", t.cookie);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/app/contacts?sort=updated&view=${id}`);
    // "All contacts" stays reachable, and another member's list is unchanged.
    expect((await page("/app/contacts?view=all", t.cookie)).status).toBe(200);
    expect((await page("/app/contacts", member.cookie)).status).toBe(200);
    // Cleared, the plain list opens again.
    await post(`/app/contacts/views/${id}/default`, t.cookie, { clear: "1" });
    expect((await page("/app/contacts", t.cookie)).status).toBe(200);
  });

  it("refuses bad names and garbage bodies with a 4xx and the form, writing nothing", async () => {
    const t = await newTenant("Views bad");
    const forms: Record<string, string>[] = [
      { name: "" },
      { name: "   " },
      { name: "x".repeat(61) },
      { nonsense: "1" },
    ];
    for (const form of forms) {
      const res = await post("/app/contacts/views", t.cookie, form);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('name="name"');
    }
    const garbage = await send("/app/contacts/views", {
      method: "POST",
      cookie: t.cookie,
      body: "--broken\r\nnot a form",
      headers: { "Content-Type": "multipart/form-data; boundary=nothing" },
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    const id = await saveView(t.cookie, { name: "Fine", query: "" });
    expect((await post(`/app/contacts/views/${id}/rename`, t.cookie, { name: "" })).status).toBe(400);
    expect((await post(`/app/contacts/views/${id}/rename`, t.cookie, { rename: "x".repeat(61) })).status).toBe(400);
    expect((await post(`/app/contacts/views/${id}/rename`, t.cookie, { rename: "Better" })).status).toBe(303);
    const rows = await env.DB.prepare("SELECT name FROM saved_views WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(rows.results).toEqual([{ name: "Better" }]);
  });

  it("a viewer keeps private views but cannot share one; an admin deletes a shared view", async () => {
    const t = await newTenant("Views roles");
    const viewer = await memberOf(t.tenantId, "viewer");
    expect((await post("/app/contacts/views", viewer.cookie, { name: "Shared?", shared: "1" })).status).toBe(403);
    await saveView(viewer.cookie, { name: "Just mine", query: "" });
    const admin = await memberOf(t.tenantId, "admin");
    const member = await memberOf(t.tenantId, "member");
    const shared = await saveView(member.cookie, { name: "Team", query: "", shared: "1" });
    expect((await post(`/app/contacts/views/${shared}/delete`, admin.cookie, {})).status).toBe(303);
    const rows = await env.DB.prepare("SELECT name FROM saved_views WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(rows.results).toEqual([{ name: "Just mine" }]);
  });

  it("stays open while the list is refined, says so, and its owner saves or discards the change", async () => {
    const t = await tenantWithTier("Views refine");
    const member = await memberOf(t.tenantId, "member");
    const id = await saveView(t.cookie, { name: "By update", query: "sort=updated", shared: "1" });
    const opened = (await page(`/app/contacts?sort=updated&view=${id}`, t.cookie)).html;
    expect(opened).not.toContain("· changed");
    // The sort links, the filter form and the Columns form carry the view along.
    expect(opened).toContain(`href="/app/contacts?sort=company&amp;view=${id}"`);
    expect(opened).toMatch(new RegExp(`<input type="hidden" name="view" value="${id}"`));
    const cols = await page(`/app/contacts?columns_form=1&col=email&pos_email=1&sort=updated&view=${id}`, t.cookie);
    expect(cols.location).toBe(`/app/contacts?cols=email&sort=updated&view=${id}`);
    // Refined: the tab stays current, marked changed, with save and discard for its owner only.
    const refined = (await page(`/app/contacts?cols=email&sort=updated&view=${id}`, t.cookie)).html;
    expect(refined).toMatch(new RegExp(`view=${id}" aria-current="page"`));
    expect(refined).toContain("· changed");
    expect(refined).toContain(`action="/app/contacts/views/${id}/update"`);
    const theirs = (await page(`/app/contacts?cols=email&sort=updated&view=${id}`, member.cookie)).html;
    expect(theirs).toContain("· changed");
    expect(theirs).not.toContain(`/views/${id}/update`);
    expect((await post(`/app/contacts/views/${id}/update`, member.cookie, { query: "q=x" })).status).toBe(404);
    // Saved: the stored query is the canonical one, extra parameters dropped.
    const saved = await post(`/app/contacts/views/${id}/update`, t.cookie, { query: "cols=email&sort=updated&zzz=1" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/app/contacts?cols=email&sort=updated&view=${id}`);
    const row = await env.DB.prepare("SELECT query FROM saved_views WHERE id = ?").bind(id).first();
    expect(row).toEqual({ query: "cols=email&sort=updated" });
    expect((await page(`/app/contacts?cols=email&sort=updated&view=${id}`, t.cookie)).html).not.toContain("· changed");
    // Another workspace cannot update it.
    const other = await newTenant("Views refine other");
    expect((await post(`/app/contacts/views/${id}/update`, other.cookie, { query: "" })).status).toBe(404);
  });

  it("an owner demoted to viewer may no longer change their shared view, only their private ones", async () => {
    const t = await newTenant("Views demoted");
    await confirmAddressOf(t.cookie);
    const member = await memberOf(t.tenantId, "member");
    const shared = await saveView(member.cookie, { name: "Team", query: "sort=updated", shared: "1" });
    const mine = await saveView(member.cookie, { name: "Mine", query: "" });
    const demoted = await send(`/app/settings/team/members/${await userIdOf(member.email)}/role`, {
      cookie: t.cookie,
      form: { role: "viewer" },
    });
    expect(demoted.status).toBe(303);
    expect((await post(`/app/contacts/views/${shared}/update`, member.cookie, { query: "q=x" })).status).toBe(403);
    expect((await post(`/app/contacts/views/${shared}/rename`, member.cookie, { rename: "Mine now" })).status).toBe(
      403,
    );
    const row = await env.DB.prepare("SELECT name, query FROM saved_views WHERE id = ?").bind(shared).first();
    expect(row).toEqual({ name: "Team", query: "sort=updated" });
    // The page offers them no change to it either; their private view stays theirs.
    const opened = (await page(`/app/contacts?q=x&sort=updated&view=${shared}`, member.cookie)).html;
    expect(opened).not.toContain(`/views/${shared}/update`);
    expect(opened).not.toContain(`/views/${shared}/rename`);
    expect((await post(`/app/contacts/views/${mine}/rename`, member.cookie, { rename: "Still mine" })).status).toBe(
      303,
    );
  });

  it("drops invisible characters from names, and refuses a name of nothing else by the field", async () => {
    const t = await newTenant("Views invisible");
    const res = await post("/app/contacts/views", t.cookie, { name: "\u200B\u202E", query: "" });
    expect(res.status).toBe(400);
    expect(fieldError(await res.text(), "f-name")).toContain("Give the view a name");
    const id = await saveView(t.cookie, { name: "Fine", query: "" });
    const renamed = await post(`/app/contacts/views/${id}/rename`, t.cookie, { rename: "\u2066Hot\u200B leads\u2069" });
    expect(renamed.status).toBe(303);
    const refused = await post(`/app/contacts/views/${id}/rename`, t.cookie, { rename: "\u200B" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Give the view a name");
    const row = await env.DB.prepare("SELECT name FROM saved_views WHERE id = ?").bind(id).first();
    expect(row).toEqual({ name: "Hot leads" });
  });

  it("at most 50 views per user", async () => {
    const t = await newTenant("Views limit");
    const now = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
       INSERT INTO saved_views (tenant_id, owner_user_id, entity, name, shared, query, position, created_at)
       SELECT ?, (SELECT user_id FROM memberships WHERE tenant_id = ?), 'contact', 'v' || i, 0, '', i, ? FROM n`,
    )
      .bind(t.tenantId, t.tenantId, now)
      .run();
    const res = await post("/app/contacts/views", t.cookie, { name: "One too many" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("50 views");
  });
});
