/** Contacts through real requests: the form, the page, the list, search, paging and bulk actions. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queryRows } from "../helpers/db";
import { expectToContainAll } from "../helpers/expect-html";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import {
  createContact,
  expectCountersExact,
  fieldError,
  insertCompany,
  insertContacts,
  insertCustomField,
  insertTag,
  listedIds,
  pagerHref,
  post,
  tenantState,
} from "./contact-helpers";

const HX_SEARCH = {
  "HX-Request": "true",
  "HX-Target": "contact-results",
  "HX-Current-URL": "http://localhost/app/contacts",
};

async function html(path: string, cookie: string, headers: Record<string, string> = {}) {
  const res = await send(path, { cookie, headers });
  expect(res.status, path).toBe(200);
  return res.text();
}

async function contactRow(id: number) {
  return env.DB.prepare("SELECT * FROM contacts WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

async function emailsOf(id: number) {
  return (
    await queryRows<{ email: string }>("SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY position", id)
  ).map((r) => r.email);
}

async function phonesOf(id: number) {
  return (
    await queryRows<{ phone: string }>("SELECT phone FROM contact_phones WHERE contact_id = ? ORDER BY position", id)
  ).map((r) => r.phone);
}

async function addNote(cookie: string, id: number, body: string) {
  const res = await post(`/app/contacts/${id}/notes`, cookie, { body });
  expect(res.status, "adding a note").toBeLessThan(400);
}

describe("creating, reading, editing and deleting", () => {
  it("creates a contact with every field, and its page shows them all", async () => {
    const t = await newTenant("Create Co");
    const company = await insertCompany(t.tenantId, "Analytical Engines");
    const vip = await insertTag(t.tenantId, "VIP", "purple");
    const budget = await insertCustomField(t.tenantId, "Budget", "number");
    const site = await insertCustomField(t.tenantId, "Website", "url");
    const res = await post("/app/contacts", t.cookie, {
      first_name: "  Ada ",
      last_name: "Lovelace",
      emails: ["  Ada@Example.COM ", "ada.work@engines.example", ""],
      phones: ["(415) 555-0123", "", "+44 20 7946 0958"],
      job_title: "Mathematician",
      company_id: String(company),
      address: "12 St James's Square\nLondon",
      tag_ids: String(vip),
      new_tag: "Pioneer",
      [`cf_${budget}`]: "1200.50",
      [`cf_${site}`]: "https://ada.example/notes",
    });
    expect(res.status).toBe(303);
    const id = Number(res.headers.get("Location")!.match(/^\/app\/contacts\/(\d+)$/)![1]);

    const row = (await contactRow(id))!;
    expect(row).toMatchObject({
      tenant_id: t.tenantId,
      first_name: "Ada",
      last_name: "Lovelace",
      name_sort: "lovelace ada",
      primary_email: "ada@example.com",
      primary_phone: "+14155550123",
      job_title: "Mathematician",
      company_id: company,
      company_name: "Analytical Engines",
      company_sort: "analytical engines",
      address: "12 St James's Square\nLondon",
    });
    expect(row.owner_id).toBe(row.created_by); // the creator owns it by default
    expect(await emailsOf(id)).toEqual(["ada@example.com", "ada.work@engines.example"]);
    expect(await phonesOf(id)).toEqual(["+14155550123", "+442079460958"]);
    const tagNames = (
      await env.DB.prepare(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name",
      )
        .bind(id)
        .all<{ name: string }>()
    ).results;
    expect(tagNames.map((r) => r.name)).toEqual(["Pioneer", "VIP"]);
    const values = (
      await env.DB.prepare(
        "SELECT field_id, value FROM custom_field_values WHERE entity_id = ? AND tenant_id = ? ORDER BY field_id",
      )
        .bind(id, t.tenantId)
        .all()
    ).results;
    expect(values).toEqual([
      { field_id: budget, value: "1200.5" },
      { field_id: site, value: "https://ada.example/notes" },
    ]);
    await expectCountersExact(t.tenantId);

    const page = await html(`/app/contacts/${id}`, t.cookie);
    expectToContainAll(page, [
      "<h1>Ada Lovelace</h1>",
      '<a href="mailto:ada@example.com">ada@example.com</a>',
      '<a href="mailto:ada.work@engines.example">ada.work@engines.example</a>',
      '<a href="tel:+14155550123">+1 415 555 0123</a>',
      '<a href="tel:+442079460958">+44 20 7946 0958</a>',
      `<a href="/app/companies/${company}">Analytical Engines</a>`,
    ]);
    expect(page).toMatch(/<span class="tag tag-purple">VIP<\/span>/);
    expectToContainAll(page, [
      "Pioneer",
      "<dt>Budget</dt><dd>1,200.5</dd>",
      'href="https://ada.example/notes" rel="noopener noreferrer nofollow ugc"',
      "12 St James&#39;s Square<br/>London",
    ]);
    expect(page).toContain(t.email); // the owner
    expect(page).toContain("created this record");
    // RecentBeacon: the view is recorded by app.js's POST, not by this GET.
    expect(page).toContain(`class="recent-beacon" data-recent-type="contact" data-recent-id="${id}"`);
    expect(page).toContain(`action="/app/contacts/${id}/notes"`); // the Timeline's note form
    expect(page).toContain(`href="/app/contacts/${id}/edit"`);
  });

  it("reads national numbers in the workspace's region, and in another region once it changes", async () => {
    const t = await newTenant("Phones Co");
    const us = await createContact(t.cookie, {
      first_name: "Grace",
      phones: ["(415) 555-0123", "415.555.0199", "+49 30 901820"],
    });
    expect(await phonesOf(us)).toEqual(["+14155550123", "+14155550199", "+4930901820"]);
    await env.DB.prepare("UPDATE tenants SET default_region = 'DE' WHERE id = ?").bind(t.tenantId).run();
    const de = await createContact(t.cookie, {
      first_name: "Hedy",
      phones: ["030 901820", "0151 23456789", "+1 415 555 0123"],
    });
    expect(await phonesOf(de)).toEqual(["+4930901820", "+4915123456789", "+14155550123"]);
    // The same digits now mean a German number.
    expect(await phonesOf(await createContact(t.cookie, { first_name: "Alan", phones: ["(415) 555-0123"] }))).toEqual([
      "+494155550123",
    ]);
    // A German mobile number without its country code is not a US number: the form says how to write it.
    await env.DB.prepare("UPDATE tenants SET default_region = 'US' WHERE id = ?").bind(t.tenantId).run();
    const res = await post("/app/contacts", t.cookie, { first_name: "Konrad", phones: ["0151 23456789"] });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-phones-0")).toContain(
      "Include the country code (like +44) for numbers outside US.",
    );
  });

  it("keeps up to five emails, trimmed, lower-cased and without repeats, the first as primary", async () => {
    const t = await newTenant("Emails Co");
    const id = await createContact(t.cookie, {
      last_name: "Hopper",
      emails: ["B@x.example", " a@x.example", "b@X.example", "c@x.example", "d@x.example", "e@x.example"],
    });
    expect(await emailsOf(id)).toEqual(["b@x.example", "a@x.example", "c@x.example", "d@x.example", "e@x.example"]);
    expect((await contactRow(id))!.primary_email).toBe("b@x.example");
    const six = await post("/app/contacts", t.cookie, {
      last_name: "Too many",
      emails: ["1@x.example", "2@x.example", "3@x.example", "4@x.example", "5@x.example", "6@x.example"],
    });
    expect(six.status).toBe(422);
    expect(fieldError(await six.text(), "f-emails")).toBe("Enter at most 5 email addresses.");
    // Only an email is enough to make a contact; its name is its address in the list.
    const onlyEmail = await createContact(t.cookie, { emails: ["someone@x.example"] });
    expect(listedIds(await html("/app/contacts", t.cookie))).toContain(onlyEmail);
    expect(await html(`/app/contacts/${onlyEmail}`, t.cookie)).toContain("<h1>someone@x.example</h1>");
  });

  it("edits a contact: only what changed is written, the timeline says what changed, search follows", async () => {
    const t = await newTenant("Edit Co");
    const acme = await insertCompany(t.tenantId, "Acme");
    const vip = await insertTag(t.tenantId, "VIP");
    const id = await createContact(t.cookie, {
      first_name: "Grace",
      last_name: "Brewster",
      emails: ["grace@x.example"],
      tag_ids: String(vip),
    });
    const form = await html(`/app/contacts/${id}/edit`, t.cookie);
    expect(form).toContain('value="Grace"');
    expect(form).toContain('value="grace@x.example"');
    const version = form.match(/name="version" value="(\d+)"/)![1]!;

    const res = await post(`/app/contacts/${id}`, t.cookie, {
      version,
      first_name: "Grace",
      last_name: "Hopper",
      emails: ["grace@x.example", "amazing@navy.example"],
      phones: [""],
      job_title: "Rear Admiral",
      company_id: String(acme),
      address: "",
      owner_id: "",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/app/contacts/${id}`);
    expect(await contactRow(id)).toMatchObject({
      last_name: "Hopper",
      name_sort: "hopper grace",
      job_title: "Rear Admiral",
      company_name: "Acme",
      company_sort: "acme",
      owner_id: null,
    });
    expect(await emailsOf(id)).toEqual(["grace@x.example", "amazing@navy.example"]);
    // The tag box was not ticked, so the tag went.
    expect((await tenantState(t.tenantId)).contactTags).toEqual([]);
    const updated = await env.DB.prepare(
      "SELECT detail FROM activities WHERE subject_type = 'contact' AND subject_id = ? AND kind = 'updated'",
    )
      .bind(id)
      .first<{ detail: string }>();
    expect(JSON.parse(updated!.detail)).toEqual({
      lastName: ["Brewster", "Hopper"],
      jobTitle: [null, "Rear Admiral"],
      company: [null, "Acme"],
      owner: [t.email, null],
      emails: ["grace@x.example", "grace@x.example, amazing@navy.example"],
      tags: ["VIP", null],
    });
    const page = await html(`/app/contacts/${id}`, t.cookie);
    expect(page).toContain("changed last name from <q>Brewster</q> to <q>Hopper</q>");
    const found = await html("/app/contacts?q=hopp", t.cookie);
    expect(listedIds(found)).toEqual([id]);
    expect(listedIds(await html("/app/contacts?q=brewster", t.cookie))).toEqual([]);
    expect(listedIds(await html("/app/contacts?q=amazing", t.cookie))).toEqual([id]);

    // Saving the same values again writes nothing and adds no timeline entry.
    const before = await tenantState(t.tenantId);
    const same = await post(`/app/contacts/${id}`, t.cookie, {
      first_name: "Grace",
      last_name: "Hopper",
      emails: ["grace@x.example", "amazing@navy.example"],
      job_title: "Rear Admiral",
      company_id: String(acme),
      owner_id: "",
    });
    expect(same.status).toBe(303);
    expect(await tenantState(t.tenantId)).toEqual(before);
  });

  it("refuses a save based on an old version and writes nothing of it", async () => {
    const t = await newTenant("Versions Co");
    const id = await createContact(t.cookie, {
      first_name: "Katherine",
      last_name: "Johnson",
      emails: ["kj@x.example"],
    });
    const version = (await html(`/app/contacts/${id}/edit`, t.cookie)).match(/name="version" value="(\d+)"/)![1]!;
    // Someone else saves first.
    expect(
      (
        await post(`/app/contacts/${id}`, t.cookie, {
          version,
          first_name: "Katherine",
          last_name: "Goble",
          emails: ["kj@x.example"],
        })
      ).status,
    ).toBe(303);
    const before = await tenantState(t.tenantId);
    const stale = await post(`/app/contacts/${id}`, t.cookie, {
      version,
      first_name: "Kathy",
      last_name: "Johnson",
      emails: ["other@x.example"],
      phones: ["(415) 555-0100"],
    });
    expect(stale.status).toBe(409);
    const body = await stale.text();
    expect(body).toContain("Someone else saved changes to this contact");
    expect(body).toContain('value="Kathy"'); // what this user typed is kept in the form
    const newVersion = body.match(/name="version" value="(\d+)"/)![1]!;
    expect(newVersion).not.toBe(version);
    expect(await tenantState(t.tenantId)).toEqual(before);
    // Saving again from the refreshed form replaces the other change, deliberately.
    expect(
      (
        await post(`/app/contacts/${id}`, t.cookie, {
          version: newVersion,
          first_name: "Kathy",
          last_name: "Johnson",
          emails: ["kj@x.example"],
        })
      ).status,
    ).toBe(303);
    expect(await contactRow(id)).toMatchObject({ first_name: "Kathy", last_name: "Johnson" });
  });

  it("deletes a contact without JavaScript: a confirmation page, then a form post; everything of it goes", async () => {
    const t = await newTenant("Delete Co");
    const vip = await insertTag(t.tenantId, "VIP");
    const field = await insertCustomField(t.tenantId, "Shoe size", "number");
    const keep = await createContact(t.cookie, {
      first_name: "Keep",
      emails: ["keep@x.example"],
      tag_ids: String(vip),
      [`cf_${field}`]: "9",
    });
    const id = await createContact(t.cookie, {
      first_name: "Gone",
      emails: ["gone@x.example"],
      phones: ["(415) 555-0123"],
      tag_ids: String(vip),
      [`cf_${field}`]: "42",
    });
    await addNote(t.cookie, id, "A note about the one who goes");
    await addNote(t.cookie, keep, "A note about the one who stays");

    const confirm = await html(`/app/contacts/${id}/delete`, t.cookie);
    expect(confirm).toContain("Move Gone to the trash?");
    expect(confirm).toContain(`action="/app/contacts/${id}/delete"`);
    const res = await post(`/app/contacts/${id}/delete`, t.cookie, {});
    expect(res.status).toBe(303);
    const item = await env.DB.prepare("SELECT id FROM trash_items WHERE kind = 'contact' AND record_id = ?")
      .bind(id)
      .first<{ id: number }>();
    expect(res.headers.get("Location")).toBe(`/app/contacts?notice=deleted&trashed=${item!.id}`);
    expect(await html("/app/contacts?notice=deleted", t.cookie)).toContain("Contact moved to the trash.");

    const state = await tenantState(t.tenantId);
    expect(state.contacts.map((c) => c.id)).toEqual([keep]);
    for (const rows of [state.emails, state.phones, state.contactTags])
      expect(rows.every((r) => r.contact_id === keep)).toBe(true);
    expect(state.values.map((v) => v.entity_id)).toEqual([keep]);
    expect(state.notes.map((n) => n.subject_id)).toEqual([keep]);
    expect(state.activities.every((a) => a.subject_id === keep)).toBe(true);
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM contacts_fts WHERE rowid = ?").bind(id).first<{ n: number }>())!
        .n,
    ).toBe(0);
    await expectCountersExact(t.tenantId);
    const audit = await env.DB.prepare(
      "SELECT action, target_type, target_id, target_label FROM audit_log WHERE tenant_id = ? AND action = 'record.deleted'",
    )
      .bind(t.tenantId)
      .all();
    expect(audit.results).toEqual([
      { action: "record.deleted", target_type: "contact", target_id: String(id), target_label: `Contact #${id}` },
    ]);
    // Gone means gone: every route of it answers 404.
    for (const path of [`/app/contacts/${id}`, `/app/contacts/${id}/edit`, `/app/contacts/${id}/delete`])
      expect((await send(path, { cookie: t.cookie })).status, path).toBe(404);
    expect((await post(`/app/contacts/${id}/delete`, t.cookie, {})).status).toBe(404);
  });

  it("deletes with htmx: a list row becomes its Undo; the contact's page is sent to the list, which shows it", async () => {
    const t = await newTenant("Htmx Delete Co");
    const a = await createContact(t.cookie, { first_name: "Row" });
    const b = await createContact(t.cookie, { first_name: "Page" });
    const fromRow = await send(`/app/contacts/${a}`, {
      method: "DELETE",
      cookie: t.cookie,
      headers: { "HX-Request": "true", "HX-Target": `contact-${a}` },
    });
    expect(fromRow.status).toBe(200);
    const rowItem = await env.DB.prepare("SELECT id FROM trash_items WHERE kind = 'contact' AND record_id = ?")
      .bind(a)
      .first<{ id: number }>();
    const rowAnswer = await fromRow.text();
    expect(rowAnswer).toContain(`<tr id="contact-${a}" class="trashed-row">`);
    expect(rowAnswer).toContain(`action="/app/trash/${rowItem!.id}/restore"`);
    expect(fromRow.headers.get("HX-Redirect")).toBeNull();
    const fromPage = await send(`/app/contacts/${b}`, {
      method: "DELETE",
      cookie: t.cookie,
      headers: { "HX-Request": "true" },
    });
    expect(fromPage.status).toBe(200);
    expect(fromPage.headers.get("HX-Redirect")).toMatch(/^\/app\/contacts\?notice=deleted&trashed=\d+$/);
    expect((await tenantState(t.tenantId)).contacts).toEqual([]);
    await expectCountersExact(t.tenantId);
    expect(
      (await send(`/app/contacts/${a}`, { method: "DELETE", cookie: t.cookie, headers: { "HX-Request": "true" } }))
        .status,
    ).toBe(404);
  });

  it("creates a tag while tagging, or reuses one of the same name whatever its case", async () => {
    const t = await newTenant("Tagging Co");
    const existing = await insertTag(t.tenantId, "Customer", "green");
    const a = await createContact(t.cookie, { first_name: "A", new_tag: "customer" });
    const b = await createContact(t.cookie, { first_name: "B", new_tag: "Lead" });
    const state = await tenantState(t.tenantId);
    expect(state.tags.map((tag) => tag.name)).toEqual(["Customer", "Lead"]);
    const lead = state.tags.find((tag) => tag.name === "Lead")!.id;
    expect(state.contactTags.map((ct) => [ct.contact_id, ct.tag_id])).toEqual([
      [a, existing],
      [b, lead],
    ]);
  });
});

describe("the Free plan's contact limit", () => {
  it("refuses the contact past the limit with 402, the way past it, and what was typed; nothing is stored", async () => {
    const t = await newTenant("Limit Co");
    const limits = { FREE_MAX_CONTACTS: "2" };
    for (const name of ["One", "Two"])
      expect((await send("/app/contacts", { cookie: t.cookie, form: { first_name: name }, env: limits })).status).toBe(
        303,
      );
    const before = await tenantState(t.tenantId);
    const res = await send("/app/contacts", {
      cookie: t.cookie,
      form: { first_name: "Three", emails: "three@x.example" },
      env: limits,
    });
    expect(res.status).toBe(402);
    const body = await res.text();
    expect(body).toContain("The Free plan includes 2 contacts");
    expect(body).toContain('href="/app/settings/billing"'); // the owner is shown the upgrade
    expect(body).toContain('value="Three"');
    expect(await tenantState(t.tenantId)).toEqual(before);
    await expectCountersExact(t.tenantId);
  });
});

describe("duplicates", () => {
  it("warns about an existing email, names and links the contact, and creates only when asked", async () => {
    const t = await newTenant("Dupes Co");
    const ada = await createContact(t.cookie, { first_name: "Ada", last_name: "Lovelace", emails: ["ada@x.example"] });
    const before = await tenantState(t.tenantId);
    const form = { first_name: "Augusta", last_name: "King", emails: [" ADA@x.example "] };
    const res = await post("/app/contacts", t.cookie, form);
    expect(res.status).toBe(409);
    const body = await res.text();
    expectToContainAll(body, [
      "This contact may already exist",
      `<a href="/app/contacts/${ada}">Ada Lovelace</a>`,
      '<input type="hidden" name="allow_duplicate" value="1"/>',
      '<button type="submit">Create anyway</button>',
    ]);
    expect(body).toContain('value="Augusta"'); // what was typed stays
    expect(await tenantState(t.tenantId)).toEqual(before);

    const again = await post("/app/contacts", t.cookie, { ...form, allow_duplicate: "1" });
    expect(again.status).toBe(303);
    expect((await tenantState(t.tenantId)).contacts).toHaveLength(2);
    await expectCountersExact(t.tenantId);
  });

  it("warns about the same phone written another way", async () => {
    const t = await newTenant("Phone Dupes Co");
    const grace = await createContact(t.cookie, { first_name: "Grace", phones: ["+1 415 555 0123"] });
    const res = await post("/app/contacts", t.cookie, { first_name: "Other", phones: ["(415) 555-0123"] });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`<a href="/app/contacts/${grace}">Grace</a>`);
  });

  it("warns while the form is filled in (htmx fragment), without a page of its own", async () => {
    const t = await newTenant("Live Dupes Co");
    const id = await createContact(t.cookie, { first_name: "Linus", emails: ["linus@x.example"] });
    const res = await post(
      "/app/contacts/check-duplicates",
      t.cookie,
      { emails: ["LINUS@x.example", "not an email"], phones: ["bad"] },
      { "HX-Request": "true" },
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).not.toContain("<html");
    expect(body).toContain(`<a href="/app/contacts/${id}">Linus</a>`);
    const none = await post(
      "/app/contacts/check-duplicates",
      t.cookie,
      { emails: ["new@x.example"] },
      { "HX-Request": "true" },
    );
    expect(await none.text()).toBe("");
  });
});

describe("hostile input", () => {
  const SCRIPT = "<script>alert(1)</script>";
  const IMG = '"><img src=x onerror=alert(1)>';
  const SQL = "Robert'); DROP TABLE contacts;--";

  it("stores markup and SQL as text and always shows it escaped, in the list and on the page", async () => {
    const t = await newTenant("Hostile Co");
    const company = await insertCompany(t.tenantId, `${SCRIPT} Inc`);
    const field = await insertCustomField(t.tenantId, "Notes field", "text");
    const form = {
      first_name: SCRIPT,
      last_name: IMG,
      job_title: SQL,
      address: `${SCRIPT}\n${IMG}`,
      new_tag: `<b>${SCRIPT}</b>`,
      company_id: String(company),
      [`cf_${field}`]: `${IMG}${SQL}`,
      emails: ["safe@x.example"],
    };
    const id = await createContact(t.cookie, form);
    expect(await contactRow(id)).toMatchObject({
      first_name: SCRIPT,
      last_name: IMG,
      job_title: SQL,
      address: `${SCRIPT}\n${IMG}`,
    });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM contacts").first<{ n: number }>())!.n).toBeGreaterThan(0);
    await addNote(t.cookie, id, SCRIPT);

    for (const path of [
      `/app/contacts/${id}`,
      "/app/contacts",
      `/app/contacts/${id}/edit`,
      `/app/contacts/${id}/delete`,
      `/app/contacts?q=alert`,
    ]) {
      const page = await html(path, t.cookie);
      expect(page, path).not.toContain(SCRIPT);
      expect(page, path).not.toContain("<img src=x");
      expect(page, path).not.toContain("<b>");
      if (path !== `/app/contacts/${id}/delete`) expect(page, path).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
    const fragment = await textOf("/app/contacts?q=alert", { cookie: t.cookie, headers: HX_SEARCH });
    expect(fragment).not.toContain(SCRIPT);
    expect(listedIds(fragment)).toEqual([id]);
  });

  it.each([
    ["first name too long", { first_name: "a".repeat(101) }, "f-first_name", "at most 100"],
    ["last name too long", { first_name: "A", last_name: "b".repeat(101) }, "f-last_name", "at most 100"],
    ["job title too long", { first_name: "A", job_title: "c".repeat(151) }, "f-job_title", "at most 150"],
    ["address too long", { first_name: "A", address: "d".repeat(1001) }, "f-address", "at most 1000"],
    ["new tag too long", { first_name: "A", new_tag: "e".repeat(51) }, "f-new_tag", "at most 50"],
    [
      "no name and no email",
      { first_name: " ", last_name: "" },
      "f-first_name",
      "Enter a first or last name, or an email address.",
    ],
    [
      "an invalid email",
      { first_name: "A", emails: ["ok@x.example", "not-an-email"] },
      "f-emails-1",
      "like name@example.com",
    ],
    ["an email too long", { first_name: "A", emails: [`${"a".repeat(250)}@x.example`] }, "f-emails-0", "at most 254"],
    ["an invalid phone", { first_name: "A", phones: ["12"] }, "f-phones-0", "not a valid phone number"],
    ["a phone too long", { first_name: "A", phones: ["1".repeat(41)] }, "f-phones-0", "at most 40"],
    ["control characters", { first_name: "A\u0000B" }, "f-first_name", "characters we cannot store"],
    [
      "a company id that is not a number",
      { first_name: "A", company_id: "1 OR 1=1" },
      "f-company_id",
      "Choose a company",
    ],
    ["an owner who is not a member", { first_name: "A", owner_id: "nosuchuser" }, "f-owner_id", "Choose a member"],
    ["a company that does not exist", { first_name: "A", company_id: "999999999" }, "f-company_id", "Choose a company"],
  ])("refuses %s with 422, the message beside the field, and stores nothing", async (_label, form, field, message) => {
    const t = await newTenant("Bad Input Co");
    const before = await tenantState(t.tenantId);
    const res = await post("/app/contacts", t.cookie, form as Record<string, string | string[]>);
    expect(res.status).toBe(422);
    const body = await res.text();
    expect(fieldError(body, field)).toContain(message);
    expect(body).toContain('aria-invalid="true"');
    expect(await tenantState(t.tenantId)).toEqual(before);
  });

  it("refuses references to another workspace's company, tag, owner and custom field, and a field that does not exist", async () => {
    const t = await newTenant("Refs Co");
    const other = await newTenant("Other Refs Co");
    const otherCompany = await insertCompany(other.tenantId, "Their Company");
    const otherTag = await insertTag(other.tenantId, "Their Tag");
    const otherField = await insertCustomField(other.tenantId, "Their Field", "text");
    const ownerOfOther = (await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ?")
      .bind(other.tenantId)
      .first<{ user_id: string }>())!.user_id;
    const number = await insertCustomField(t.tenantId, "Score", "number");
    const before = await tenantState(t.tenantId);
    const otherBefore = await tenantState(other.tenantId);

    const cases: [Record<string, string | string[]>, (body: string) => void][] = [
      [
        { first_name: "A", company_id: String(otherCompany) },
        (b) => expect(fieldError(b, "f-company_id")).toContain("Choose a company"),
      ],
      [
        { first_name: "A", tag_ids: String(otherTag) },
        (b) => {
          expect(b).toContain('aria-describedby="f-tag_ids-error"');
          expect(b).toMatch(/<p class="field-error" id="f-tag_ids-error">Choose tags from the list.<\/p>/);
        },
      ],
      [
        { first_name: "A", owner_id: ownerOfOther },
        (b) => expect(fieldError(b, "f-owner_id")).toContain("Choose a member"),
      ],
      [
        { first_name: "A", [`cf_${otherField}`]: "x" },
        (b) => expect(b).toContain("The form named a custom field that does not exist."),
      ],
      [
        { first_name: "A", cf_999999999: "x" },
        (b) => expect(b).toContain("The form named a custom field that does not exist."),
      ],
      [
        { first_name: "A", [`cf_${number}`]: "twelve" },
        (b) => expect(fieldError(b, `f-cf_${number}`)).toBe("Score must be a number, such as 1,234.5."),
      ],
      [
        { first_name: "A", tag_ids: "abc" },
        (b) => expect(b).toContain('id="f-tag_ids-error">Choose tags from the list.'),
      ],
    ];
    for (const [form, check] of cases) {
      const res = await post("/app/contacts", t.cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(422);
      const body = await res.text();
      check(body);
      expect(body).not.toContain("Their Company");
      expect(body).not.toContain("Their Tag");
    }
    expect(await tenantState(t.tenantId)).toEqual(before);
    expect(await tenantState(other.tenantId)).toEqual(otherBefore);
  });
});

describe("the list", () => {
  it("pages by keyset, 50 at a time, forwards and back, in every sort order, without gaps or repeats", async () => {
    const t = await newTenant("Paging Co");
    await insertContacts(t.tenantId, 120);
    // Vary the other sort keys so each order differs from the id order.
    await env.DB.prepare(
      `UPDATE contacts SET company_name = 'Co ' || (id * 7 % 13), company_sort = 'co ' || (id * 7 % 13),
         updated_at = created_at + (id * 37 % 11) * 1000, last_activity_at = created_at - (id * 53 % 17) * 1000 WHERE tenant_id = ?`,
    )
      .bind(t.tenantId)
      .run();
    const orders: [string, string, string][] = [
      ["name", "asc", "name_sort ASC, id ASC"],
      ["name", "desc", "name_sort DESC, id DESC"],
      ["company", "asc", "company_sort ASC, id ASC"],
      ["company", "desc", "company_sort DESC, id DESC"],
      ["created", "desc", "created_at DESC, id DESC"],
      ["created", "asc", "created_at ASC, id ASC"],
      ["updated", "desc", "updated_at DESC, id DESC"],
      ["activity", "desc", "last_activity_at DESC, id DESC"],
      ["activity", "asc", "last_activity_at ASC, id ASC"],
    ];
    for (const [sort, dir, orderBy] of orders) {
      const expected = (
        await env.DB.prepare(`SELECT id FROM contacts WHERE tenant_id = ? ORDER BY ${orderBy}`)
          .bind(t.tenantId)
          .all<{ id: number }>()
      ).results.map((r) => r.id);
      const label = `${sort} ${dir}`;
      const first = await html(`/app/contacts?sort=${sort}&dir=${dir}`, t.cookie);
      expect(first, label).toContain("1–50 of 120"); // the counter, unfiltered
      expect(pagerHref(first, "prev"), label).toBeNull();
      const p1 = listedIds(first);
      const second = await html(pagerHref(first, "next")!, t.cookie);
      const p2 = listedIds(second);
      const third = await html(pagerHref(second, "next")!, t.cookie);
      const p3 = listedIds(third);
      // The range follows the pages (the offset rides in the URL; SQL pages by keyset).
      expect(second, label).toContain("51–100 of 120");
      expect(third, label).toContain("101–120 of 120");
      expect(pagerHref(third, "next"), label).toBeNull();
      expect([...p1, ...p2, ...p3], label).toEqual(expected);
      expect([p1.length, p2.length, p3.length], label).toEqual([50, 50, 20]);
      // Back from the last page: the middle page again, then the first, which has no "Previous".
      const back = await html(pagerHref(third, "prev")!, t.cookie);
      expect(listedIds(back), label).toEqual(p2);
      expect(back, label).toContain("51–100 of 120");
      const backAgain = await html(pagerHref(back, "prev")!, t.cookie);
      expect(listedIds(backAgain), label).toEqual(p1);
      expect(pagerHref(backAgain, "prev"), label).toBeNull();
    }
  });

  it("keeps its place when rows before the cursor are deleted, and ignores a cursor that was tampered with", async () => {
    const t = await newTenant("Cursor Co");
    await insertContacts(t.tenantId, 60);
    const first = await html("/app/contacts", t.cookie);
    const next = pagerHref(first, "next")!;
    const ids = listedIds(first);
    await env.DB.prepare("DELETE FROM contacts WHERE id IN (?, ?)").bind(ids[0], ids[1]).run();
    expect(listedIds(await html(next, t.cookie))).toHaveLength(10);
    for (const cursor of [
      "garbage",
      "eyJzIjoibmFtZSJ9",
      btoa(JSON.stringify({ s: "created", d: "desc", v: "x", i: 1 })),
      "A".repeat(2000),
    ]) {
      expect(listedIds(await html(`/app/contacts?cursor=${encodeURIComponent(cursor)}`, t.cookie)), cursor).toEqual(
        listedIds(await html("/app/contacts", t.cookie)),
      );
    }
  });

  it("filters by tag, company, owner and custom field value, and says how many it shows", async () => {
    const t = await newTenant("Filter Co");
    const member = await memberOf(t.tenantId, "member");
    const memberId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(member.email)
      .first<{ id: string }>())!.id;
    const vip = await insertTag(t.tenantId, "VIP");
    const acme = await insertCompany(t.tenantId, "Acme");
    const tier = await insertCustomField(t.tenantId, "Tier", "select", ["Gold", "Silver"]);
    const score = await insertCustomField(t.tenantId, "Score", "number");
    const a = await createContact(t.cookie, {
      first_name: "Alpha",
      tag_ids: String(vip),
      company_id: String(acme),
      [`cf_${tier}`]: "Gold",
      [`cf_${score}`]: "10",
    });
    const b = await createContact(t.cookie, {
      first_name: "Bravo",
      company_id: String(acme),
      owner_id: memberId,
      [`cf_${tier}`]: "Silver",
    });
    const c = await createContact(t.cookie, {
      first_name: "Charlie",
      tag_ids: String(vip),
      owner_id: memberId,
      [`cf_${score}`]: "10.0",
    });
    await createContact(t.cookie, { first_name: "Delta" });

    expect(listedIds(await html(`/app/contacts?tag=${vip}`, t.cookie))).toEqual([a, c]);
    const byCompany = await html(`/app/contacts?company=${acme}`, t.cookie);
    expect(listedIds(byCompany)).toEqual([a, b]);
    expect(byCompany).toContain("Company: <strong>Acme</strong>");
    expect(byCompany).toContain("1–2 of 2"); // a bounded count of what matches
    expect(byCompany).not.toContain("of 4");
    expect(listedIds(await html(`/app/contacts?owner=${memberId}`, t.cookie))).toEqual([b, c]);
    expect(listedIds(await html(`/app/contacts?cf_${tier}=Gold`, t.cookie))).toEqual([a]);
    // Numbers compare as the canonical value the field stores: 10, 10.0 and 1e1 are one value.
    expect(listedIds(await html(`/app/contacts?cf_${score}=1e1`, t.cookie))).toEqual([a, c]);
    expect(listedIds(await html(`/app/contacts?tag=${vip}&owner=${memberId}`, t.cookie))).toEqual([c]);
    expect(listedIds(await html(`/app/contacts?tag=${vip}&q=alp`, t.cookie))).toEqual([a]);
    expect(listedIds(await html(`/app/contacts?company=${acme}&sort=created&dir=desc`, t.cookie))).toEqual([b, a]);
    expect(await html("/app/contacts", t.cookie)).toContain("1–4 of 4");
  });

  it("searches by word beginnings of names, emails, phone digits, company names and note text", async () => {
    const t = await newTenant("Search Co");
    const engines = await insertCompany(t.tenantId, "Analytical Engines");
    const ada = await createContact(t.cookie, {
      first_name: "Zoë",
      last_name: "Lovelace",
      emails: ["countess@difference.example"],
      phones: ["(415) 555-0123"],
      company_id: String(engines),
    });
    const alan = await createContact(t.cookie, {
      first_name: "Alan",
      last_name: "Turing",
      emails: ["alan@bletchley.example"],
      phones: ["+44 20 7946 0958"],
    });
    await addNote(t.cookie, alan, "Discussed the Enigma machine over tea");

    const cases: [string, number[]][] = [
      ["lov", [ada]],
      ["zoe", [ada]], // accents do not matter
      ["LOVELACE", [ada]],
      ["countess", [ada]],
      ["difference.example", [ada]],
      ["bletch", [alan]],
      ["5550123", [ada]],
      ["415 555", [ada]],
      ["4155550123", [ada]],
      ["9460958", [alan]],
      ["0958", [alan]],
      ["analyt", [ada]],
      ["engines", [ada]],
      ["enigma", [alan]],
      ["tur eni", [alan]],
      ["nobody", []],
      ['" OR 1=1 --', []],
      ["*", [alan, ada]],
    ];
    // Without a chosen sort, matches come newest first (that order streams from the search index).
    for (const [q, expected] of cases) {
      const page = await html(`/app/contacts?q=${encodeURIComponent(q)}`, t.cookie);
      expect(listedIds(page), q).toEqual(
        q === "*" ? listedIds(await html("/app/contacts", t.cookie)) : [...expected].sort((a, b) => b - a),
      );
    }
    // A chosen sort applies to the matches.
    expect(listedIds(await html("/app/contacts?q=example&sort=name", t.cookie))).toEqual([ada, alan]);
    expect(listedIds(await html("/app/contacts?q=example", t.cookie))).toEqual([alan, ada]);
  });

  it("answers the search box with the results region only, and everything else with the full page", async () => {
    const t = await newTenant("Fragment Co");
    const id = await createContact(t.cookie, { first_name: "Margaret", last_name: "Hamilton" });
    const fragment = await textOf("/app/contacts?q=hamil&tag=&owner=&sort=name&dir=asc", {
      cookie: t.cookie,
      headers: HX_SEARCH,
    });
    expect(fragment).not.toContain("<html");
    expect(fragment).not.toContain('role="search"');
    expect(fragment).toContain("<title>Contacts · CustomerTrackr</title>");
    expect(listedIds(fragment)).toEqual([id]);
    const boosted = await textOf("/app/contacts?q=hamil", {
      cookie: t.cookie,
      headers: { ...HX_SEARCH, "HX-Boosted": "true" },
    });
    expect(boosted).toContain("<html");
    const page = await html("/app/contacts?q=hamil", t.cookie);
    // Works without JavaScript: a GET form with a submit button.
    expect(page).toMatch(/<form class="filter-bar" method="get" action="\/app\/contacts" role="search"/);
    expectToContainAll(page, [
      '<button type="submit" class="secondary">Search</button>',
      'hx-trigger="input changed delay:250ms, search"',
      'hx-push-url="true"',
      'value="hamil"',
      '<dialog id="shortcut-sheet"',
    ]);
  });

  it("shows viewers the list and pages without any way to change them", async () => {
    const t = await newTenant("Viewer Co");
    const id = await createContact(t.cookie, { first_name: "Read", last_name: "Only" });
    const viewer = await memberOf(t.tenantId, "viewer");
    const list = await html("/app/contacts", viewer.cookie);
    expect(listedIds(list)).toEqual([id]);
    expect(list).not.toContain('id="bulk-form"');
    expect(list).not.toContain("New contact");
    expect(list).not.toContain("hx-delete");
    const page = await html(`/app/contacts/${id}`, viewer.cookie);
    expect(page).not.toContain(`/app/contacts/${id}/edit`);
    expect(page).not.toContain("Add a note");
  });
});

describe("bulk actions", () => {
  it("adds and removes a tag on the selected contacts, with a timeline entry on each one changed", async () => {
    const t = await newTenant("Bulk Tag Co");
    const vip = await insertTag(t.tenantId, "VIP");
    const a = await createContact(t.cookie, { first_name: "A" });
    const b = await createContact(t.cookie, { first_name: "B", tag_ids: String(vip) });
    const c = await createContact(t.cookie, { first_name: "C" });
    const back = "/app/contacts?sort=created&dir=asc";
    const res = await post("/app/contacts/bulk", t.cookie, {
      action: "tag",
      tag_id: String(vip),
      ids: [String(a), String(b)],
      back,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/contacts?sort=created&dir=asc&notice=tagged&n=1");
    expect(await html(res.headers.get("Location")!, t.cookie)).toContain("Tag added to 1 contact.");
    expect((await tenantState(t.tenantId)).contactTags.map((r) => r.contact_id)).toEqual([a, b]);
    const tagged = await env.DB.prepare("SELECT subject_id FROM activities WHERE tenant_id = ? AND kind = 'tagged'")
      .bind(t.tenantId)
      .all<{ subject_id: number }>();
    expect(tagged.results.map((r) => r.subject_id)).toEqual([a]);

    const untag = await post("/app/contacts/bulk", t.cookie, {
      action: "untag",
      tag_id: String(vip),
      ids: [String(a), String(b), String(c)],
    });
    expect(untag.headers.get("Location")).toBe("/app/contacts?notice=untagged&n=2");
    expect((await tenantState(t.tenantId)).contactTags).toEqual([]);
    // The redirect never leaves the contacts list, whatever "back" says.
    for (const evil of [
      "https://evil.example/app/contacts",
      "//evil.example",
      "/app/settings/team",
      "/app/contacts/1",
    ]) {
      const r = await post("/app/contacts/bulk", t.cookie, {
        action: "tag",
        tag_id: String(vip),
        ids: String(a),
        back: evil,
      });
      expect(r.headers.get("Location"), evil).toMatch(/^\/app\/contacts\?notice=tagged&n=\d$/);
    }
  });

  it("deletes the selected contacts after a confirmation page, with their notes, in one go", async () => {
    const t = await newTenant("Bulk Delete Co");
    await insertContacts(t.tenantId, 130);
    const fields = [
      await insertCustomField(t.tenantId, "One", "text"),
      await insertCustomField(t.tenantId, "Two", "text"),
      await insertCustomField(t.tenantId, "Three", "text"),
    ];
    const ids = (
      await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? ORDER BY id")
        .bind(t.tenantId)
        .all<{ id: number }>()
    ).results.map((r) => r.id);
    // Every contact gets a value for every field and a note: the delete must chunk the value deletes.
    for (const f of fields) {
      await env.DB.prepare(
        "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, 'v' FROM contacts WHERE tenant_id = ?",
      )
        .bind(f, t.tenantId)
        .run();
    }
    await env.DB.prepare(
      "INSERT INTO notes (tenant_id, subject_type, subject_id, body, created_at, updated_at) SELECT tenant_id, 'contact', id, 'note ' || id, 1, 1 FROM contacts WHERE tenant_id = ?",
    )
      .bind(t.tenantId)
      .run();
    await env.DB.prepare("UPDATE tenant_counters SET notes = 130 WHERE tenant_id = ?").bind(t.tenantId).run();
    const doomed = ids.slice(0, 125).map(String);

    const confirm = await post("/app/contacts/bulk", t.cookie, {
      action: "delete",
      ids: doomed,
      back: "/app/contacts?sort=created",
    });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain("Move 125 contacts to the trash?");
    expect(page).toContain("and 105 more");
    expect((await tenantState(t.tenantId)).contacts).toHaveLength(130); // nothing yet

    const res = await post("/app/contacts/bulk", t.cookie, {
      action: "delete",
      confirm: "1",
      ids: doomed,
      back: "/app/contacts?sort=created",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app/contacts?sort=created&notice=bulk_deleted&n=125");
    const state = await tenantState(t.tenantId);
    expect(state.contacts.map((c) => c.id)).toEqual(ids.slice(125));
    expect(state.values).toHaveLength(15);
    expect(state.notes).toHaveLength(5);
    await expectCountersExact(t.tenantId);
    const audit = await env.DB.prepare(
      "SELECT target_label, detail FROM audit_log WHERE tenant_id = ? AND action = 'record.deleted'",
    )
      .bind(t.tenantId)
      .all<{ target_label: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]!.target_label).toBe("125 contacts (bulk)");
    expect(JSON.parse(audit.results[0]!.detail)).toMatchObject({ bulk: true, count: 125 });
  });

  it("refuses a selection it cannot carry out, and changes nothing", async () => {
    const t = await newTenant("Bulk Limits Co");
    const vip = await insertTag(t.tenantId, "VIP");
    await insertContacts(t.tenantId, 3);
    const before = await tenantState(t.tenantId);
    const many = Array.from({ length: 501 }, (_, i) => String(i + 1));
    const cases: [Record<string, string | string[]>, string][] = [
      [{ action: "delete", confirm: "1", ids: many }, "at most 500"],
      [{ action: "tag", tag_id: String(vip), ids: many }, "at most 500"],
      [{ action: "tag", tag_id: String(vip) }, "Select at least one contact"],
      [{ action: "tag", ids: "1" }, "Choose the tag"],
      [{ action: "tag", tag_id: "999999", ids: "1" }, "Choose a tag from the list"],
      [{ action: "explode", ids: "1" }, "Choose what to do"],
      [{ action: "delete", confirm: "1", ids: ["1", "x"] }, "could not be read"],
    ];
    for (const [form, message] of cases) {
      const res = await post("/app/contacts/bulk", t.cookie, form);
      expect(res.status, message).toBe(422);
      expect(await res.text(), message).toContain(message);
    }
    expect(await tenantState(t.tenantId)).toEqual(before);
  });
});
