/**
 * The contact form's company combobox: the options offer only the workspace's companies, "Create
 * company" only for a new name; creating one at once makes a real company (counter, activity) that
 * the contact form then takes; another workspace's company id posted with the contact is refused and
 * nothing is written.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { counters, createCompanyThroughForm, fieldError, insertCompanies } from "../companies/helpers";

const optionsOf = (html: string) =>
  [...html.matchAll(/<div role="option" tabindex="-1" id="([^"]+)"[^>]*>([^<]*)<\/div>/g)].map((m) => m[2]!.trim());

async function contactsOf(tenantId: string) {
  return (
    await env.DB.prepare("SELECT first_name, company_id, company_name FROM contacts WHERE tenant_id = ?")
      .bind(tenantId)
      .all<{ first_name: string; company_id: number | null; company_name: string | null }>()
  ).results;
}

describe("the company combobox", () => {
  it("finds the workspace's companies by part of the name, and never another workspace's", async () => {
    const t = await newTenant("Combo Co");
    const other = await newTenant("Other Combo");
    await createCompanyThroughForm(t.cookie, { name: "Hopper Industries" });
    await createCompanyThroughForm(t.cookie, { name: "Grasshopper Ltd" });
    await createCompanyThroughForm(other.cookie, { name: "Hopper Secret Corp" });
    const html = await textOf("/app/contacts/company-options?q=hopper", { cookie: t.cookie });
    // Names that start with what was typed come before those that hold it further in.
    expect(optionsOf(html)).toEqual(["Hopper Industries", "Grasshopper Ltd", "Create company “hopper”"]);
    expect(html).not.toContain("Secret");
    // An exact name (any case) is not offered for creation again.
    expect(optionsOf(await textOf("/app/contacts/company-options?q=grasshopper%20ltd", { cookie: t.cookie }))).toEqual([
      "Grasshopper Ltd",
    ]);
  });

  it("offers the company named exactly what was typed first, even when ten longer names sort before it", async () => {
    const t = await newTenant("Combo Exact");
    // Ten names holding "ace" that sort before "ace" itself, and one that starts with it.
    const before = Array.from({ length: 10 }, (_, i) => `Aaace ${String(i).padStart(2, "0")}`);
    await insertCompanies(t.tenantId, [...before, "Acer Labs", "Ace"]);
    const options = optionsOf(await textOf("/app/contacts/company-options?q=ace", { cookie: t.cookie }));
    expect(options).toEqual(["Ace", "Acer Labs", ...before.slice(0, 8)]);
    // Creating "ACE" from the combobox gives the Ace there is, not a second one.
    const ace = await env.DB.prepare("SELECT id FROM companies WHERE tenant_id = ? AND name = 'Ace'")
      .bind(t.tenantId)
      .first<number>("id");
    const res = await send("/app/contacts/company-options", { cookie: t.cookie, form: { name: "ACE" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: ace, name: "Ace" });
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM companies WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<{ n: number }>())!;
    expect(n).toBe(12);
  });

  it("escapes what was typed in the create option", async () => {
    const t = await newTenant("Combo Escape");
    const html = await textOf(`/app/contacts/company-options?q=${encodeURIComponent('<img src=x onerror="a()">')}`, {
      cookie: t.cookie,
    });
    expect(html).not.toContain("<img");
    expect(html).toContain("Create company “&lt;img src=x onerror=&quot;a()&quot;&gt;”");
  });

  it("creates a company at once, which the contact then belongs to", async () => {
    const t = await newTenant("Combo Create");
    const res = await send("/app/contacts/company-options", { cookie: t.cookie, form: { name: "  Babbage & Co " } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; name: string };
    expect(created.name).toBe("Babbage & Co");
    expect((await counters(t.tenantId)).companies).toBe(1);
    // Asking again for the same name gives the same company, not a second one.
    const again = await send("/app/contacts/company-options", { cookie: t.cookie, form: { name: "babbage & co" } });
    expect(((await again.json()) as { id: number }).id).toBe(created.id);
    expect((await counters(t.tenantId)).companies).toBe(1);

    const contact = await send("/app/contacts", {
      cookie: t.cookie,
      form: { first_name: "Ada", company_id: String(created.id) },
    });
    expect(contact.status).toBe(303);
    expect(await contactsOf(t.tenantId)).toEqual([
      { first_name: "Ada", company_id: created.id, company_name: "Babbage & Co" },
    ]);
  });

  it("refuses an empty name with a message and writes nothing; viewers may not create", async () => {
    const t = await newTenant("Combo Refuse");
    const res = await send("/app/contacts/company-options", { cookie: t.cookie, form: { name: "   " } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/name/i);
    const viewer = await memberOf(t.tenantId, "viewer");
    expect(
      (await send("/app/contacts/company-options", { cookie: viewer.cookie, form: { name: "Sneaky" } })).status,
    ).toBe(403);
    expect((await counters(t.tenantId)).companies).toBe(0);
  });

  it("refuses another workspace's company id posted with a contact: 422, the message by the field, nothing written", async () => {
    const t = await newTenant("Combo Guard");
    const other = await newTenant("Combo Victim");
    const theirs = await createCompanyThroughForm(other.cookie, { name: "Victim Corp" });
    const res = await send("/app/contacts", {
      cookie: t.cookie,
      form: { first_name: "Eve", company_id: String(theirs) },
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "f-company_id")).toBe("Choose a company from the list.");
    expect(await contactsOf(t.tenantId)).toEqual([]);
    expect(await contactsOf(other.tenantId)).toEqual([]);
  });

  it("keeps the plain select in the form for browsers without JavaScript", async () => {
    const t = await newTenant("Combo Plain");
    await createCompanyThroughForm(t.cookie, { name: "Plain Co" });
    const html = await textOf("/app/contacts/new", { cookie: t.cookie });
    expect(html).toMatch(/<div class="record-combobox" data-options="\/app\/contacts\/company-options"/);
    expect(html).toMatch(/<select id="f-company_id" name="company_id"/);
    expect(html).toContain(">Plain Co</option>");
  });
});
