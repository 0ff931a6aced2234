/**
 * Imports as a user runs them: upload through the form's POST, the real Queue consumer doing the
 * work in workerd, commit and undo through their POSTs, results read from the pages and the D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ImportMessage } from "../../src/services/import/jobs";
import { runImportStep } from "../../src/services/import/steps";
import { send, textOf } from "../helpers/http";
import { runCron } from "../helpers/cron";
import { countRows } from "../helpers/db";
import { newTenant } from "../helpers/tenants";
import { createDeal, pipelinesOf } from "../deals/helpers";
import { addTask } from "../tasks/helpers";
import { fixture, importFile, job, jobId, snapshot, upload, utf8, waitFor } from "./helpers";

const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as Record<
  string,
  Record<string, number | string | boolean>
>;

describe("the fixture exports", () => {
  for (const name of ["google-contacts.csv", "outlook.csv", "hubspot.csv"]) {
    it(`${name} imports with the counts expected.json gives`, async () => {
      const owner = await newTenant();
      const { preview, result } = await importFile(owner.cookie, fixture(name), { name });
      const want = expected[name]!;
      expect(preview.status).toBe("ready");
      expect(preview.new_count).toBe(want.valid);
      expect(preview.invalid_count).toBe(want.invalid);
      expect(preview.duplicate_count).toBe(want.duplicates_in_file);
      if (want.encoding) expect(preview.encoding).toBe(want.encoding);
      expect(result.status).toBe("done");
      expect(result.created_count).toBe(want.valid);
      expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(want.valid);
    });
  }

  it("reads Outlook's Windows-1252 file without mojibake, and Google's quoted newlines and labels", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, fixture("outlook.csv"), { name: "outlook.csv" });
    const names = await env.DB.prepare("SELECT first_name || ' ' || last_name AS n FROM contacts WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .all<{ n: string }>();
    const all = names.results.map((r) => r.n).join("|");
    expect(all).not.toMatch(/Ã|Â|\uFFFD/);
    expect(all).toMatch(/[éöüøñáíçß]/);

    const other = await newTenant();
    await importFile(other.cookie, fixture("google-contacts.csv"));
    const søren = await env.DB.prepare(
      "SELECT id, job_title, company_name, address, primary_phone FROM contacts WHERE tenant_id = ? AND first_name = 'Søren' AND last_name = 'Nakamura'",
    )
      .bind(other.tenantId)
      .first<{ id: number; job_title: string; company_name: string; address: string; primary_phone: string }>();
    expect(søren).toMatchObject({ job_title: "CTO", company_name: "Globex", primary_phone: "+442079460900" });
    expect(søren!.address).toContain("\n");
    // Imported contacts are in the search index with their emails, phones and notes.
    for (const q of ["snakamura0@globex", "2079460900", "Line one"]) {
      const found = await textOf(`/app/contacts?q=${encodeURIComponent(q)}`, { cookie: other.cookie });
      expect(found, q).toContain(`/app/contacts/${søren!.id}`);
    }
    const note = await env.DB.prepare(
      "SELECT body FROM notes WHERE tenant_id = ? AND subject_type = 'contact' AND subject_id = ?",
    )
      .bind(other.tenantId, søren!.id)
      .first<{ body: string }>();
    expect(note!.body).toBe("Line one\nline two, with a comma");
    // "* myContacts ::: Customers": Google's system label is dropped, the user's label becomes a tag.
    const tags = await env.DB.prepare("SELECT name FROM tags WHERE tenant_id = ?")
      .bind(other.tenantId)
      .all<{ name: string }>();
    expect(tags.results.map((t) => t.name)).toContain("Customers");
    expect(tags.results.map((t) => t.name)).not.toContain("* myContacts");
    // Companies named by the rows exist and are linked.
    expect(
      await countRows("contacts", "tenant_id = ? AND company_id IS NULL AND company_name IS NOT NULL", other.tenantId),
    ).toBe(0);
    expect(await countRows("companies", "tenant_id = ?", other.tenantId)).toBeGreaterThan(0);
  });

  it("messy.csv: semicolons, a BOM, duplicates in the file, invalid rows, a formula kept as text", async () => {
    const owner = await newTenant();
    const { preview, result } = await importFile(owner.cookie, fixture("messy.csv"), { name: "messy.csv" });
    const want = expected["messy.csv"]!;
    expect(preview.delimiter).toBe(want.delimiter);
    expect(preview.new_count).toBeGreaterThanOrEqual(want.new_at_least as number);
    expect(preview.new_count).toBeLessThanOrEqual(want.new_at_most as number);
    expect(preview.duplicate_count).toBe(want.duplicates_in_file);
    expect(preview.invalid_count).toBeGreaterThanOrEqual(want.invalid_at_least as number);
    expect(result.created_count).toBe(preview.new_count);
    // The BOM is not part of the first header: "Vorname" mapped to the first name.
    expect(JSON.parse(preview.mapping!)[0]).toBe("first_name");
    const formula = await env.DB.prepare(
      "SELECT company_name FROM contacts WHERE tenant_id = ? AND primary_email = 'formula@evil.example'",
    )
      .bind(owner.tenantId)
      .first<{ company_name: string }>();
    expect(formula!.company_name).toBe('=HYPERLINK("http://evil.example","x")');
    // "0049 30 …" is read as an international number.
    expect(await countRows("contact_phones", "tenant_id = ? AND phone = '+493012345602'", owner.tenantId)).toBe(1);
  });

  it("companies.csv matches on the normalised domain", async () => {
    const owner = await newTenant();
    const { preview, result } = await importFile(owner.cookie, fixture("companies.csv"), {
      name: "companies.csv",
      kind: "companies",
    });
    expect(preview.new_count).toBe(expected["companies.csv"]!.valid);
    expect(preview.duplicate_count).toBe(expected["companies.csv"]!.duplicates_in_file);
    expect(result.created_count).toBe(10);
    const initech = await env.DB.prepare("SELECT domain, size FROM companies WHERE tenant_id = ? AND name = 'Initech'")
      .bind(owner.tenantId)
      .first<{ domain: string; size: string }>();
    expect(initech).toEqual({ domain: "initech.example", size: "1001-5000" });
  });
});

describe("re-importing", () => {
  it("the same file again changes nothing", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, fixture("messy.csv"));
    const before = await snapshot(owner.tenantId);
    const again = await importFile(owner.cookie, fixture("messy.csv"));
    expect(again.preview.new_count).toBe(0);
    expect(again.preview.update_count).toBe(0);
    expect(again.preview.unchanged_count).toBe(before.contacts!.length);
    expect(again.result.created_count + again.result.updated_count).toBe(0);
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });

  it("rows with neither email nor phone match by name and company, in the file and on a second import", async () => {
    const owner = await newTenant();
    const file =
      "First name,Last name,Company\nAda,Lovelace,Analytical\nAda,Lovelace,Analytical\nAda,Lovelace,\nAlan,Turing,";
    const first = await importFile(owner.cookie, file);
    expect(first.preview).toMatchObject({ new_count: 3, duplicate_count: 1 });
    const before = await snapshot(owner.tenantId);
    const again = await importFile(owner.cookie, file);
    expect(again.preview).toMatchObject({ new_count: 0, unchanged_count: 3 });
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });

  it("a contacts file and then the companies file link up instead of duplicating companies", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, fixture("google-contacts.csv"));
    const companiesBefore = await countRows("companies", "tenant_id = ?", owner.tenantId);
    const { preview } = await importFile(owner.cookie, fixture("companies.csv"), { kind: "companies" });
    expect(preview.update_count).toBeGreaterThan(0);
    const after = await countRows("companies", "tenant_id = ?", owner.tenantId);
    expect(after).toBe(companiesBefore + preview.new_count);
  });
});

describe("bad rows and bad files", () => {
  it("a file with 10% broken rows imports the good 90% and offers the other 10% in the error file", async () => {
    const owner = await newTenant();
    const lines = ["First name,Last name,Email,Phone"];
    for (let i = 0; i < 100; i += 1) {
      if (i % 10 === 3) lines.push(`Bad${i},Email,not-an-email-${i},`);
      else if (i % 10 === 7 && i < 50) lines.push(`Ragged${i},Row,ragged${i}@example.com,+12025550100,extra`);
      else if (i % 10 === 7) lines.push(`Huge${i},${"x".repeat(20_000)},huge${i}@example.com,`);
      else lines.push(`Good${i},Person,good${i}@example.com,`);
    }
    const { id, preview, result } = await importFile(owner.cookie, lines.join("\r\n"));
    expect(preview.invalid_count).toBe(20);
    expect(result.created_count).toBe(80);
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(80);
    const errors = await send(`/app/import/${id}/errors.csv`, { cookie: owner.cookie });
    expect(errors.status).toBe(200);
    expect(errors.headers.get("Content-Disposition")).toMatch(/^attachment; filename="import-errors-[\d-]+\.csv"$/);
    expect(errors.headers.get("Cache-Control")).toContain("no-store");
    const text = (await errors.text()).replace(/^\uFEFF/, "");
    const rows = text.trim().split("\r\n");
    expect(rows[0]).toBe("Row,Reason,First name,Last name,Email,Phone");
    expect(rows).toHaveLength(21);
    expect(text).toContain("not an email address");
    expect(text).toContain("5 cells but the header has 4 columns");
    expect(text).toContain("at most 10000 are accepted");
    // The page offers the file.
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain(`/app/import/${id}/errors.csv`);
    expect(page).toContain("The first 10 skipped rows");
    expect(page).toMatch(
      /<td data-label="Row">4<\/td><td>“not-an-email-3” in column “Email” is not an email address\.<\/td>/,
    );
  });

  it("an empty, a binary and a 25 MB file are refused with a message, and nothing is written", async () => {
    const owner = await newTenant();
    const cases: [Uint8Array, number, RegExp][] = [
      [new Uint8Array(0), 400, /The file is empty/],
      [utf8("\n\n  \n"), 400, /The file is empty/],
      [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 400, /not a CSV file/],
      [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 400, /Excel/],
      [Uint8Array.from([0x41, 0x00, 0x42, 0x2c, 0x43]), 400, /not a text file/],
      [new Uint8Array(25 * 1024 * 1024).fill(0x41), 413, /larger than 20 MB/],
    ];
    for (const [bytes, status, message] of cases) {
      const res = await upload(owner.cookie, bytes);
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).toContain('id="f-file-error"');
    }
    expect(await countRows("import_jobs", "tenant_id = ?", owner.tenantId)).toBe(0);
    const stored = await env.FILES.list({ prefix: `imports/${owner.tenantId}/` });
    expect(stored.objects).toHaveLength(0);
  });

  it("UTF-8 chosen for a Windows-1252 file is refused rather than stored as mojibake", async () => {
    const owner = await newTenant();
    const res = await upload(owner.cookie, fixture("outlook.csv"), { encoding: "utf-8" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not valid UTF-8");
  });

  it("the form answers bad fields with messages by the field", async () => {
    const owner = await newTenant();
    const res = await upload(owner.cookie, "First name\nAda", { kind: "people", encoding: "ebcdic" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Choose what the file holds");
    expect(html).toMatch(/Choose the file(&#39;|')s encoding/);
    const noFile = await send("/app/import", { cookie: owner.cookie, form: { kind: "contacts", encoding: "auto" } });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Choose a CSV file to upload.");
  });
});

describe("mapping", () => {
  it("a column can be remapped (to a custom field and to tags) and the preview follows", async () => {
    const owner = await newTenant();
    const field = await send("/app/settings/fields", {
      cookie: owner.cookie,
      form: { entity: "contact", name: "Shoe size", kind: "number", options: "" },
    });
    expect(field.status).toBe(303);
    const fieldId = (await env.DB.prepare("SELECT id FROM custom_fields WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ id: number }>())!.id;
    const id = jobId(
      await upload(
        owner.cookie,
        "Name,Mail,Size,Group\nAda Lovelace,ada@example.com,38,VIP\nAlan Turing,alan@example.com,44,VIP; Math",
      ),
    );
    const preview = await waitFor(id, ["ready"]);
    expect(JSON.parse(preview.mapping!)).toEqual(["full_name", "email", "", ""]);
    const remap = await send(`/app/import/${id}/mapping`, {
      cookie: owner.cookie,
      form: { col_0: "full_name", col_1: "email", col_2: `cf:${fieldId}`, col_3: "tags", encoding: "auto" },
    });
    expect(remap.status).toBe(303);
    await waitFor(id, ["ready"]);
    const forged = await send(`/app/import/${id}/mapping`, {
      cookie: owner.cookie,
      form: { col_0: "password_hash", col_1: "email", col_2: "cf:999999", col_3: "", encoding: "auto" },
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("Choose a field from the list");
    expect(await send(`/app/import/${id}/commit`, { cookie: owner.cookie, form: {} })).toHaveProperty("status", 303);
    await waitFor(id, ["done"]);
    const alan = await env.DB.prepare(
      "SELECT c.first_name, c.last_name, v.value, (SELECT group_concat(t.name, '|') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id) AS tags FROM contacts c JOIN custom_field_values v ON v.entity_id = c.id WHERE c.tenant_id = ? AND c.primary_email = 'alan@example.com'",
    )
      .bind(owner.tenantId)
      .first<{ first_name: string; last_name: string; value: string; tags: string }>();
    expect(alan).toMatchObject({ first_name: "Alan", last_name: "Turing", value: "44" });
    expect(alan!.tags.split("|").sort()).toEqual(["Math", "VIP"]);
  });
});

describe("undo", () => {
  it("returns an untouched import to exactly the state before it, updates included", async () => {
    const owner = await newTenant();
    // Records that exist before: one the file will update, one it will not touch.
    await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title\nAda,Lovelace,ada@example.com,Analyst\nAlan,Turing,alan@example.com,Mathematician",
    );
    const before = await snapshot(owner.tenantId);
    const { id, result } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title,Company,Tags,Notes\nAda,Lovelace,ada@example.com,Countess,Analytical Engines,Pioneers,Wrote the first program\nGrace,Hopper,grace@example.com,Admiral,Navy,Pioneers,COBOL",
    );
    expect(result).toMatchObject({ created_count: 1, updated_count: 1 });
    expect(await snapshot(owner.tenantId)).not.toEqual(before);
    const res = await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBe(303);
    const undone = await waitFor(id, ["undone"]);
    expect(JSON.parse(undone.undo_kept!).total).toBe(0);
    expect(await snapshot(owner.tenantId)).toEqual(before);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("The import is undone");
  });

  it("keeps and lists what someone edited after the import", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, "First name,Last name,Email,Job title\nAda,Lovelace,ada@example.com,Analyst");
    const { id } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title\nAda,Lovelace,ada@example.com,Countess\nGrace,Hopper,grace@example.com,Admiral",
    );
    // Someone edits both records after the import.
    await env.DB.prepare(
      "UPDATE contacts SET job_title = 'Programmer', updated_at = updated_at + 1000 WHERE tenant_id = ? AND primary_email = 'ada@example.com'",
    )
      .bind(owner.tenantId)
      .run();
    await env.DB.prepare(
      "UPDATE contacts SET address = 'Arlington', updated_at = updated_at + 1000 WHERE tenant_id = ? AND primary_email = 'grace@example.com'",
    )
      .bind(owner.tenantId)
      .run();
    await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    const undone = await waitFor(id, ["undone"]);
    const kept = JSON.parse(undone.undo_kept!) as { total: number; items: { name: string; fields: string[] }[] };
    expect(kept.total).toBe(2);
    expect(kept.items.map((k) => k.name).sort()).toEqual(["Ada Lovelace", "Grace Hopper"]);
    expect(await countRows("contacts", "tenant_id = ? AND job_title = 'Programmer'", owner.tenantId)).toBe(1);
    expect(await countRows("contacts", "tenant_id = ? AND primary_email = 'grace@example.com'", owner.tenantId)).toBe(
      1,
    );
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Kept because they changed or were worked on after the import (2)");
    expect(page).toContain("Grace Hopper");
  });
});

describe("undo after work on the imported records", () => {
  it("keeps a contact with a task, a contact on a deal and a company with deals; an untouched one goes", async () => {
    const owner = await newTenant();
    const { id } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Company\nAda,Lovelace,ada@example.com,Analytical Engines\nGrace,Hopper,grace@example.com,Navy\nAlan,Turing,alan@example.com,",
    );
    const idOf = async (email: string) =>
      (await env.DB.prepare("SELECT id FROM contacts WHERE tenant_id = ? AND primary_email = ?")
        .bind(owner.tenantId, email)
        .first<{ id: number }>())!.id;
    const ada = await idOf("ada@example.com");
    const grace = await idOf("grace@example.com");
    const engines = (await env.DB.prepare(
      "SELECT id FROM companies WHERE tenant_id = ? AND name = 'Analytical Engines'",
    )
      .bind(owner.tenantId)
      .first<{ id: number }>())!.id;
    // Work a user adds after the import, through the forms: none of it edits the records themselves.
    const task = await addTask(owner.cookie, { title: "Call Ada back", record: `contact:${ada}` });
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    const deal = await createDeal(owner.cookie, {
      name: "Navy engines",
      amount: "100",
      stage_id: String(stage.id),
      company_id: String(engines),
      contact_ids: [String(grace)],
      contact_roles: [""],
    });
    await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    const undone = await waitFor(id, ["undone"]);
    const kept = JSON.parse(undone.undo_kept!) as { items: { name: string; fields: string[] }[] };
    const reasons = Object.fromEntries(kept.items.map((k) => [k.name, k.fields.join("; ")]));
    expect(reasons).toEqual({
      "Ada Lovelace": "it has tasks",
      "Grace Hopper": "it is on a deal",
      "Analytical Engines": "contacts still belong to it",
      Navy: "contacts still belong to it",
    });
    // The task, the deal's contact and company are all still there; Alan, untouched, is gone.
    expect(await env.DB.prepare("SELECT subject_id FROM tasks WHERE id = ?").bind(task.id).first()).toEqual({
      subject_id: ada,
    });
    expect(
      await env.DB.prepare(
        "SELECT d.company_id, (SELECT group_concat(contact_id) FROM deal_contacts WHERE deal_id = d.id) AS contacts FROM deals d WHERE id = ?",
      )
        .bind(deal)
        .first(),
    ).toEqual({ company_id: engines, contacts: String(grace) });
    expect(await countRows("contacts", "tenant_id = ? AND primary_email = 'alan@example.com'", owner.tenantId)).toBe(0);
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toContain("Ada Lovelace</a>: it has tasks");
  });

  it("keeps a company whose only link is a deal, and an imported deal with a task", async () => {
    const owner = await newTenant();
    const { id } = await importFile(owner.cookie, "Name,Domain\nHooli,hooli.example", { kind: "companies" });
    const hooli = (await env.DB.prepare("SELECT id FROM companies WHERE tenant_id = ? AND name = 'Hooli'")
      .bind(owner.tenantId)
      .first<{ id: number }>())!.id;
    const stage = (await pipelinesOf(owner.tenantId))[0]!.stages[0]!;
    await createDeal(owner.cookie, {
      name: "Hooli XYZ",
      amount: "5",
      stage_id: String(stage.id),
      company_id: String(hooli),
    });
    await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} });
    const undone = await waitFor(id, ["undone"]);
    expect(JSON.parse(undone.undo_kept!).items).toEqual([
      { type: "company", id: hooli, name: "Hooli", fields: ["it has deals"] },
    ]);

    const deals = await importFile(
      owner.cookie,
      "Name,Amount,Currency,Stage\nKeep me,10,USD,Lead\nDrop me,20,USD,Lead",
      {
        kind: "deals",
      },
    );
    const keep = (await env.DB.prepare("SELECT id FROM deals WHERE tenant_id = ? AND name = 'Keep me'")
      .bind(owner.tenantId)
      .first<{ id: number }>())!.id;
    await addTask(owner.cookie, { title: "Send the quote", record: `deal:${keep}` });
    await send(`/app/import/${deals.id}/undo`, { cookie: owner.cookie, form: {} });
    const dealsUndone = await waitFor(deals.id, ["undone"]);
    expect(JSON.parse(dealsUndone.undo_kept!).items).toEqual([
      { type: "deal", id: keep, name: "Keep me", fields: ["it has tasks"] },
    ]);
    expect(await countRows("deals", "tenant_id = ? AND name = 'Drop me'", owner.tenantId)).toBe(0);
  });
});

describe("progress and resumption", () => {
  it("a job interrupted between steps resumes where it stopped, and replayed steps write nothing twice", async () => {
    const owner = await newTenant();
    const lines = ["Email,First name"];
    for (let i = 0; i < 1_200; i += 1) lines.push(`person${i}@example.com,Person ${i}`);
    const id = jobId(await upload(owner.cookie, lines.join("\n")));
    const preview = await waitFor(id, ["ready"]);
    expect(preview.chunk_count).toBe(3);
    // Commit by hand: one chunk per step, and the step's next message is lost (the worker died).
    await env.DB.prepare(
      "UPDATE import_jobs SET status = 'committing', chunks_done = 0, committed_at = ?, updated_at = ? WHERE id = ?",
    )
      .bind(Date.now(), Date.now(), id)
      .run();
    const lost: ImportMessage[] = [];
    const stepEnv = {
      ...env,
      IMPORT_STEP_CHUNKS: "1",
      JOBS: { send: async (m: ImportMessage) => void lost.push(m) },
    } as unknown as typeof env;
    const message: ImportMessage = { type: "import.commit", importId: id, tenantId: owner.tenantId };
    await runImportStep(stepEnv, message, Date.now());
    expect(lost).toHaveLength(1);
    let row = await job(id);
    expect(row).toMatchObject({ status: "committing", chunks_done: 1, created_count: 500 });
    // The page shows the progress, and survives a reload.
    const page = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(page).toMatch(/<progress[^>]*max="3"[^>]*value="1"|<progress[^>]*value="1"[^>]*max="3"/);
    // The same chunk delivered again (a replay of the first message's work) is refused by its key.
    await env.DB.prepare("UPDATE import_jobs SET chunks_done = 0 WHERE id = ?").bind(id).run();
    await runImportStep(stepEnv, message, Date.now());
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(500);
    await env.DB.prepare("UPDATE import_jobs SET chunks_done = 1 WHERE id = ?").bind(id).run();
    // The lost message: once the job has been silent for two minutes, the cron's watchdog sends the step again.
    await runCron(Date.now() + 3 * 60_000);
    row = await waitFor(id, ["done"], 60_000);
    expect(row.created_count).toBe(1_200);
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(1_200);
    expect(await countRows("contact_emails", "tenant_id = ?", owner.tenantId)).toBe(1_200);
    const counters = await env.DB.prepare("SELECT contacts FROM tenant_counters WHERE tenant_id = ?")
      .bind(owner.tenantId)
      .first<{ contacts: number }>();
    expect(counters!.contacts).toBe(1_200);
  });
});
