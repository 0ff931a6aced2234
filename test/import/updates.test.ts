/**
 * What an import writes into records it matches, every kind of value at once (names filled in,
 * scalars, owner, company, emails, phones, tags, custom values, a note), what the timeline records
 * of it, and that undo returns every table to exactly its state before: for contacts and companies.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { importFile, snapshot, waitFor } from "./helpers";

/** Adds a custom field through the settings form; returns its id. */
async function addField(
  owner: { cookie: string; tenantId: string },
  entity: "contact" | "company",
  name: string,
  kind = "text",
) {
  const res = await send("/app/settings/fields", {
    cookie: owner.cookie,
    form: { entity, name, kind, options: "" },
  });
  expect(res.status).toBe(303);
  const row = await env.DB.prepare("SELECT id FROM custom_fields WHERE tenant_id = ? AND entity = ? AND name = ?")
    .bind(owner.tenantId, entity, name)
    .first<{ id: number }>();
  return row!.id;
}

/** The detail of the last timeline entry of a record. */
async function lastActivity(tenantId: string, type: "contact" | "company", id: number) {
  const row = await env.DB.prepare(
    "SELECT kind, detail FROM activities WHERE tenant_id = ? AND subject_type = ? AND subject_id = ? ORDER BY id DESC LIMIT 1",
  )
    .bind(tenantId, type, id)
    .first<{ kind: string; detail: string }>();
  return { kind: row!.kind, detail: JSON.parse(row!.detail) as Record<string, unknown> };
}

async function undo(cookie: string, id: string) {
  expect((await send(`/app/import/${id}/undo`, { cookie, form: {} })).status).toBe(303);
  const undone = await waitFor(id, ["undone"]);
  expect(JSON.parse(undone.undo_kept!)).toEqual({ total: 0, items: [] });
}

