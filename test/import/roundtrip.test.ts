/** Export → import into an empty tenant gives the same records; the Free plan's cap holds for imports. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ImportMessage } from "../../src/services/import/jobs";
import { runImportStep } from "../../src/services/import/steps";
import { countRows } from "../helpers/db";
import { send, statusOf, textOf } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { fixture, importFile, job, jobId, upload, waitFor } from "./helpers";

async function contactsOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    `SELECT c.first_name, c.last_name, c.job_title, c.company_name, c.address,
      (SELECT json_group_array(email) FROM (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY position)) AS emails,
      (SELECT json_group_array(phone) FROM (SELECT phone FROM contact_phones WHERE contact_id = c.id ORDER BY position)) AS phones,
      (SELECT json_group_array(name) FROM (SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id ORDER BY t.name)) AS tags,
      (SELECT json_group_array(f.name || '=' || v.value) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id AND f.entity = 'contact' WHERE v.entity_id = c.id AND v.tenant_id = c.tenant_id) AS custom
     FROM contacts c WHERE c.tenant_id = ? ORDER BY c.primary_email, c.first_name`,
  )
    .bind(tenantId)
    .all();
  return results;
}

async function companiesOf(tenantId: string) {
  const { results } = await env.DB.prepare(
    `SELECT co.name, co.domain, co.industry, co.size, co.phone, co.address,
      (SELECT json_group_array(name) FROM (SELECT t.name FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.company_id = co.id ORDER BY t.name)) AS tags
     FROM companies co WHERE co.tenant_id = ? ORDER BY co.name_sort, co.domain`,
  )
    .bind(tenantId)
    .all();
  return results;
}

async function addField(cookie: string) {
  const res = await send("/app/settings/fields", {
    cookie,
    form: { entity: "contact", name: "Renewal", kind: "date", options: "" },
  });
  expect(res.status).toBe(303);
}

describe("round trip", () => {
  it("the CSV exports of contacts and companies re-imported into an empty tenant give the same records", async () => {
    const a = await newTenant("Origin Co");
    await addField(a.cookie);
    await importFile(a.cookie, fixture("companies.csv"), { kind: "companies" });
    await importFile(a.cookie, fixture("google-contacts.csv"));
    await importFile(a.cookie, fixture("messy.csv"));
    // Values that need care: a formula, a tag with a comma, a custom date, several emails and phones.
    await importFile(
      a.cookie,
      'First name,Last name,Email,Email 2,Phone,Phone 2,Tags,Renewal,Address\nEdge,Case,edge@example.com,edge2@example.com,+1 202 555 0188,+44 20 7946 0018,"Partners, EU; VIP",2027-01-31,"=SUM(A1)\nSecond line"',
    );
    // A contact whose only tag has a comma (made on the form): the export must keep it one tag.
    expect(
      await statusOf("/app/contacts", {
        cookie: a.cookie,
        form: { first_name: "Lone", last_name: "Tag", new_tag: "Partners, EU" },
      }),
    ).toBe(303);
    const contactsCsv = await send("/app/export/contacts.csv", { cookie: a.cookie });
    const companiesCsv = await send("/app/export/companies.csv", { cookie: a.cookie });
    expect(contactsCsv.status).toBe(200);
    expect(companiesCsv.status).toBe(200);
    const contactsBytes = new Uint8Array(await contactsCsv.arrayBuffer());
    const companiesBytes = new Uint8Array(await companiesCsv.arrayBuffer());
    expect(new TextDecoder().decode(contactsBytes)).toContain("'=SUM(A1)");

    const b = await newTenant("Copy Co");
    await addField(b.cookie);
    const companies = await importFile(b.cookie, companiesBytes, { kind: "companies", name: "companies.csv" });
    expect(companies.preview.invalid_count).toBe(0);
    const contacts = await importFile(b.cookie, contactsBytes, { name: "contacts.csv" });
    expect(contacts.preview.invalid_count).toBe(0);
    expect(contacts.preview.duplicate_count).toBe(0);

    expect(await contactsOf(b.tenantId)).toEqual(await contactsOf(a.tenantId));
    expect(await companiesOf(b.tenantId)).toEqual(await companiesOf(a.tenantId));
  });
});

describe("the Free plan's contact limit", () => {
  it("stops an import whose chunk would pass the limit, writing nothing of that chunk", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, fixture("google-contacts.csv"));
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(40);
    const id = jobId(await upload(owner.cookie, fixture("hubspot.csv")));
    const preview = await waitFor(id, ["ready"]);
    expect(40 + preview.new_count).toBeGreaterThan(50);
    await env.DB.prepare("UPDATE import_jobs SET status = 'committing', chunks_done = 0, committed_at = ? WHERE id = ?")
      .bind(Date.now(), id)
      .run();
    // The commit step as the queue runs it, on a server whose Free plan holds 50 contacts.
    const stepEnv = { ...env, FREE_MAX_CONTACTS: "50", JOBS: { send: async () => undefined } } as unknown as typeof env;
    await runImportStep(
      stepEnv,
      { type: "import.commit", importId: id, tenantId: owner.tenantId } satisfies ImportMessage,
      Date.now(),
    );
    const row = await job(id);
    expect(row.status).toBe("failed");
    expect(row.message).toContain("The Free plan holds 50 contacts");
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(40);
    const counters = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ contacts: number }>();
    expect(counters!.contacts).toBe(40);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("The Free plan holds 50 contacts");

    // A paid plan has no cap: the same step goes through.
    await env.DB.prepare(
      "INSERT INTO tenant_billing (tenant_id, state, created_at, updated_at) VALUES (?, 'active', 0, 0)",
    )
      .bind(owner.tenantId)
      .run();
    await env.DB.prepare("UPDATE import_jobs SET status = 'committing' WHERE id = ?").bind(id).run();
    await runImportStep(stepEnv, { type: "import.commit", importId: id, tenantId: owner.tenantId }, Date.now());
    expect((await job(id)).status).toBe("done");
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(40 + preview.new_count);
  });
});

describe("the Free plan's contact limit under concurrent writes", () => {
  it("an import chunk and contact forms racing at the limit never pass it, and the counter stays exact", async () => {
    const owner = await newTenant();
    const limits = { FREE_MAX_CONTACTS: "6" };
    // 4 contacts first, then a 3-row import and 4 form posts race for the last 2 places.
    for (let i = 0; i < 4; i += 1)
      expect(
        (await send("/app/contacts", { cookie: owner.cookie, form: { first_name: `Early ${i}` }, env: limits })).status,
      ).toBe(303);
    const id = jobId(
      await upload(
        owner.cookie,
        "First name,Email\nAda,ada@example.com\nAlan,alan@example.com\nGrace,grace@example.com",
      ),
    );
    await waitFor(id, ["ready"]);
    await env.DB.prepare("UPDATE import_jobs SET status = 'committing', chunks_done = 0, committed_at = ? WHERE id = ?")
      .bind(Date.now(), id)
      .run();
    const stepEnv = { ...env, ...limits, JOBS: { send: async () => undefined } } as unknown as typeof env;
    const [, ...forms] = await Promise.all([
      runImportStep(stepEnv, { type: "import.commit", importId: id, tenantId: owner.tenantId }, Date.now()),
      ...Array.from({ length: 4 }, (_, i) =>
        send("/app/contacts", { cookie: owner.cookie, form: { first_name: `Racer ${i}` }, env: limits }),
      ),
    ]);
    const created = await countRows("contacts", "tenant_id = ?", owner.tenantId);
    expect(created).toBeLessThanOrEqual(6);
    const counters = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ contacts: number }>();
    expect(counters!.contacts).toBe(created);
    // The import (3 rows) cannot fit in 2 places: it stopped with the message, and wrote none of its rows.
    expect((await job(id)).status).toBe("failed");
    expect(await countRows("contacts", "tenant_id = ? AND primary_email IS NOT NULL", owner.tenantId)).toBe(0);
    expect(forms.filter((r) => r.status === 303)).toHaveLength(created - 4);
    // The job page offers the way out.
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain('href="/app/settings/billing"');
  });
});

describe("an import in a workspace that closes", () => {
  it("stops, and its page says the files are gone once retention removed them", async () => {
    const owner = await newTenant();
    const id = jobId(await upload(owner.cookie, "First name,Email\nAda,ada@example.com\nBad,not-an-email"));
    await waitFor(id, ["ready"]);
    await env.DB.prepare("UPDATE import_jobs SET status = 'committing', chunks_done = 0, committed_at = ? WHERE id = ?")
      .bind(Date.now(), id)
      .run();
    await env.DB.prepare("UPDATE tenants SET closed_at = ? WHERE id = ?").bind(Date.now(), owner.tenantId).run();
    await runImportStep(
      { ...env, JOBS: { send: async () => undefined } } as unknown as typeof env,
      { type: "import.commit", importId: id, tenantId: owner.tenantId },
      Date.now(),
    );
    expect(await job(id)).toMatchObject({
      status: "failed",
      message: "The workspace was closed, so the import stopped.",
    });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(0);

    await env.DB.prepare("UPDATE tenants SET closed_at = NULL WHERE id = ?").bind(owner.tenantId).run();
    await env.DB.prepare("UPDATE import_jobs SET files_deleted_at = ? WHERE id = ?").bind(Date.now(), id).run();
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("were deleted on");
    expect(page).not.toContain(`/app/import/${id}/errors.csv`);
    expect((await send(`/app/import/${id}/errors.csv`, { cookie: owner.cookie })).status).toBe(404);
  });
});
