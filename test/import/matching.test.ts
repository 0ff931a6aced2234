/**
 * Who a row is: an import matches a contact on its email, or on a phone when the name agrees too,
 * and never merges two different people. What the preview lists for the user to check: updates
 * with their before → after, possible duplicates, rows whose email belongs to someone else.
 */
import { env } from "cloudflare:workers";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { ImportMessage } from "../../src/services/import/jobs";
import { runImportStep } from "../../src/services/import/steps";
import { countRows } from "../helpers/db";
import { send, textOf } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { fixture, importFile, jobId, snapshot, upload, waitFor } from "./helpers";

const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as Record<
  string,
  Record<string, number>
>;
const FILES = ["google-contacts.csv", "outlook.csv", "hubspot.csv", "messy.csv"];

/** A fixture's rows as { first, last, emails } (header names of the four contact exports). */
function fixturePeople(name: string) {
  const text = new TextDecoder(name === "outlook.csv" ? "windows-1252" : "utf-8")
    .decode(fixture(name))
    .replace(/^\uFEFF/, "");
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: "greedy" }).data;
  return rows.map((row) => {
    const cells = Object.entries(row);
    const pick = (re: RegExp) => cells.find(([h]) => re.test(h))?.[1]?.trim() ?? "";
    const emails = cells.filter(([h, v]) => /mail/i.test(h) && v?.includes("@")).map(([, v]) => v.trim().toLowerCase());
    return { first: pick(/^(First Name|Vorname)$/), last: pick(/^(Last Name|Nachname)$/), emails };
  });
}