describe("an import that updates every kind of value", () => {
  it("contacts: writes them, records them on the timeline, and undo restores every table exactly", async () => {
    const owner = await newTenant();
    const shoe = await addField(owner, "contact", "Shoe size");
    const team = await addField(owner, "contact", "Team");
    await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title,Address,Company,Tags,Shoe size\n" +
        "Ada,,ada@example.com,Analyst,London,Old Co,Old tag,38\n" +
        "Alan,Turing,alan@example.com,Mathematician,,,,",
    );
    const before = await snapshot(owner.tenantId);
    const { id, result } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Phone,Job title,Address,Company,Tags,Notes,Owner,Shoe size,Team\n" +
        `Ada,Lovelace,ada@example.com; countess@example.com,+44 20 7946 0000,Countess,Marylebone,Analytical Engines,Pioneers,Wrote the first program,${owner.email},39,Engines\n` +
        `Grace,Hopper,grace@example.com,+1 202 555 0100,Admiral,Arlington,Navy,Pioneers,COBOL,${owner.email},40,Compilers`,
    );
    expect(result).toMatchObject({ created_count: 1, updated_count: 1 });

    const ada = await env.DB.prepare(
      `SELECT c.id, c.first_name, c.last_name, c.job_title, c.address, c.company_name, c.primary_email, c.primary_phone,
        u.email AS owner, co.name AS company
      FROM contacts c LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN companies co ON co.id = c.company_id
      WHERE c.tenant_id = ? AND c.first_name = 'Ada'`,
    )
      .bind(owner.tenantId)
      .first<Record<string, string | number>>();
    expect(ada).toMatchObject({
      last_name: "Lovelace",
      job_title: "Countess",
      address: "Marylebone",
      company_name: "Analytical Engines",
      company: "Analytical Engines",
      primary_email: "ada@example.com",
      primary_phone: "+442079460000",
      owner: owner.email,
    });
    const adaId = ada!.id as number;
    const list = async (query: string) =>
      (await env.DB.prepare(query).bind(owner.tenantId, adaId).all<{ v: string }>()).results.map((r) => r.v).sort();
    expect(await list("SELECT email AS v FROM contact_emails WHERE tenant_id = ? AND contact_id = ?")).toEqual([
      "ada@example.com",
      "countess@example.com",
    ]);
    expect(
      await list(
        "SELECT t.name AS v FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = ? AND ct.contact_id = ?",
      ),
    ).toEqual(["Old tag", "Pioneers"]);
    expect(await list("SELECT value AS v FROM custom_field_values WHERE tenant_id = ? AND entity_id = ?")).toEqual([
      "39",
      "Engines",
    ]);
    expect(
      await list("SELECT body AS v FROM notes WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ?"),
    ).toEqual(["Wrote the first program"]);
    expect(await lastActivity(owner.tenantId, "contact", adaId)).toEqual({
      kind: "updated",
      detail: {
        lastName: [null, "Lovelace"],
        jobTitle: ["Analyst", "Countess"],
        address: ["London", "Marylebone"],
        owner: [null, owner.email],
        company: ["Old Co", "Analytical Engines"],
        addedEmails: [null, "countess@example.com"],
        addedPhones: [null, "+442079460000"],
        addedTags: [null, "Pioneers"],
        [`cf_${shoe}`]: ["38", "39"],
        [`cf_${team}`]: [null, "Engines"],
        import: id,
      },
    });

    await undo(owner.cookie, id);
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });

  it("companies: writes them, renames the company on its contacts, and undo restores every table but the contacts' versions", async () => {
    const owner = await newTenant();
    const region = await addField(owner, "company", "Region");
    const tier = await addField(owner, "company", "Tier");
    await importFile(
      owner.cookie,
      "Name,Domain,Industry,Size,Address,Tags,Region\nInitech,initech.example,Software,51-200,Austin,Old tag,South",
      { kind: "companies" },
    );
    await importFile(owner.cookie, "First name,Last name,Email,Company\nPeter,Gibbons,peter@initech.example,Initech");
    const before = await snapshot(owner.tenantId);
    const { id, result } = await importFile(
      owner.cookie,
      "Name,Domain,Industry,Size,Phone,Address,Tags,Notes,Owner,Region,Tier\n" +
        `Initech Corp,initech.example,Consulting,1200,+1 202 555 0100,Dallas,Clients,Met at the fair,${owner.email},North,Gold\n` +
        `Globex,globex.example,Energy,5001+,,Cypress Creek,Clients,Volcano lair,${owner.email},West,Silver`,
      { kind: "companies" },
    );
    expect(result).toMatchObject({ created_count: 1, updated_count: 1 });

    const initech = await env.DB.prepare(
      `SELECT co.id, co.name, co.name_sort, co.domain, co.industry, co.size, co.phone, co.address, u.email AS owner
      FROM companies co LEFT JOIN users u ON u.id = co.owner_id WHERE co.tenant_id = ? AND co.domain = 'initech.example'`,
    )
      .bind(owner.tenantId)
      .first<Record<string, string | number>>();
    expect(initech).toMatchObject({
      name: "Initech Corp",
      name_sort: "initech corp",
      industry: "Consulting",
      size: "1001-5000",
      phone: "+12025550100",
      address: "Dallas",
      owner: owner.email,
    });
    const peter = await env.DB.prepare("SELECT company_name, company_sort FROM contacts WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first();
    expect(peter).toEqual({ company_name: "Initech Corp", company_sort: "initech corp" });
    const tags = await env.DB.prepare(
      "SELECT t.name FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.tenant_id = ? AND ct.company_id = ? ORDER BY t.name",
    )
      .bind(owner.tenantId, initech!.id)
      .all<{ name: string }>();
    expect(tags.results.map((t) => t.name)).toEqual(["Clients", "Old tag"]);
    expect(await lastActivity(owner.tenantId, "company", initech!.id as number)).toEqual({
      kind: "updated",
      detail: {
        name: ["Initech", "Initech Corp"],
        industry: ["Software", "Consulting"],
        size: ["51-200", "1001-5000"],
        phone: [null, "+12025550100"],
        address: ["Austin", "Dallas"],
        owner: [null, owner.email],
        addedTags: [null, "Clients"],
        [`cf_${region}`]: ["South", "North"],
        [`cf_${tier}`]: [null, "Gold"],
        import: id,
      },
    });
    const globex = await env.DB.prepare(
      `SELECT co.name, co.size, (SELECT body FROM notes n WHERE n.tenant_id = co.tenant_id AND n.subject_type = 'company'
        AND n.subject_id = co.id) AS note, (SELECT count(*) FROM custom_field_values v WHERE v.tenant_id = co.tenant_id
        AND v.entity_id = co.id AND v.field_id IN (?, ?)) AS custom
      FROM companies co WHERE co.tenant_id = ? AND co.domain = 'globex.example'`,
    )
      .bind(region, tier, owner.tenantId)
      .first();
    expect(globex).toEqual({ name: "Globex", size: "5001+", note: "Volcano lair", custom: 2 });

    await undo(owner.cookie, id);
    // Its contacts get their company's old name back as a newer version (an API sync reads them again).
    const after = await snapshot(owner.tenantId);
    const versions = (rows: unknown[]) => rows.map((r) => (r as { updated_at: number }).updated_at);
    const [was] = versions(before.contacts!);
    const [now] = versions(after.contacts!);
    expect(now).toBeGreaterThan(was!);
    const withoutVersions = (s: typeof before) => ({
      ...s,
      contacts: s.contacts!.map((r) => ({ ...(r as object), updated_at: 0 })),
    });
    expect(withoutVersions(after)).toEqual(withoutVersions(before));
  });

  it("a checkbox the file unticks is cleared, an empty cell leaves it, and undo ticks it again", async () => {
    const owner = await newTenant();
    const newsletter = await addField(owner, "contact", "Newsletter", "checkbox");
    const partner = await addField(owner, "company", "Partner", "checkbox");
    await importFile(
      owner.cookie,
      "First name,Email,Newsletter\nAda,ada@example.com,yes\nBob,bob@example.com,yes\nCy,cy@example.com,no\nDee,dee@example.com,1",
    );
    await importFile(owner.cookie, "Name,Domain,Partner\nInitech,initech.example,true", { kind: "companies" });
    const ticked = async () =>
      (
        await env.DB.prepare(
          `SELECT coalesce(c.first_name, co.name) || '=' || v.value AS v FROM custom_field_values v
            LEFT JOIN contacts c ON c.id = v.entity_id AND v.field_id = ?
            LEFT JOIN companies co ON co.id = v.entity_id AND v.field_id = ?
          WHERE v.tenant_id = ? ORDER BY v`,
        )
          .bind(newsletter, partner, owner.tenantId)
          .all<{ v: string }>()
      ).results.map((r) => r.v);
    expect(await ticked()).toEqual(["Ada=1", "Bob=1", "Dee=1", "Initech=1"]);
    const before = await snapshot(owner.tenantId);

    const { id, result } = await importFile(
      owner.cookie,
      "First name,Email,Newsletter\nAda,ada@example.com,no\nBob,bob@example.com,\nCy,cy@example.com,nein\nDee,dee@example.com,0",
    );
    expect(result).toMatchObject({ status: "done", updated_count: 2, unchanged_count: 2 });
    expect(await ticked()).toEqual(["Bob=1", "Initech=1"]);
    const ada = await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? AND first_name = 'Ada'")
      .bind(owner.tenantId)
      .first<{ id: number }>();
    expect(await lastActivity(owner.tenantId, "contact", ada!.id)).toEqual({
      kind: "updated",
      detail: { [`cf_${newsletter}`]: ["1", null], import: id },
    });
    const companies = await importFile(owner.cookie, "Name,Domain,Partner\nInitech,initech.example,FALSE", {
      kind: "companies",
    });
    expect(companies.result).toMatchObject({ status: "done", updated_count: 1 });
    expect(await ticked()).toEqual(["Bob=1"]);

    await undo(owner.cookie, companies.id);
    await undo(owner.cookie, id);
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });
});
