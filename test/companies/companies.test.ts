/** Companies through real requests: create, read, edit, delete, validation, escaping and the list. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  auditOf,
  companyRow,
  counters,
  createCompanyThroughForm,
  crmSnapshot,
  fieldError,
  insertCompanies,
  insertContact,
  insertField,
  insertTag,
  searchContacts,
  sendPairs,
} from "./helpers";

const page = async (path: string, cookie: string) => {
  const res = await send(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
};

describe("creating a company", () => {
  it("stores normalised fields, tags and custom values, with a 'created' activity and the counter, and shows them", async () => {
    const owner = await newTenant("Create Co");
    const vip = await insertTag(owner.tenantId, "VIP", "purple");
    const tier = await insertField(owner.tenantId, "company", "Tier", "select", ["Gold", "Silver"]);
    const since = await insertField(owner.tenantId, "company", "Customer since", "date");
    const res = await sendPairs("/app/companies", owner.cookie, [
      ["name", "  Analytical Engines Ltd "],
      ["domain", "https://www.Engines.example.com/about?x=1"],
      ["industry", "Machinery"],
      ["size", "51-200"],
      ["address", "1 Difference Way\nLondon"],
      ["phone", "(415) 555-0123"],
      ["tag_ids", String(vip)],
      ["new_tag", "Prospect"],
      [`cf_${tier}`, "Gold"],
      [`cf_${since}`, "2024-02-29"],
    ]);
    expect(res.status).toBe(303);
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const row = (await companyRow(id))!;
    expect(row).toMatchObject({
      tenant_id: owner.tenantId,
      name: "Analytical Engines Ltd",
      name_sort: "analytical engines ltd",
      domain: "engines.example.com",
      industry: "Machinery",
      size: "51-200",
      address: "1 Difference Way\nLondon",
      phone: "+14155550123",
      owner_id: null,
    });
    const tags = await env.DB.prepare(
      "SELECT t.name, t.color FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.company_id = ? ORDER BY t.name",
    )
      .bind(id)
      .all();
    expect(tags.results.map((t) => t.name)).toEqual(["Prospect", "VIP"]);
    const values = await env.DB.prepare(
      "SELECT field_id, value FROM custom_field_values WHERE entity_id = ? AND tenant_id = ? ORDER BY field_id",
    )
      .bind(id, owner.tenantId)
      .all();
    expect(values.results).toEqual([
      { field_id: tier, value: "Gold" },
      { field_id: since, value: "2024-02-29" },
    ]);
    const activity = await env.DB.prepare("SELECT kind, subject_type, subject_id FROM activities WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .all();
    expect(activity.results).toEqual([{ kind: "created", subject_type: "company", subject_id: id }]);
    expect((await counters(owner.tenantId)).companies).toBe(1);

    const html = await page(`/app/companies/${id}`, owner.cookie);
    for (const text of [
      "Analytical Engines Ltd",
      "engines.example.com",
      "Machinery",
      "51-200 people",
      "+1 415 555 0123",
      "1 Difference Way<br/>London",
      "VIP",
      "Prospect",
      "Gold",
      "2024-02-29",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).toContain('class="tag tag-purple"');
    expect(html).toContain("created this record");
    // The page records the view with a POST (app.js's beacon) after it loads; the GET itself writes nothing.
    expect(html).toContain(`<div hidden="" class="recent-beacon" data-recent-type="company" data-recent-id="${id}">`);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM recent_views WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .first("n"),
    ).toBe(0);
  });

  it("offers the new form with the creator as owner, and keeps an owner that is a member", async () => {
    const owner = await newTenant("Owner Co");
    const member = await memberOf(owner.tenantId, "member");
    const form = await page("/app/companies/new", member.cookie);
    expect(form).toContain('<label for="f-name">Name</label>');
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(member.email)
      .first<{ id: string }>())!.id;
    expect(form).toMatch(new RegExp(`<option value="${memberId}" selected="">`));
    const id = await createCompanyThroughForm(member.cookie, { name: "Owned", owner_id: memberId });
    expect((await companyRow(id))!.owner_id).toBe(memberId);
    expect((await companyRow(id))!.created_by).toBe(memberId);
    expect(await page(`/app/companies/${id}`, member.cookie)).toContain(member.email);
  });

  it("treats https://www.x.com/ and http://x.com as one domain: warns with a link, and creates only when asked", async () => {
    const owner = await newTenant("Dup Co");
    const first = await createCompanyThroughForm(owner.cookie, {
      name: "X Corp",
      domain: "https://www.x-corp.example/",
    });
    const before = await crmSnapshot(owner.tenantId);
    const res = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "X Corporation", domain: "http://x-corp.example" },
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("A company with this domain already exists");
    expect(html).toContain(`<a href="/app/companies/${first}">X Corp</a>`);
    expect(html).toContain('name="confirm_duplicate" value="1"');
    expect(html).toContain('value="X Corporation"'); // the form keeps what was typed
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);

    const second = await createCompanyThroughForm(owner.cookie, {
      name: "X Corporation",
      domain: "http://x-corp.example",
      confirm_duplicate: "1",
    });
    expect((await companyRow(second))!.domain).toBe("x-corp.example");
    expect((await counters(owner.tenantId)).companies).toBe(2);
    // Another tenant's company with that domain is none of this tenant's business.
    const other = await newTenant("Other Dup");
    await createCompanyThroughForm(other.cookie, { name: "Mine", domain: "x-corp.example" });
  });
});

describe("refusing bad input", () => {
  it.each([
    [{ name: "" }, "f-name", "Enter name."],
    [{ name: "n".repeat(201) }, "f-name", "at most 200"],
    [{ name: "Bad\u0000Byte" }, "f-name", "cannot store"],
    [{ domain: "not a domain" }, "f-domain", "like example.com"],
    [{ domain: `${"x".repeat(300)}.com` }, "f-domain", "at most 300"],
    [{ phone: "12" }, "f-phone", "not a valid phone number"],
    [{ phone: "+1 415 555 0123 ext 9999999999999999999999999999999999999999999" }, "f-phone", "at most"],
    [{ size: "a few" }, "f-size", "Choose one of the sizes."],
    [{ owner_id: "nosuchuser" }, "f-owner_id", "Choose a member"],
    // As long as what an import stores (COMPANY_LIMITS), so such a company can be saved again.
    [{ industry: "i".repeat(201) }, "f-industry", "at most 200"],
    [{ address: "a".repeat(1001) }, "f-address", "at most 1000"],
    [{ new_tag: "t".repeat(51) }, "f-new_tag", "at most 50"],
  ])("refuses %j with 422, the message beside the field, and stores nothing", async (form, field, message) => {
    const owner = await newTenant("Bad Input Co");
    const before = await crmSnapshot(owner.tenantId);
    const res = await send("/app/companies", { cookie: owner.cookie, form: { name: "Fine", ...form } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, field)).toContain(message);
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
  });

  it("refuses an unknown custom field, a field of contacts, another tenant's tag and a bad custom value", async () => {
    const owner = await newTenant("Refs Co");
    const other = await newTenant("Refs Other");
    const theirTag = await insertTag(other.tenantId, "Theirs");
    const contactField = await insertField(owner.tenantId, "contact", "Birthday", "date");
    const revenue = await insertField(owner.tenantId, "company", "Revenue", "number");
    const before = await crmSnapshot(owner.tenantId);
    const cases: [[string, string][], string, string][] = [
      [[["cf_999999999", "x"]], "form", "does not exist"],
      [[[`cf_${contactField}`, "2024-01-01"]], "form", "does not exist"],
      [[["tag_ids", String(theirTag)]], "f-tag_ids", "Choose tags from the list."],
      [[["tag_ids", "1 OR 1=1"]], "f-tag_ids", "Choose tags from the list."],
      [[[`cf_${revenue}`, "lots"]], `f-cf_${revenue}`, "must be a number"],
    ];
    for (const [pairs, field, message] of cases) {
      const res = await sendPairs("/app/companies", owner.cookie, [["name", "Fine"], ...pairs]);
      expect(res.status, JSON.stringify(pairs)).toBe(422);
      const html = await res.text();
      if (field === "form") expect(html).toContain(message);
      else expect(fieldError(html, field), JSON.stringify(pairs)).toContain(message);
    }
    expect(await crmSnapshot(owner.tenantId)).toEqual(before);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM company_tags WHERE tag_id = ?").bind(theirTag).first("n"),
    ).toBe(0);
  });

  it("shows HTML and SQL in every field as text, and stores it as typed", async () => {
    const owner = await newTenant("Escape Co");
    const text = await insertField(owner.tenantId, "company", "Motto", "text");
    const evil = `<script>alert(1)</script>'"; DROP TABLE companies; --`;
    const id = await createCompanyThroughForm(owner.cookie, {
      name: evil,
      industry: `<img src=x onerror=alert(1)>`,
      address: `<b>bold</b>\n<a href="javascript:alert(1)">x</a>`,
      new_tag: `<i>tag</i>`,
      [`cf_${text}`]: `<svg onload=alert(1)>`,
    });
    expect((await companyRow(id))!.name).toBe(evil);
    for (const path of [
      `/app/companies/${id}`,
      `/app/companies/${id}/edit`,
      "/app/companies",
      `/app/companies/${id}/delete`,
      "/app",
    ]) {
      const html = await page(path, owner.cookie);
      expect(html, path).not.toContain("<script>alert");
      expect(html, path).not.toContain("<img src=x");
      expect(html, path).not.toContain("<svg onload");
      expect(html, path).not.toContain("<i>tag</i>");
      expect(html, path).not.toContain('href="javascript:');
    }
    const html = await page(`/app/companies/${id}`, owner.cookie);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM companies").first("n")).toBeGreaterThan(0);
  });
});

describe("editing a company", () => {
  it("records what changed in the timeline, and writes nothing when nothing changed", async () => {
    const owner = await newTenant("Edit Co");
    const tier = await insertField(owner.tenantId, "company", "Tier", "select", ["Gold", "Silver"]);
    const id = await createCompanyThroughForm(owner.cookie, {
      name: "Edit Me",
      industry: "Retail",
      [`cf_${tier}`]: "Gold",
    });
    const edit = await page(`/app/companies/${id}/edit`, owner.cookie);
    expect(edit).toContain('value="Edit Me"');
    expect(edit).toContain('<option value="Gold" selected="">Gold</option>');

    const res = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: { name: "Edit Me", industry: "Wholesale", domain: "edit.example", [`cf_${tier}`]: "Silver" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/app/companies/${id}`);
    const row = (await companyRow(id))!;
    expect(row).toMatchObject({ industry: "Wholesale", domain: "edit.example" });
    const updated = await env.DB.prepare(
      "SELECT detail FROM activities WHERE subject_type = 'company' AND subject_id = ? AND kind = 'updated'",
    )
      .bind(id)
      .all<{ detail: string }>();
    expect(updated.results).toHaveLength(1);
    expect(JSON.parse(updated.results[0]!.detail)).toEqual({
      industry: ["Retail", "Wholesale"],
      domain: [null, "edit.example"],
      Tier: ["Gold", "Silver"],
    });
    const html = await page(`/app/companies/${id}`, owner.cookie);
    expect(html).toContain("changed industry from <q>Retail</q> to <q>Wholesale</q>");

    // The same form again changes nothing and records nothing.
    const again = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      form: { name: "Edit Me", industry: "Wholesale", domain: "edit.example", [`cf_${tier}`]: "Silver" },
    });
    expect(again.status).toBe(303);
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM activities WHERE subject_type = 'company' AND subject_id = ? AND kind = 'updated'",
      )
        .bind(id)
        .first("n"),
    ).toBe(1);
    expect((await companyRow(id))!.updated_at).toBe(row.updated_at);

    // Bad input on edit: 422, message beside the field, nothing changed.
    const bad = await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { name: "", industry: "Wholesale" } });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), "f-name")).toContain("Enter name.");
    expect((await companyRow(id))!.name).toBe("Edit Me");
  });

  it("renaming updates its contacts' company name and sort key in the same write, and the contacts search follows", async () => {
    const owner = await newTenant("Rename Co");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Babbage Works" });
    const ada = await insertContact(owner.tenantId, "Ada", "Lovelace", { id, name: "Babbage Works" });
    const charles = await insertContact(owner.tenantId, "Charles", "Babbage", { id, name: "Babbage Works" });
    const elsewhere = await insertContact(owner.tenantId, "Grace", "Hopper");
    expect(await searchContacts(owner.tenantId, "works")).toEqual([ada, charles]);

    expect(
      (await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { name: "Difference Engines" } })).status,
    ).toBe(303);
    const rows = await env.DB.prepare(
      "SELECT id, company_name, company_sort FROM contacts WHERE tenant_id = ? ORDER BY id",
    )
      .bind(owner.tenantId)
      .all();
    expect(rows.results).toEqual([
      { id: ada, company_name: "Difference Engines", company_sort: "difference engines" },
      { id: charles, company_name: "Difference Engines", company_sort: "difference engines" },
      { id: elsewhere, company_name: null, company_sort: "" },
    ]);
    expect(await searchContacts(owner.tenantId, "works")).toEqual([]);
    expect(await searchContacts(owner.tenantId, "differ")).toEqual([ada, charles]);
    // The company page lists them, by name, with a link to the filtered contacts list.
    const html = await page(`/app/companies/${id}`, owner.cookie);
    expect(html.indexOf("Charles Babbage")).toBeLessThan(html.indexOf("Ada Lovelace"));
    expect(html).toContain(`href="/app/contacts?company=${id}"`);
    expect(html).not.toContain("Grace Hopper");
  });

  it("changes tags: unticking removes, new_tag reuses an existing tag whatever its case", async () => {
    const owner = await newTenant("Retag Co");
    const a = await insertTag(owner.tenantId, "Alpha");
    const b = await insertTag(owner.tenantId, "Beta");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Tagged", tag_ids: String(a) });
    const res = await sendPairs(`/app/companies/${id}`, owner.cookie, [
      ["name", "Tagged"],
      ["tag_ids", String(b)],
      ["new_tag", "ALPHA"],
    ]);
    expect(res.status).toBe(303);
    const ids = (
      await env.DB.prepare("SELECT tag_id FROM company_tags WHERE company_id = ? ORDER BY tag_id")
        .bind(id)
        .all<{ tag_id: number }>()
    ).results.map((r) => r.tag_id);
    expect(ids).toEqual([a, b]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM tags WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(2);
    const noTags = await send(`/app/companies/${id}`, { cookie: owner.cookie, form: { name: "Tagged" } });
    expect(noTags.status).toBe(303);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM company_tags WHERE company_id = ?").bind(id).first("n"),
    ).toBe(0);
    const detail = await env.DB.prepare(
      "SELECT detail FROM activities WHERE subject_type = 'company' AND subject_id = ? AND kind = 'updated' ORDER BY id DESC",
    )
      .bind(id)
      .first<{ detail: string }>();
    expect(JSON.parse(detail!.detail)).toEqual({ tags: [["Alpha", "Beta"], []] });
  });
});

describe("deleting a company", () => {
  it("keeps its contacts without a company, deletes its notes, tags and values, and keeps the counters exact", async () => {
    const owner = await newTenant("Delete Co");
    const field = await insertField(owner.tenantId, "company", "Motto");
    const tag = await insertTag(owner.tenantId, "Keep me");
    const keep = await createCompanyThroughForm(owner.cookie, { name: "Stays", [`cf_${field}`]: "stay" });
    const id = await createCompanyThroughForm(owner.cookie, {
      name: "Goes Away",
      tag_ids: String(tag),
      [`cf_${field}`]: "bye",
    });
    const contact = await insertContact(owner.tenantId, "Kept", "Person", { id, name: "Goes Away" });
    for (const body of ["one", "two"])
      expect((await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body } })).status).toBe(303);
    expect((await send(`/app/companies/${keep}/notes`, { cookie: owner.cookie, form: { body: "stays" } })).status).toBe(
      303,
    );
    expect(await counters(owner.tenantId)).toMatchObject({ companies: 2, notes: 3 });
    await env.DB.prepare(
      "INSERT INTO recent_views (tenant_id, user_id, subject_type, subject_id, viewed_at) SELECT tenant_id, user_id, 'company', ?, 1 FROM memberships WHERE tenant_id = ?",
    )
      .bind(id, owner.tenantId)
      .run();

    // Without JavaScript: a confirmation page, then the form post.
    const confirm = await page(`/app/companies/${id}/delete`, owner.cookie);
    expect(confirm).toContain("Move Goes Away to the trash?");
    expect(confirm).toContain(`action="/app/companies/${id}/delete"`);
    const res = await send(`/app/companies/${id}/delete`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/app\/companies\?notice=deleted&trashed=\d+$/);
    expect(await page("/app/companies?notice=deleted", owner.cookie)).toContain(
      "Company moved to the trash with its notes",
    );

    expect(await companyRow(id)).toBeNull();
    expect(
      await env.DB.prepare("SELECT company_id, company_name, company_sort FROM contacts WHERE id = ?")
        .bind(contact)
        .first(),
    ).toEqual({ company_id: null, company_name: null, company_sort: "" });
    expect(await searchContacts(owner.tenantId, "goes")).toEqual([]);
    expect(await searchContacts(owner.tenantId, "kept")).toEqual([contact]);
    expect(await env.DB.prepare("SELECT body FROM notes WHERE tenant_id = ?").bind(owner.tenantId).all()).toMatchObject(
      { results: [{ body: "stays" }] },
    );
    expect(
      await env.DB.prepare("SELECT value FROM custom_field_values WHERE tenant_id = ?").bind(owner.tenantId).all(),
    ).toMatchObject({ results: [{ value: "stay" }] });
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM company_tags WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM tags WHERE tenant_id = ?").bind(owner.tenantId).first("n"),
    ).toBe(1);
    expect(
      await env.DB.prepare(
        "SELECT count(*) AS n FROM activities WHERE tenant_id = ? AND subject_type = 'company' AND subject_id = ?",
      )
        .bind(owner.tenantId, id)
        .first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM recent_views WHERE tenant_id = ?")
        .bind(owner.tenantId)
        .first("n"),
    ).toBe(0);
    expect(await counters(owner.tenantId)).toMatchObject({ companies: 1, notes: 1 });
    const audit = await auditOf(owner.tenantId, "record.deleted");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target_type: "company", target_id: String(id), target_label: "Goes Away" });
    expect(JSON.parse(audit[0]!.detail as string)).toEqual({ notes: 2 });
    // Gone is gone: every route answers 404.
    expect((await send(`/app/companies/${id}`, { cookie: owner.cookie })).status).toBe(404);
    expect((await send(`/app/companies/${id}/delete`, { cookie: owner.cookie, form: {} })).status).toBe(404);
    expect(await counters(owner.tenantId)).toMatchObject({ companies: 1, notes: 1 });
  });

  it("keeps the counters exact when the same company is deleted twice at once", async () => {
    const owner = await newTenant("Double Delete Co");
    await createCompanyThroughForm(owner.cookie, { name: "Stays" });
    const id = await createCompanyThroughForm(owner.cookie, { name: "Deleted twice" });
    await send(`/app/companies/${id}/notes`, { cookie: owner.cookie, form: { body: "note" } });
    const results = await Promise.all(
      [1, 2].map(() => send(`/app/companies/${id}/delete`, { cookie: owner.cookie, form: {} })),
    );
    expect(results.map((r) => r.status).sort()).toContain(303);
    expect(await counters(owner.tenantId)).toMatchObject({ companies: 1, notes: 0 });
  });

  it("with htmx, DELETE (no confirm: it goes to the trash) answers with a redirect header for htmx to follow", async () => {
    const owner = await newTenant("Htmx Delete Co");
    const id = await createCompanyThroughForm(owner.cookie, { name: "Via htmx" });
    const html = await page(`/app/companies/${id}`, owner.cookie);
    expect(html).toContain(`hx-delete="/app/companies/${id}"`);
    expect(html).not.toContain("hx-confirm=");
    expect(html).toContain("Move to trash");
    const res = await send(`/app/companies/${id}`, {
      cookie: owner.cookie,
      method: "DELETE",
      headers: { "HX-Request": "true" },
    });
    expect(res.status).toBe(200);
    const item = await env.DB.prepare("SELECT id FROM trash_items WHERE kind = 'company' AND record_id = ?")
      .bind(id)
      .first<{ id: number }>();
    expect(res.headers.get("HX-Redirect")).toBe(`/app/companies?notice=deleted&trashed=${item!.id}`);
    expect(await companyRow(id)).toBeNull();
    expect((await counters(owner.tenantId)).companies).toBe(0);
  });
});

describe("the list", () => {
  const ids = (html: string) => [...html.matchAll(/<a href="\/app\/companies\/(\d+)">/g)].map((m) => Number(m[1]));
  const names = (html: string) => [...html.matchAll(/<a href="\/app\/companies\/\d+">([^<]*)<\/a>/g)].map((m) => m[1]!);
  const nextHref = (html: string) => html.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, "&") ?? null;

  async function allPages(cookie: string, start: string) {
    const seen: string[] = [];
    let href: string | null = start;
    let pages = 0;
    while (href) {
      const html = await page(href, cookie);
      seen.push(...names(html));
      href = nextHref(html);
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    return { seen, pages };
  }

  it("pages 50 at a time by keyset, in every sort and direction, without repeats or gaps", async () => {
    const owner = await newTenant("List Co");
    // Names share prefixes and cases, so ties in the sort key are broken by id.
    const all = Array.from(
      { length: 120 },
      (_, i) => `${["Acme", "acme", "Beta", "Gamma"][i % 4]} ${String(i).padStart(3, "0")}`,
    );
    await insertCompanies(owner.tenantId, all);
    const byName = [...all].sort((a, b) =>
      a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
    );

    const asc = await allPages(owner.cookie, "/app/companies");
    expect(asc.pages).toBe(3);
    expect(asc.seen).toEqual(byName);
    const desc = await allPages(owner.cookie, "/app/companies?dir=desc");
    expect(desc.seen).toEqual([...byName].reverse());
    // insertCompanies gives later names later creation times and earlier update times.
    expect((await allPages(owner.cookie, "/app/companies?sort=created")).seen).toEqual(all);
    expect((await allPages(owner.cookie, "/app/companies?sort=created&dir=desc")).seen).toEqual([...all].reverse());
    expect((await allPages(owner.cookie, "/app/companies?sort=updated")).seen).toEqual([...all].reverse());
    // A cursor that is not ours starts at the beginning rather than failing.
    expect(names(await page("/app/companies?cursor=%3Cscript%3E", owner.cookie))).toEqual(byName.slice(0, 50));
    expect(names(await page("/app/companies?sort=bogus&dir=sideways", owner.cookie))).toEqual(byName.slice(0, 50));
  });

  it("pages through names in any script: Polish, Czech, curly quotes, dashes, Cyrillic, Japanese, emoji", async () => {
    const owner = await newTenant("Names Co");
    const odd = ["Łukasiewicz SA", "Dvořák s.r.o.", "McDonald’s", "Acme – EU", "Газпром", "株式会社", "Cafe ☕"];
    const all = Array.from({ length: 105 }, (_, i) => `${odd[i % odd.length]} ${String(i).padStart(3, "0")}`);
    await insertCompanies(owner.tenantId, all);
    const seen = await allPages(owner.cookie, "/app/companies");
    expect(seen.pages).toBe(3);
    expect([...seen.seen].sort()).toEqual([...all].sort());
    expect((await allPages(owner.cookie, "/app/companies?dir=desc")).seen).toEqual([...seen.seen].reverse());
  });

  it("searches by name prefix on the name index, case-insensitively, and filters by tag", async () => {
    const owner = await newTenant("Search Co");
    await insertCompanies(owner.tenantId, ["Zeta One", "zebra two", "Zoo", "Alpha", "Ze", "Éclair"]);
    expect(names(await page("/app/companies?q=ze", owner.cookie))).toEqual(["Ze", "zebra two", "Zeta One"]);
    expect(names(await page("/app/companies?q=ZEB", owner.cookie))).toEqual(["zebra two"]);
    expect(names(await page("/app/companies?q=%C3%89c", owner.cookie))).toEqual(["Éclair"]);
    expect(names(await page("/app/companies?q=%25", owner.cookie))).toEqual([]);
    expect(names(await page("/app/companies?q=nothing", owner.cookie))).toEqual([]);
    expect(await page("/app/companies?q=nothing", owner.cookie)).toContain("No companies match.");

    const tag = await insertTag(owner.tenantId, "Hot", "red");
    const zoo = (await env.DB.prepare("SELECT id FROM companies WHERE name = 'Zoo'").first<{ id: number }>())!.id;
    await env.DB.prepare("INSERT INTO company_tags (tenant_id, company_id, tag_id) VALUES (?, ?, ?)")
      .bind(owner.tenantId, zoo, tag)
      .run();
    const tagged = await page(`/app/companies?tag=${tag}`, owner.cookie);
    expect(ids(tagged)).toEqual([zoo]);
    expect(tagged).toContain('<span class="tag tag-red">Hot</span>');

    // The search box asks htmx for the results region only.
    const res = await send("/app/companies?q=al", {
      cookie: owner.cookie,
      headers: { "HX-Request": "true", "HX-Target": "company-results" },
    });
    const fragment = await res.text();
    expect(fragment.startsWith('<section id="company-results"')).toBe(true);
    expect(names(fragment)).toEqual(["Alpha"]);
  });

  it("keeps the chosen sort while searching: the rows, the sort shown and every page's link", async () => {
    const owner = await newTenant("Search Sort Co");
    // insertCompanies gives later names earlier update times: by last update, the names come backwards.
    const acs = Array.from({ length: 60 }, (_, i) => `Acme ${String(i).padStart(2, "0")}`);
    await insertCompanies(owner.tenantId, ["Beta", ...acs, "Zeta"]);
    const first = await page("/app/companies?q=ac&sort=updated", owner.cookie);
    expect(first).toMatch(/<option value="updated" selected="">Last updated<\/option>/);
    expect(nextHref(first)).toContain("sort=updated");
    const seen = await allPages(owner.cookie, "/app/companies?q=ac&sort=updated");
    expect(seen).toEqual({ seen: [...acs].reverse(), pages: 2 });
    // A sort whose column may be empty (none of them was contacted): the order of the ids, newest first.
    expect((await allPages(owner.cookie, "/app/companies?q=ac&sort=contacted&dir=desc")).seen).toEqual(
      [...acs].reverse(),
    );
  });

  it("keeps a domain in any script as its ASCII form and shows it as written, unless its letters mix scripts", async () => {
    const owner = await newTenant("IDN Co");
    const munich = await createCompanyThroughForm(owner.cookie, {
      name: "Stadtwerke",
      domain: "www.MÜNCHEN.de/impressum",
    });
    // A Cyrillic "а" among Latin letters passes for apple.com: browsers show such a label in ASCII, and so do we.
    const fake = await createCompanyThroughForm(owner.cookie, { name: "Fruit", domain: "\u0430pple.com" });
    expect((await companyRow(munich))!.domain).toBe("xn--mnchen-3ya.de");
    const ascii = (await companyRow(fake))!.domain as string;
    expect(ascii).toMatch(/^xn--/);
    const html = await page("/app/companies", owner.cookie);
    const domains = [...html.matchAll(/<td data-label="Domain">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(domains).toEqual([ascii, "münchen.de"]);
    // The company's own page shows it as written too, and links to its ASCII form.
    const own = await page(`/app/companies/${munich}`, owner.cookie);
    expect(own).toContain('href="https://xn--mnchen-3ya.de"');
    expect(own).toMatch(/>\s*münchen\.de\s*<\/a>/);
  });

  it("never shows another tenant's companies", async () => {
    const a = await newTenant("List A");
    const b = await newTenant("List B");
    await insertCompanies(a.tenantId, ["Secret Alpha"]);
    await insertCompanies(b.tenantId, ["Public Beta"]);
    const html = await page("/app/companies?q=s", b.cookie);
    expect(html).not.toContain("Secret Alpha");
    expect(names(await page("/app/companies", b.cookie))).toEqual(["Public Beta"]);
  });
});