/** The page's text without tags, entities decoded, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

async function contactId(tenantId: string, email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT contact_id FROM contact_emails WHERE tenant_id = ? AND email = ?")
    .bind(tenantId, email)
    .first<{ contact_id: number }>();
  return row!.contact_id;
}

describe("the four fixture exports into one workspace", () => {
  it("make one contact per person: 40 + 40 + 40 + 41 or 42, each address on its own row's contact, and a second pass changes nothing", async () => {
    const owner = await newTenant();
    const previews = [];
    for (const name of FILES) {
      const { preview, result } = await importFile(owner.cookie, fixture(name), { name });
      previews.push(preview);
      expect(result.status, name).toBe("done");
      expect(preview.update_count, name).toBe(0);
      if (name === "messy.csv") {
        expect(result.created_count).toBeGreaterThanOrEqual(expected[name]!.new_at_least!);
        expect(result.created_count).toBeLessThanOrEqual(expected[name]!.new_at_most!);
      } else {
        expect(result.created_count, name).toBe(40);
      }
    }
    const total = await countRows("contacts", "tenant_id = ?", owner.tenantId);
    expect(total).toBe(120 + previews[3]!.new_count);
    // Outlook's people share phones with Google's under other names: new contacts, flagged.
    expect(previews[1]!.possible_duplicate_count).toBeGreaterThan(0);

    // Every address is on the contact whose name is its row's (names as stored: the file's own).
    const { results } = await env.DB.prepare(
      "SELECT e.email, c.first_name, c.last_name FROM contact_emails e JOIN contacts c ON c.id = e.contact_id WHERE e.tenant_id = ?",
    )
      .bind(owner.tenantId)
      .all<{ email: string; first_name: string; last_name: string }>();
    const owners = new Map(results.map((r) => [r.email, `${r.first_name} ${r.last_name}`]));
    let checked = 0;
    for (const name of FILES) {
      for (const person of fixturePeople(name)) {
        for (const email of person.emails) {
          if (email === "long@example.com") continue; // refused: its company name is too long
          expect(owners.get(email), `${name}: ${email}`).toBe(`${person.first} ${person.last}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(160);

    const before = await snapshot(owner.tenantId);
    for (const name of FILES) {
      const { preview, result } = await importFile(owner.cookie, fixture(name), { name });
      expect(preview, name).toMatchObject({ new_count: 0, update_count: 0, conflict_count: 0 });
      expect(result.created_count + result.updated_count, name).toBe(0);
    }
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });
});

describe("shared phones", () => {
  it("colleagues who share three office phones make one contact each, in the file and against the workspace", async () => {
    const owner = await newTenant();
    const phones = ["+44 20 7946 0100", "+44 20 7946 0200", "+44 20 7946 0300"];
    const names = [
      "Ada Lovelace",
      "Alan Turing",
      "Grace Hopper",
      "Edsger Dijkstra",
      "Barbara Liskov",
      "Donald Knuth",
      "Frances Allen",
      "John Backus",
      "Radia Perlman",
    ];
    // Six with their own email, three with only the office phone.
    const rows = names.map(
      (n, i) =>
        `${n.split(" ")[0]},${n.split(" ")[1]},${i < 6 ? `${n.split(" ")[0]!.toLowerCase()}@office.example` : ""},${phones[i % 3]}`,
    );
    const file = ["First name,Last name,Email,Phone", ...rows].join("\n");
    const first = await importFile(owner.cookie, file);
    expect(first.preview).toMatchObject({ new_count: 9, duplicate_count: 0, update_count: 0 });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(9);
    for (const p of ["+442079460100", "+442079460200", "+442079460300"])
      expect(await countRows("contact_phones", "tenant_id = ? AND phone = ?", owner.tenantId, p)).toBe(3);

    // The same file again: each row finds its own contact (email, or phone and name).
    const before = await snapshot(owner.tenantId);
    const again = await importFile(owner.cookie, file);
    expect(again.preview).toMatchObject({
      new_count: 0,
      update_count: 0,
      unchanged_count: 9,
      possible_duplicate_count: 0,
    });
    expect(await snapshot(owner.tenantId)).toEqual(before);

    // A new colleague on the switchboard: a new contact, flagged with the records it resembles.
    const { id, preview } = await importFile(
      owner.cookie,
      "First name,Last name,Phone\nKatherine,Johnson,+44 20 7946 0100",
    );
    expect(preview).toMatchObject({ new_count: 1, update_count: 0, possible_duplicate_count: 1 });
    expect(await countRows("contacts", "tenant_id = ?", owner.tenantId)).toBe(10);
    const page = text(await textOf(`/app/import/${id}`, { cookie: owner.cookie }));
    expect(page).toContain("Possible duplicates (1)");
    expect(page).toMatch(/Katherine Johnson \+44 20 7946 0100 (Ada Lovelace|Edsger Dijkstra|John Backus)/);
  });

  it("a phone matches only when first and last name agree, case- and accent-insensitive", async () => {
    const owner = await newTenant();
    await importFile(
      owner.cookie,
      "First name,Last name,Phone,Job title\nJosé,Núñez,+1 202 555 0101,Buyer\nSøren,Ødegård,+1 202 555 0102,Buyer\nAda,Lovelace,+1 202 555 0103,Analyst",
    );
    const { preview } = await importFile(
      owner.cookie,
      // Same people written another way; then a row with only a first name, and one with no name.
      "First name,Last name,Phone,Job title\nJOSE,nunez,+1 202 555 0101,Head buyer\nsoren,odegard,+1 202 555 0102,Buyer\nAda,,+1 202 555 0103,\n,,+1 202 555 0103,",
    );
    expect(preview).toMatchObject({ update_count: 1, unchanged_count: 1, new_count: 2, possible_duplicate_count: 2 });
    const josé = await env.DB.prepare(
      "SELECT first_name, last_name, job_title FROM contacts WHERE tenant_id = ? AND primary_phone = '+12025550101'",
    )
      .bind(owner.tenantId)
      .first();
    // The contact keeps the spelling it had: an import never renames anyone.
    expect(josé).toEqual({ first_name: "José", last_name: "Núñez", job_title: "Head buyer" });
    expect(await countRows("contacts", "tenant_id = ? AND primary_phone = '+12025550103'", owner.tenantId)).toBe(3);
    expect(
      await countRows(
        "contacts",
        "tenant_id = ? AND first_name = 'Ada' AND last_name = 'Lovelace' AND job_title = 'Analyst'",
        owner.tenantId,
      ),
    ).toBe(1);
  });
});

describe("an email that belongs to someone of another name", () => {
  it("is not an update: nothing is written for the row, and the preview lists it with the contact", async () => {
    const owner = await newTenant();
    await importFile(owner.cookie, "First name,Last name,Email,Job title\nAda,Lovelace,ada@example.com,Analyst");
    const adaId = await contactId(owner.tenantId, "ada@example.com");
    const before = await snapshot(owner.tenantId);
    const { id, preview, result } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title\nGrace,Hopper, ADA@example.com ,Admiral",
    );
    expect(preview).toMatchObject({ new_count: 0, update_count: 0, conflict_count: 1 });
    expect(result.created_count + result.updated_count).toBe(0);
    expect(await snapshot(owner.tenantId)).toEqual(before);
    const html = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(html).toContain(`href="/app/contacts/${adaId}"`);
    expect(text(html)).toMatch(/Not imported: the email is another person's \(1\)/);
    expect(text(html)).toContain("1 Grace Hopper ada@example.com Ada Lovelace");
  });

  it("rows with a blank name or only the first name still update the contact their email names", async () => {
    const owner = await newTenant();
    await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title\nAda,Lovelace,ada@example.com,Analyst\nAlan,,alan@example.com,",
    );
    const before = await snapshot(owner.tenantId);
    const { id, preview } = await importFile(
      owner.cookie,
      "First name,Last name,Email,Job title\n,,ada@example.com,Countess\nALAN,Turing,alan@example.com,Mathematician",
    );
    // Ada's row without a name updates her; Alan's fills in his missing last name and keeps his spelling.
    expect(preview).toMatchObject({ update_count: 2, conflict_count: 0, new_count: 0 });
    // A first name alone that is not hers: someone else.
    const augusta = await importFile(owner.cookie, "First name,Email,Job title\nAugusta,ada@example.com,Poet");
    expect(augusta.preview).toMatchObject({ update_count: 0, conflict_count: 1, new_count: 0 });
    const people = await env.DB.prepare(
      "SELECT first_name, last_name, job_title FROM contacts WHERE tenant_id = ? ORDER BY id",
    )
      .bind(owner.tenantId)
      .all();
    expect(people.results).toEqual([
      { first_name: "Ada", last_name: "Lovelace", job_title: "Countess" },
      { first_name: "Alan", last_name: "Turing", job_title: "Mathematician" },
    ]);
    // Undo gives the missing last name back as it was.
    expect((await send(`/app/import/${id}/undo`, { cookie: owner.cookie, form: {} })).status).toBe(303);
    await waitFor(id, ["undone"]);
    expect(await snapshot(owner.tenantId)).toEqual(before);
  });
});

describe("the preview's lists", () => {
  it("shows each update's before → after (the first 200) and offers all of them as a CSV", async () => {
    const owner = await newTenant();
    const lines = ["First name,Last name,Email,Job title"];
    for (let i = 0; i < 250; i += 1) lines.push(`Person,N${i},p${i}@example.com,Clerk`);
    await importFile(owner.cookie, lines.join("\n"));
    const changed = ["First name,Last name,Email,Job title,Company"];
    for (let i = 0; i < 250; i += 1)
      changed.push(
        `Person,N${i},p${i}@example.com,${i === 0 ? '"=HYPERLINK(""http://evil.example"")"' : "Manager"},Initech`,
      );
    const id = jobId(await upload(owner.cookie, changed.join("\n")));
    const preview = await waitFor(id, ["ready"]);
    expect(preview.update_count).toBe(250);

    const html = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    const page = text(html);
    expect(page).toContain("Updates (250)");
    expect(page).toContain("The first 200 of 250 updates");
    expect(page).toContain("Job title: Clerk → Manager");
    expect(page).toContain("Company: (empty) → Initech");
    expect(html.match(/<tr data-update/g)).toHaveLength(200);
    expect(html).toContain(`href="/app/import/${id}/review.csv"`);

    const csv = await send(`/app/import/${id}/review.csv`, { cookie: owner.cookie });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toMatch(/^attachment; filename="import-review-[\d-]+\.csv"$/);
    expect(csv.headers.get("Cache-Control")).toContain("no-store");
    const rows = Papa.parse<string[]>((await csv.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([
      "Row",
      "Name in the file",
      "What",
      "Contact",
      "Contact's name",
      "Field",
      "Before",
      "After",
    ]);
    const updates = rows.filter((r) => r[2] === "Update");
    expect(updates).toHaveLength(500); // job title and company, for each of 250 rows
    expect(new Set(updates.map((r) => r[3])).size).toBe(250);
    // Formula-like cells are neutralised, as in errors.csv.
    expect(updates.find((r) => r[0] === "1" && r[5] === "Job title")![7]).toBe(`'=HYPERLINK("http://evil.example")`);

    // Another workspace's file is not found; members and viewers may not read it.
    const other = await newTenant();
    expect((await send(`/app/import/${id}/review.csv`, { cookie: other.cookie })).status).toBe(404);
    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(owner.tenantId, role);
      expect((await send(`/app/import/${id}/review.csv`, { cookie: user.cookie })).status).toBe(403);
    }
  });

  it("lists the updates of every chunk when the preview took several steps, one of which stopped before saving its list", async () => {
    const owner = await newTenant();
    const lines = ["Email,First name,Job title"];
    for (let i = 0; i < 1_200; i += 1) lines.push(`person${i}@example.com,Person,Clerk`);
    await importFile(owner.cookie, lines.join("\n"));
    // Every tenth person gets a new job title: 120 updates over three chunks.
    const changed = [
      "Email,First name,Job title",
      ...lines.slice(1).map((l, i) => (i % 10 === 0 ? l.replace("Clerk", "Manager") : l)),
    ];
    const id = jobId(await upload(owner.cookie, changed.join("\n")));
    await waitFor(id, ["ready"]);
    // The preview again, by hand: one chunk per step, the next message lost each time.
    await env.DB.prepare(
      "UPDATE import_jobs SET status = 'analysing', chunks_done = 0, new_count = 0, update_count = 0, unchanged_count = 0 WHERE id = ?",
    )
      .bind(id)
      .run();
    const stepEnv = { ...env, IMPORT_STEP_CHUNKS: "1", JOBS: { send: async () => undefined } } as unknown as typeof env;
    const message: ImportMessage = { type: "import.match", importId: id, tenantId: owner.tenantId };
    const head = `imports/${owner.tenantId}/${id}/review-head.json`;
    await env.FILES.delete(head);
    await runImportStep(stepEnv, message, Date.now());
    await env.FILES.delete(head); // as if the step had died before writing it
    await runImportStep(stepEnv, message, Date.now());
    await runImportStep(stepEnv, message, Date.now());
    expect(await waitFor(id, ["ready"])).toMatchObject({ update_count: 120, unchanged_count: 1_080 });
    const html = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    expect(text(html)).toContain("Updates (120)");
    expect(text(html)).not.toContain("The first");
    expect(html.match(/<tr data-update/g)).toHaveLength(120);
    const csv = Papa.parse<string[]>(
      (await textOf(`/app/import/${id}/review.csv`, { cookie: owner.cookie })).replace(/^\uFEFF/, ""),
      { skipEmptyLines: true },
    ).data;
    expect(csv.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 120 }, (_, k) => k * 10 + 1));
  });

  it("messy.csv: the counts add up to the rows in the file, and every row number listed is one of them", async () => {
    const owner = await newTenant();
    const id = jobId(await upload(owner.cookie, fixture("messy.csv"), { name: "messy.csv" }));
    await waitFor(id, ["ready"]);
    const html = await textOf(`/app/import/${id}`, { cookie: owner.cookie });
    const stats = new Map(
      [...html.matchAll(/<li><span class="stat">([\d,]+)<\/span>\s*([^<(]+)/g)].map((m) => [
        m[2]!.trim(),
        Number(m[1]!.replace(/,/g, "")),
      ]),
    );
    const rows = stats.get("rows in the file")!;
    const parts = [...stats].filter(([label]) => label !== "rows in the file").reduce((sum, [, n]) => sum + n, 0);
    expect(parts).toBe(rows);
    expect(stats.get("empty row skipped")).toBe(1);
    const listed = [...html.matchAll(/<tr(?: data-\w+)?><td data-label="Row">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(listed.length).toBeGreaterThan(0);
    for (const n of listed) expect(n).toBeLessThanOrEqual(rows);
  });

  it("the mapping step shows sample values under each column", async () => {
    const owner = await newTenant();
    const id = jobId(await upload(owner.cookie, fixture("hubspot.csv"), { name: "hubspot.csv" }));
    await waitFor(id, ["ready"]);
    const page = text(await textOf(`/app/import/${id}`, { cookie: owner.cookie }));
    expect(page).toContain("First Name e.g. Yara · Zoë · Hana");
    expect(page).toContain(
      "Email e.g. ykierkegaard2000@piedpiper.example · zturing2001@acme.example · hmller2002@wayne.example",
    );
  });
});
