/**
 * The timeline reads as a person would say it: each changed field by the label the user knows (a
 * custom field by its name), values as they were typed (phones formatted as on the page, a ticked box
 * as "yes"), additions as additions, and an import named as the import that made the change, never
 * as a field called "import".
 */
import { describe, expect, it } from "vitest";
import { textOf } from "../helpers/http";
import { createContact, insertCustomField, newTenant, post } from "../contacts/contact-helpers";
import { importFile } from "../import/helpers";

const timeline = async (path: string, cookie: string) => {
  const html = await textOf(path, { cookie });
  return html.match(/<section class="timeline[\s\S]*?<\/section>/)![0].replace(/\s+/g, " ");
};

describe("timeline entries", () => {
  it("name custom fields and show values as typed after an edit", async () => {
    const t = await newTenant("Timeline Words Co");
    const budget = await insertCustomField(t.tenantId, "Budget", "number");
    const vip = await insertCustomField(t.tenantId, "Key account", "checkbox");
    const id = await createContact(t.cookie, { first_name: "Hedy", last_name: "Lamarr", emails: "hedy@example.com" });
    const res = await post(`/app/contacts/${id}`, t.cookie, {
      first_name: "Hedy",
      last_name: "Lamarr",
      emails: "hedy@example.com",
      phones: "+44 20 7946 0958",
      [`cf_${budget}`]: "5000",
      [`cf_${vip}`]: "on",
    });
    expect(res.status).toBe(303);
    const text = await timeline(`/app/contacts/${id}`, t.cookie);
    expect(text).toContain("set phone numbers to <q>+44 20 7946 0958</q>");
    expect(text).toContain("set Budget to <q>5000</q>");
    expect(text).toContain("set Key account to <q>yes</q>");
    expect(text).not.toContain("a custom field");
    expect(text).not.toContain("+442079460958");
    expect(text).not.toContain("(empty)");
  });

  it("say what an import added or changed, and link the import instead of calling it a field", async () => {
    const t = await newTenant("Timeline Import Co");
    const tier = await insertCustomField(t.tenantId, "Tier", "text");
    const id = await createContact(t.cookie, {
      first_name: "Grace",
      last_name: "Hopper",
      emails: "grace@example.com",
      job_title: "Engineer",
    });
    const csv =
      "First name,Last name,Email,Email 2,Job title,Tags,Tier\nGrace,Hopper,grace@example.com,grace@navy.example,Rear Admiral,Navy,Gold\n";
    const { id: importId, result } = await importFile(t.cookie, csv);
    expect(result.updated_count).toBe(1);
    const text = await timeline(`/app/contacts/${id}`, t.cookie);
    expect(text).toContain("changed job title from <q>Engineer</q> to <q>Rear Admiral</q>");
    expect(text).toContain("added email addresses <q>grace@navy.example</q>");
    expect(text).toContain("added tags <q>Navy</q>");
    expect(text).toContain("set Tier to <q>Gold</q>");
    expect(text).toContain(`through an <a href="/app/import/${importId}">import</a>`);
    expect(text).not.toMatch(/changed import from/);
    expect(tier).toBeGreaterThan(0);
  });
});
