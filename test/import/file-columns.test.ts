/**
 * Columns real exports carry beside the ones we read: Outlook's display name next to the address, HubSpot's
 * two company columns, and company websites on a social network or other shared host.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile } from "./helpers";

async function contactsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT first_name, last_name, primary_email, company_name, job_title FROM contacts WHERE tenant_id = ? ORDER BY id",
  )
    .bind(tenantId)
    .all();
  return results;
}

async function companiesOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    "SELECT name, domain, industry FROM companies WHERE tenant_id = ? ORDER BY id",
  )
    .bind(tenantId)
    .all();
  return results;
}

describe("email-like columns that hold no address", () => {
  it("Outlook desktop's E-mail Display Name column is left out, and its rows import with the E-mail Address", async () => {
    const owner = await newTenant();
    const { preview, result } = await importFile(
      owner.cookie,
      "First Name,Last Name,E-mail Address,E-mail Type,E-mail Display Name,Company\r\n" +
        "Grace,Nowak,gnowak@stark.example,SMTP,Grace Nowak (gnowak@stark.example),Stark Industries\r\n" +
        "Vivek,Chen,vchen@wayne.example,SMTP,Vivek Chen (vchen@wayne.example),Wayne Enterprises\r\n",
      { name: "outlook-desktop.csv" },
    );
    expect(preview).toMatchObject({ invalid_count: 0, new_count: 2 });
    expect(result).toMatchObject({ status: "done", created_count: 2 });
    expect(JSON.parse(preview.mapping!)).toEqual(["first_name", "last_name", "email", "", "", "company"]);
    expect(await contactsOf(owner.tenantId)).toEqual([
      expect.objectContaining({ first_name: "Grace", primary_email: "gnowak@stark.example" }),
      expect.objectContaining({ first_name: "Vivek", primary_email: "vchen@wayne.example" }),
    ]);
  });

  it("HubSpot's Email Domain, unsubscribe and bounce columns are left out", async () => {
    const owner = await newTenant();
    const { preview, result } = await importFile(
      owner.cookie,
      "First Name,Last Name,Email,Email Domain,Unsubscribed from all email,Email hard bounce reason\n" +
        "Yara,Kierkegaard,yara@piedpiper.example,piedpiper.example,false,\n" +
        "Ole,Nordmann,ole@hooli.example,hooli.example,true,Mailbox full\n",
      { name: "hubspot.csv" },
    );
    expect(preview).toMatchObject({ invalid_count: 0, new_count: 2 });
    expect(result).toMatchObject({ status: "done", created_count: 2 });
    expect((await contactsOf(owner.tenantId)).map((c) => c.primary_email)).toEqual([
      "yara@piedpiper.example",
      "ole@hooli.example",
    ]);
  });
});

describe("an address two people share", () => {
  it("is one person only when the names agree: another name on info@ is skipped as such, not called a duplicate", async () => {
    const owner = await newTenant();
    const { id, preview } = await importFile(
      owner.cookie,
      "First name,Last name,Email\r\nJohn,Smith,info@acme.example\r\nJane,Doe,info@acme.example\r\nJohn,,info@acme.example\r\n",
      { name: "shared-address.csv" },
    );
    expect(preview).toMatchObject({ new_count: 1, duplicate_count: 1, invalid_count: 1 });
    const errors = (await (await send(`/app/import/${id}/errors.csv`, { cookie: owner.cookie })).text()).split("\r\n");
    expect(errors.find((l) => l.startsWith("2,"))).toContain("also on row 1, of another name");
    expect(errors.find((l) => l.startsWith("3,"))).toContain("Duplicate of row 1 (same email)");
  });
});

describe("a company named twice in one file", () => {
  it("once with its website and once without is one company, as a later import would read it", async () => {
    const owner = await newTenant();
    const { preview, result } = await importFile(
      owner.cookie,
      "Name,Website\r\nAcme,acme.example\r\nAcme,\r\nAcme,acme-eu.example\r\n",
      { kind: "companies", name: "companies.csv" },
    );
    // The third row, with a website of its own, is another company of that name.
    expect(preview).toMatchObject({ new_count: 2, duplicate_count: 1 });
    expect(result).toMatchObject({ status: "done", created_count: 2 });
    expect((await companiesOf(owner.tenantId)).map((c) => c.domain)).toEqual(["acme.example", "acme-eu.example"]);
  });
});

describe("two columns of one value", () => {
  it("HubSpot's Company Name and Associated Company give the company once, not twice", async () => {
    const owner = await newTenant();
    const { result } = await importFile(
      owner.cookie,
      "First Name,Last Name,Email,Company Name,Associated Company,Job Title,Position\n" +
        "Yara,Kierkegaard,yara@piedpiper.example,Pied Piper,Pied Piper,Engineer,Engineer\n" +
        "Ole,Nordmann,ole@hooli.example,,Hooli,,Product lead\n",
      { name: "hubspot.csv" },
    );
    expect(result).toMatchObject({ status: "done", created_count: 2 });
    expect(await contactsOf(owner.tenantId)).toEqual([
      expect.objectContaining({ first_name: "Yara", company_name: "Pied Piper", job_title: "Engineer" }),
      expect.objectContaining({ first_name: "Ole", company_name: "Hooli", job_title: "Product lead" }),
    ]);
    const names = (await companiesOf(owner.tenantId)).map((c) => c.name);
    expect(names).toEqual(["Pied Piper", "Hooli"]);
  });
});

describe("company websites on a shared host", () => {
  it("two bakeries with Facebook pages are both created, and importing again changes neither", async () => {
    const owner = await newTenant();
    const file =
      "Name,Website,Industry\n" +
      "Acme Bakery,https://www.facebook.com/acmebakery,Bakery\n" +
      "Corner Cafe,facebook.com/cornercafe,Cafe\n" +
      "Blue Door Studio,linkedin.com/company/bluedoor,Design\n";
    const first = await importFile(owner.cookie, file, { name: "companies.csv", kind: "companies" });
    expect(first.preview).toMatchObject({ duplicate_count: 0, new_count: 3 });
    expect(first.result).toMatchObject({ status: "done", created_count: 3 });
    const created = await companiesOf(owner.tenantId);
    expect(created).toEqual([
      { name: "Acme Bakery", domain: "facebook.com", industry: "Bakery" },
      { name: "Corner Cafe", domain: "facebook.com", industry: "Cafe" },
      { name: "Blue Door Studio", domain: "linkedin.com", industry: "Design" },
    ]);

    const again = await importFile(owner.cookie, file, { name: "companies.csv", kind: "companies" });
    expect(again.preview).toMatchObject({ new_count: 0, update_count: 0, unchanged_count: 3 });
    // Another business's page on the same network is a new company, not a rename of one that is there.
    const other = await importFile(
      owner.cookie,
      "Name,Website,Industry\nGreen Grocer,facebook.com/greengrocer,Grocery\n",
      {
        name: "companies.csv",
        kind: "companies",
      },
    );
    expect(other.result).toMatchObject({ status: "done", created_count: 1, updated_count: 0 });
    expect(await companiesOf(owner.tenantId)).toEqual([
      ...created,
      { name: "Green Grocer", domain: "facebook.com", industry: "Grocery" },
    ]);
  });
});
