/** Workspace settings through real requests: tags, custom fields, the default phone region and the name. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queryRows } from "../helpers/db";
import { send, statusOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { auditOf, companyRow, createCompanyThroughForm, fieldError, insertContact } from "../companies/helpers";

const page = async (path: string, cookie: string) => {
  const res = await send(path, { cookie });
  expect(res.status, path).toBe(200);
  return res.text();
};

async function tagsOf(tenantId: string) {
  return queryRows<{ id: number; name: string; color: string }>(
    "SELECT id, name, color FROM tags WHERE tenant_id = ? ORDER BY name_key",
    tenantId,
  );
}

async function fieldsOf(tenantId: string) {
  return queryRows<Record<string, unknown>>(
    "SELECT id, entity, name, kind, options FROM custom_fields WHERE tenant_id = ? ORDER BY id",
    tenantId,
  );
}

describe("tags", () => {
  it("an admin creates, renames, recolours and deletes tags, each change audited", async () => {
    const owner = await newTenant("Tags Co");
    const admin = await memberOf(owner.tenantId, "admin");
    const created = await send("/app/settings/tags", {
      cookie: admin.cookie,
      form: { name: "Customer", color: "green" },
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe("/app/settings/tags?notice=created");
    const [tag] = await tagsOf(owner.tenantId);
    expect(tag).toMatchObject({ name: "Customer", color: "green" });
    const list = await page("/app/settings/tags?notice=created", admin.cookie);
    expect(list).toContain("Tag created.");
    expect(list).toContain('<span class="tag tag-green">Customer</span>');
    expect(list).toContain(`<label for="tag-${tag!.id}-name">Name</label>`);
    expect(list).toContain('<a href="/app/settings/tags" aria-current="page">Tags</a>');

    expect(
      (await send(`/app/settings/tags/${tag!.id}`, { cookie: admin.cookie, form: { name: "Client", color: "teal" } }))
        .status,
    ).toBe(303);
    expect(await tagsOf(owner.tenantId)).toEqual([{ id: tag!.id, name: "Client", color: "teal" }]);

    // Deleting takes the tag off every company and contact that has it; the records stay.
    const company = await createCompanyThroughForm(owner.cookie, { name: "Tagged Co", tag_ids: String(tag!.id) });
    const contact = await insertContact(owner.tenantId, "Tagged", "Person");
    await env.DB.prepare("INSERT INTO contact_tags (tenant_id, contact_id, tag_id) VALUES (?, ?, ?)")
      .bind(owner.tenantId, contact, tag!.id)
      .run();
    const confirm = await page(`/app/settings/tags/${tag!.id}/delete`, admin.cookie);
    expect(confirm).toContain("Delete the tag Client?");
    expect((await send(`/app/settings/tags/${tag!.id}/delete`, { cookie: admin.cookie, form: {} })).status).toBe(303);
    expect(await tagsOf(owner.tenantId)).toEqual([]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM company_tags WHERE tag_id = ?").bind(tag!.id).first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM contact_tags WHERE tag_id = ?").bind(tag!.id).first("n"),
    ).toBe(0);
    expect(await companyRow(company)).not.toBeNull();

    expect((await auditOf(owner.tenantId, "tag.created")).map((e) => e.target_label)).toEqual(["Customer"]);
    expect((await auditOf(owner.tenantId, "tag.updated")).map((e) => e.target_label)).toEqual(["Client"]);
    expect((await auditOf(owner.tenantId, "tag.deleted")).map((e) => e.target_label)).toEqual(["Client"]);
  });

  it.each([
    [{ name: "", color: "blue" }, "f-name", "Enter name."],
    [{ name: "x".repeat(51), color: "blue" }, "f-name", "at most 50"],
    [{ name: "Fine", color: "chartreuse" }, "f-color", "Choose one of the colours."],
    [{ name: "Fine" }, "f-color", "Choose one of the colours."],
    [{ name: "vip", color: "red" }, "f-name", "already exists"],
    [{ name: "North; South", color: "red" }, "f-name", "cannot contain “;”"],
  ])("refuses %j with 422 beside the field, and creates nothing", async (form, field, message) => {
    const owner = await newTenant("Bad Tags");
    expect(
      (await send("/app/settings/tags", { cookie: owner.cookie, form: { name: "VIP", color: "blue" } })).status,
    ).toBe(303);
    const res = await send("/app/settings/tags", { cookie: owner.cookie, form: form as Record<string, string> });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), field)).toContain(message);
    expect(await tagsOf(owner.tenantId)).toHaveLength(1);
  });

  it("refuses renaming a tag to another tag's name, with the message beside that row's field", async () => {
    const owner = await newTenant("Rename Tags");
    for (const name of ["One", "Two"])
      await send("/app/settings/tags", { cookie: owner.cookie, form: { name, color: "blue" } });
    const [one] = await tagsOf(owner.tenantId);
    const res = await send(`/app/settings/tags/${one!.id}`, {
      cookie: owner.cookie,
      form: { name: "TWO", color: "blue" },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), `tag-${one!.id}-name`)).toContain("already exists");
    expect((await tagsOf(owner.tenantId)).map((t) => t.name)).toEqual(["One", "Two"]);
  });

  it("shows HTML in a tag name as text", async () => {
    const owner = await newTenant("Html Tags");
    await send("/app/settings/tags", { cookie: owner.cookie, form: { name: "<b>x</b>", color: "blue" } });
    const html = await page("/app/settings/tags", owner.cookie);
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<b>x</b>");
  });
});

describe("custom fields", () => {
  it("an admin creates fields that appear on the company form and page, and deleting one deletes its values", async () => {
    const owner = await newTenant("Fields Co");
    const admin = await memberOf(owner.tenantId, "admin");
    expect(
      await statusOf("/app/settings/fields", {
        cookie: admin.cookie,
        form: { entity: "company", name: "Tier", kind: "select", options: "Gold\r\n\r\n  Silver \nGold\n" },
      }),
    ).toBe(303);
    expect(
      await statusOf("/app/settings/fields", {
        cookie: admin.cookie,
        form: { entity: "company", name: "Website", kind: "url", options: "ignored" },
      }),
    ).toBe(303);
    expect(
      await statusOf("/app/settings/fields", {
        cookie: admin.cookie,
        form: { entity: "contact", name: "Tier", kind: "text" },
      }),
    ).toBe(303);
    const fields = await fieldsOf(owner.tenantId);
    expect(fields.map(({ id: _id, ...f }) => f)).toEqual([
      { entity: "company", name: "Tier", kind: "select", options: '["Gold","Silver"]' },
      { entity: "company", name: "Website", kind: "url", options: null },
      { entity: "contact", name: "Tier", kind: "text", options: null },
    ]);
    const [tier, website] = fields as { id: number }[];
    const list = await page("/app/settings/fields", admin.cookie);
    expect(list).toContain("Choice from a list");
    expect(list).toContain("Gold, Silver");

    const form = await page("/app/companies/new", owner.cookie);
    expect(form).toContain(`<label for="f-cf_${tier!.id}">Tier</label>`);
    expect(form).toContain(`<option value="Silver">Silver</option>`);
    // A text box with the URL keyboard: the browser's type="url" would refuse "valued.example", which we take.
    expect(form).toContain(`<input id="f-cf_${website!.id}" name="cf_${website!.id}" type="text"`);

    const company = await createCompanyThroughForm(owner.cookie, {
      name: "Valued",
      [`cf_${tier!.id}`]: "Silver",
      [`cf_${website!.id}`]: "https://valued.example/",
    });
    expect(await page(`/app/companies/${company}`, owner.cookie)).toContain("Silver");
    // Typed without https://, stored with it; another scheme is refused with the message by the field.
    const typed = await createCompanyThroughForm(owner.cookie, {
      name: "Typed",
      [`cf_${website!.id}`]: "typed.example/about",
    });
    expect(await page(`/app/companies/${typed}`, owner.cookie)).toContain("https://typed.example/about");
    const scheme = await send("/app/companies", {
      cookie: owner.cookie,
      form: { name: "Scheme", [`cf_${website!.id}`]: "javascript:alert(1)" },
    });
    expect(scheme.status).toBe(422);
    expect(await scheme.text()).toContain("must be a web address, such as example.com");
    expect(
      (await send("/app/companies", { cookie: owner.cookie, form: { name: "Bad", [`cf_${tier!.id}`]: "Bronze" } }))
        .status,
    ).toBe(422);

    expect(await page(`/app/settings/fields/${tier!.id}/delete`, admin.cookie)).toContain("Delete the field Tier?");
    expect((await send(`/app/settings/fields/${tier!.id}/delete`, { cookie: admin.cookie, form: {} })).status).toBe(
      303,
    );
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM custom_field_values WHERE field_id = ?")
        .bind(tier!.id)
        .first("n"),
    ).toBe(0);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM custom_field_values WHERE field_id = ?")
        .bind(website!.id)
        .first("n"),
    ).toBe(2); // Valued's and Typed's websites stay
    expect(await page(`/app/companies/${company}`, owner.cookie)).not.toContain("Silver");
    expect((await auditOf(owner.tenantId, "custom_field.created")).length).toBe(3);
    expect((await auditOf(owner.tenantId, "custom_field.deleted")).map((e) => e.target_label)).toEqual(["Tier"]);
  });

  it.each([
    [{ entity: "company", name: "Choice", kind: "select", options: "" }, "f-options", "at least one option"],
    [{ entity: "company", name: "Choice", kind: "select", options: " \n \n" }, "f-options", "at least one option"],
    [
      {
        entity: "company",
        name: "Choice",
        kind: "select",
        options: Array.from({ length: 51 }, (_, i) => `o${i}`).join("\n"),
      },
      "f-options",
      "At most 50 options",
    ],
    [
      { entity: "company", name: "Choice", kind: "select", options: "x".repeat(101) },
      "f-options",
      "at most 100 characters",
    ],
    [{ entity: "company", name: "", kind: "text" }, "f-name", "Enter name."],
    [{ entity: "company", name: "n".repeat(61), kind: "text" }, "f-name", "at most 60"],
    [{ entity: "task", name: "Fine", kind: "text" }, "f-entity", "contacts, companies or deals"],
    [{ entity: "company", name: "Fine", kind: "script" }, "f-kind", "Choose one of the kinds."],
    [{ entity: "company", name: "EXISTING", kind: "number" }, "f-name", "already exists"],
    // Built-in columns of the export and import: a field of that name would make two such columns.
    [{ entity: "contact", name: " email ", kind: "text" }, "f-name", "“Email” is already a contact column"],
    [{ entity: "contact", name: "Tags", kind: "text" }, "f-name", "“Tags” is already a contact column"],
    [{ entity: "company", name: "Domain", kind: "text" }, "f-name", "“Domain” is already a company column"],
  ])("refuses %j with 422 beside the field, and creates nothing", async (form, field, message) => {
    const owner = await newTenant("Bad Fields");
    expect(
      await statusOf("/app/settings/fields", {
        cookie: owner.cookie,
        form: { entity: "company", name: "Existing", kind: "text" },
      }),
    ).toBe(303);
    const res = await send("/app/settings/fields", { cookie: owner.cookie, form });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), field)).toContain(message);
    expect(await fieldsOf(owner.tenantId)).toHaveLength(1);
  });
});

describe("the workspace page", () => {
  it("puts a new field after every field there is, whenever it was made", async () => {
    const owner = await newTenant("Fields Order Co");
    // A field made before a new one: its place is the highest a field has had (creation times once gave places).
    await env.DB.prepare(
      "INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES (?, 'contact', 'Older', 'older', 'text', 999999999, 0)",
    )
      .bind(owner.tenantId)
      .run();
    for (const name of ["Newer", "Newest"])
      expect(
        await statusOf("/app/settings/fields", {
          cookie: owner.cookie,
          form: { entity: "contact", name, kind: "text" },
        }),
      ).toBe(303);
    const form = await page("/app/contacts/new", owner.cookie);
    const at = (label: string) => form.indexOf(`>${label}<`);
    expect(at("Older")).toBeGreaterThan(0);
    expect(at("Older")).toBeLessThan(at("Newer"));
    expect(at("Newer")).toBeLessThan(at("Newest"));
  });

  it("the default region decides how national phone numbers are read", async () => {
    const owner = await newTenant("Region Co");
    const london = "020 7946 0018";
    const refused = await send("/app/companies", { cookie: owner.cookie, form: { name: "London Ltd", phone: london } });
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), "f-phone")).toContain("not a valid phone number");

    const settings = await page("/app/settings/workspace", owner.cookie);
    expect(settings).toContain('<option value="US" selected="">');
    expect(settings).toContain("United Kingdom (GB)");
    const res = await send("/app/settings/workspace", {
      cookie: owner.cookie,
      form: { default_region: "GB", company_name: "Region Co" },
    });
    expect(res.status).toBe(303);
    expect(await page("/app/settings/workspace?notice=saved", owner.cookie)).toContain(
      '<option value="GB" selected="">',
    );
    const form = await page("/app/companies/new", owner.cookie);
    expect(form).toContain("read as GB numbers");
    const id = await createCompanyThroughForm(owner.cookie, { name: "London Ltd", phone: london });
    expect((await companyRow(id))!.phone).toBe("+442079460018");
    // Numbers with a country code are read the same whatever the region.
    const us = await createCompanyThroughForm(owner.cookie, { name: "US Inc", phone: "+1 415 555 0123" });
    expect((await companyRow(us))!.phone).toBe("+14155550123");
    const audit = await auditOf(owner.tenantId, "workspace.updated");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail as string)).toEqual({ default_region: "US → GB" });
  });

  it("the owner renames the workspace; an admin can change the region but not the name", async () => {
    const owner = await newTenant("Named Co");
    const admin = await memberOf(owner.tenantId, "admin");
    expect(await page("/app/settings/workspace", owner.cookie)).toContain(
      '<label for="f-company_name">Company name</label>',
    );
    expect(await page("/app/settings/workspace", admin.cookie)).not.toContain("f-company_name");
    expect(
      await statusOf("/app/settings/workspace", {
        cookie: owner.cookie,
        form: { default_region: "US", company_name: "Renamed Co" },
      }),
    ).toBe(303);
    expect(await page("/app", owner.cookie)).toContain("Renamed Co");
    expect(
      await statusOf("/app/settings/workspace", {
        cookie: admin.cookie,
        form: { default_region: "DE", company_name: "Admin's Name" },
      }),
    ).toBe(303);
    const tenant = await env.DB.prepare("SELECT name, default_region FROM tenants WHERE id = ?")
      .bind(owner.tenantId)
      .first();
    expect(tenant).toEqual({ name: "Renamed Co", default_region: "DE" });
  });

  it.each([
    [{ default_region: "XX", company_name: "Fine" }, "f-default_region", "Choose a region from the list."],
    [{ default_region: "us", company_name: "Fine" }, "f-default_region", "Choose a region from the list."],
    [{ company_name: "Fine" }, "f-default_region", "Choose a region."],
    [{ default_region: "US", company_name: "" }, "f-company_name", "Enter company name."],
    [{ default_region: "US", company_name: "c".repeat(101) }, "f-company_name", "at most 100"],
  ])("refuses %j with 422 beside the field, and changes nothing", async (form, field, message) => {
    const owner = await newTenant("Bad Workspace");
    const res = await send("/app/settings/workspace", { cookie: owner.cookie, form });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), field)).toContain(message);
    expect(
      await env.DB.prepare("SELECT name, default_region FROM tenants WHERE id = ?").bind(owner.tenantId).first(),
    ).toEqual({ name: "Bad Workspace", default_region: "US" });
  });

  it("shows the workspace tabs to admins and owners only", async () => {
    const owner = await newTenant("Tabs Co");
    const member = await memberOf(owner.tenantId, "member");
    const profileAsOwner = await page("/app/settings/profile", owner.cookie);
    for (const tab of ["/app/settings/workspace", "/app/settings/tags", "/app/settings/fields"])
      expect(profileAsOwner).toContain(`href="${tab}"`);
    const profileAsMember = await page("/app/settings/profile", member.cookie);
    for (const tab of ["/app/settings/workspace", "/app/settings/tags", "/app/settings/fields"])
      expect(profileAsMember).not.toContain(`href="${tab}"`);
  });
});
