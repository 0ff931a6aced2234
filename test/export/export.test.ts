/**
 * Exports through real requests, read back the way a spreadsheet, a program or an address book
 * would: every field present, RFC 4180 quoting, formula cells neutralised, vCard escaping and
 * folding, the list's filters, the download headers and the audit trail.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTACT_CSV_COLUMNS,
  COMPANY_CSV_COLUMNS,
  EXPORT_FORMAT_ID,
  NOTE_CSV_COLUMNS,
} from "../../src/services/export/columns";
import { FORMULA_TRIGGERS, neutraliseCell, restoreCell } from "../../src/lib/csv";
import { send, textOf } from "../helpers/http";
import { auditOf } from "../companies/helpers";
import { insertContacts, newTenant } from "../contacts/contact-helpers";
import {
  csvRecords,
  download,
  parseCsv,
  parseVcards,
  seededTenant,
  unescapeVcard,
  vcardComponents,
  type VcardProperty,
  CONTACT_AND_COMPANY_EXPORTS,
} from "./helpers";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let t: Awaited<ReturnType<typeof seededTenant>>;
beforeAll(async () => {
  t = await seededTenant();
});

describe("contacts as CSV", () => {
  it("is RFC 4180 in UTF-8 with a BOM: CRLF records, the agreed header, one row per contact", async () => {
    const { bytes, text } = await download("/app/export/contacts.csv", t.cookie);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = text.slice(1);
    expect(body.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(body);
    expect(header).toEqual([...CONTACT_CSV_COLUMNS, "Tier", "Renewal", "Score", "Newsletter", 'Remark, "internal"']);
    // A field name with a comma and quotes is quoted, its quotes doubled.
    expect(body.split("\r\n")[0]).toContain(`,"Remark, ""internal"""`);
    expect(rows).toHaveLength(2);
  });

  it("carries every field of a contact: all emails and phones, company, address, tags, owner, times, custom values", async () => {
    const { text } = await download("/app/export/contacts.csv", t.cookie);
    const ada = csvRecords(text.slice(1)).find((r) => r["Last name"] === "Lovelace")!;
    expect(ada).toMatchObject({
      "First name": "Ada",
      Email: "ada@example.com",
      "Email 2": "ada.work@engines.example",
      "Email 3": "countess@example.org",
      "Email 4": "",
      // E.164 numbers begin with "+": neutralised like any formula trigger (the importer strips the apostrophe).
      Phone: "'+14155550123",
      "Phone 2": "'+442079460958",
      "Phone 3": "",
      "Job title": 'Mathematician, "Countess"',
      Company: "Analytical Engines, Ltd.",
      Address: "12 St James's Square\nLondon",
      Tags: "Customer; VIP",
      Owner: t.email,
      Tier: "gold",
      Renewal: "2027-01-31",
      Score: "'-5",
      Newsletter: "1",
      'Remark, "internal"': `'=HYPERLINK("x")`,
    });
    expect(ada.Created).toMatch(ISO_UTC);
    expect(ada.Updated).toMatch(ISO_UTC);
    const row = await env.DB.prepare("SELECT created_at FROM contacts WHERE id = ?")
      .bind(t.ada)
      .first<{ created_at: number }>();
    expect(Date.parse(ada.Created!)).toBe(row!.created_at);
  });

  it("quotes commas, quotes and line breaks as RFC 4180 says", async () => {
    const { text } = await download("/app/export/contacts.csv", t.cookie);
    const raw = text.slice(1);
    expect(raw).toContain(`"Mathematician, ""Countess"""`);
    expect(raw).toContain(`"Analytical Engines, Ltd."`);
    // The line break inside a quoted field is the stored one; records themselves end with CRLF.
    expect(raw).toContain(`"12 St James's Square\nLondon"`);
  });

  it("opens formula-looking cells as text: =, +, -, @ get a leading apostrophe", async () => {
    const { text } = await download("/app/export/contacts.csv", t.cookie);
    const raw = text.slice(1);
    // The spreadsheet sees '=HYPERLINK("x"), a text cell, never a formula.
    expect(raw).toContain(`"'=HYPERLINK(""x"")",'@x,tricky@example.com`);
    expect(raw).not.toMatch(/(^|,|\r\n)"?=HYPERLINK/);
    const tricky = csvRecords(raw).find((r) => r.Email === "tricky@example.com")!;
    expect(tricky["First name"]).toBe(`'=HYPERLINK("x")`);
    expect(tricky["Last name"]).toBe("'@x");
    expect(tricky["Job title"]).toBe("'+1 202 555 0199");
    expect(tricky.Address).toBe("'-5 Minus Street; Semicolon Town, Commaland \\ Backslash");
    expect(tricky.Score).toBe("12.5");
    expect(tricky.Owner).toBe("");
    // Every cell of the file: none starts with a trigger.
    for (const cells of parseCsv(raw))
      for (const cell of cells)
        expect(
          FORMULA_TRIGGERS.some((c) => cell.startsWith(c)),
          cell,
        ).toBe(false);
  });

  it("neutralising is undone exactly by restoreCell, so a re-import gets back what was stored", () => {
    const values = [
      '=HYPERLINK("x")',
      "+1 202 555 0199",
      "-5",
      "@x",
      "\tindent",
      "\rreturn",
      "'quoted",
      "'=already",
      "''+twice",
      "plain",
      "",
      "a=b",
    ];
    for (const v of values) {
      expect(restoreCell(neutraliseCell(v)), JSON.stringify(v)).toBe(v);
      expect(
        FORMULA_TRIGGERS.some((c) => neutraliseCell(v).startsWith(c)),
        JSON.stringify(v),
      ).toBe(false);
    }
    expect(neutraliseCell("'=already")).toBe("''=already");
    expect(neutraliseCell("'quoted")).toBe("'quoted");
  });
});

describe("contacts as JSON", () => {
  it("is one document with the format, kind, time, field definitions and complete records", async () => {
    const { text } = await download("/app/export/contacts.json", t.cookie);
    const doc = JSON.parse(text);
    expect(doc.format).toBe(EXPORT_FORMAT_ID);
    expect(doc.kind).toBe("contacts");
    expect(doc.exported_at).toMatch(ISO_UTC);
    expect(doc.custom_fields).toEqual([
      { name: "Tier", kind: "select", options: ["gold", "silver"] },
      { name: "Renewal", kind: "date" },
      { name: "Score", kind: "number" },
      { name: "Newsletter", kind: "checkbox" },
      { name: 'Remark, "internal"', kind: "text" },
    ]);
    expect(doc.records).toHaveLength(2);
    const ada = doc.records.find((r: { id: number }) => r.id === t.ada);
    expect(ada).toMatchObject({
      id: t.ada,
      first_name: "Ada",
      last_name: "Lovelace",
      display_name: "Ada Lovelace",
      emails: ["ada@example.com", "ada.work@engines.example", "countess@example.org"],
      phones: ["+14155550123", "+442079460958"],
      job_title: 'Mathematician, "Countess"',
      company: { id: t.company, name: "Analytical Engines, Ltd." },
      address: "12 St James's Square\nLondon",
      // Added through the form (the reports' sources: manual, import, api).
      source: "manual",
      tags: ["Customer", "VIP"],
      owner: t.email,
      custom_fields: {
        Tier: { kind: "select", value: "gold" },
        Renewal: { kind: "date", value: "2027-01-31" },
        Score: { kind: "number", value: "-5" },
        Newsletter: { kind: "checkbox", value: "1" },
        // JSON is data, not a spreadsheet: values are exactly as stored.
        'Remark, "internal"': { kind: "text", value: '=HYPERLINK("x")' },
      },
    });
    expect(ada.notes.map((n: { body: string }) => n.body)).toEqual([
      "First call;\nsaid yes, later \\ maybe",
      t.longNote,
    ]);
    for (const n of ada.notes) {
      expect(n.author).toBe(t.email);
      expect(n.created_at).toMatch(ISO_UTC);
      expect(n.updated_at).toMatch(ISO_UTC);
      expect(Number.isInteger(n.id)).toBe(true);
    }
    for (const k of ["created_at", "updated_at", "last_activity_at"]) expect(ada[k]).toMatch(ISO_UTC);
    const tricky = doc.records.find((r: { id: number }) => r.id === t.tricky);
    expect(tricky).toMatchObject({
      first_name: '=HYPERLINK("x")',
      company: null,
      owner: null,
      tags: [],
      phones: [],
      notes: [],
      custom_fields: { Score: { kind: "number", value: "12.5" } },
    });
  });
});

describe("contacts as vCard 4.0", () => {
  let cards: VcardProperty[][];
  const prop = (card: VcardProperty[], name: string) => card.filter((p) => p.name === name);

  beforeAll(async () => {
    const { text, res } = await download("/app/export/contacts.vcf", t.cookie);
    expect(res.headers.get("Content-Type")).toBe("text/vcard; charset=utf-8");
    cards = parseVcards(text);
  });

  it("has one card per contact, each BEGIN, VERSION:4.0, FN, N ... END", () => {
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(card[0]).toMatchObject({ name: "BEGIN", value: "VCARD" });
      expect(card[1]).toMatchObject({ name: "VERSION", value: "4.0" });
      expect(card.at(-1)).toMatchObject({ name: "END", value: "VCARD" });
      expect(prop(card, "FN")).toHaveLength(1);
      expect(prop(card, "N")).toHaveLength(1);
    }
  });

  it("carries names, emails, phones, organisation, title, address, tags and notes, escaped", () => {
    const ada = cards.find((c) => prop(c, "FN")[0]!.value === "Ada Lovelace")!;
    expect(vcardComponents(prop(ada, "N")[0]!.value)).toEqual(["Lovelace", "Ada", "", "", ""]);
    expect(prop(ada, "EMAIL").map((p) => p.value)).toEqual([
      "ada@example.com",
      "ada.work@engines.example",
      "countess@example.org",
    ]);
    expect(prop(ada, "EMAIL")[0]!.params).toContain("PREF=1");
    expect(prop(ada, "TEL").map((p) => p.value)).toEqual(["tel:+14155550123", "tel:+442079460958"]);
    expect(prop(ada, "TEL")[0]!.params).toEqual(expect.arrayContaining(["VALUE=uri", "PREF=1"]));
    // Commas in text values are escaped; the organisation's one component keeps its comma.
    expect(prop(ada, "ORG")[0]!.value).toBe("Analytical Engines\\, Ltd.");
    expect(vcardComponents(prop(ada, "ORG")[0]!.value)).toEqual(["Analytical Engines, Ltd."]);
    expect(prop(ada, "TITLE")[0]!.value).toBe('Mathematician\\, "Countess"');
    expect(vcardComponents(prop(ada, "ADR")[0]!.value)).toEqual([
      "",
      "",
      "12 St James's Square\nLondon",
      "",
      "",
      "",
      "",
    ]);
    expect(prop(ada, "ADR")[0]!.value).toContain("Square\\nLondon");
    expect(prop(ada, "CATEGORIES")[0]!.value).toBe("Customer,VIP");
    const notes = prop(ada, "NOTE").map((p) => p.value);
    // `;` `,` `\` and the line break, each escaped (RFC 6350 3.4).
    expect(notes[0]).toBe("First call\\;\\nsaid yes\\, later \\\\ maybe");
    expect(notes.map(unescapeVcard)).toEqual(["First call;\nsaid yes, later \\ maybe", t.longNote]);
    expect(prop(ada, "REV")[0]!.value).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it("folds long lines at 75 octets without splitting a character, and unfolds to the original", async () => {
    const { text } = await download("/app/export/contacts.vcf", t.cookie);
    const lines = text.split("\r\n");
    const folded = lines.filter((l) => l.startsWith(" "));
    expect(folded.length).toBeGreaterThan(1);
    // parseVcards checked every physical line is at most 75 octets; download() decoded the bytes
    // strictly (fatal), so no multi-byte character was cut in two by a fold.
    expect(folded.some((l) => /^ [^\x00-\x7f]/.test(l) || /[^\x00-\x7f]$/.test(lines[lines.indexOf(l) - 1]!))).toBe(
      true,
    );
    const noteStart = lines.findIndex((l) => l.startsWith("NOTE:Met at"));
    expect(new TextEncoder().encode(lines[noteStart]!).length).toBeGreaterThan(70);
  });

  it("escapes the tricky contact's structured values", () => {
    const tricky = cards.find((c) => prop(c, "EMAIL")[0]?.value === "tricky@example.com")!;
    expect(prop(tricky, "ADR")[0]!.value).toBe(";;-5 Minus Street\\; Semicolon Town\\, Commaland \\\\ Backslash;;;;");
    expect(vcardComponents(prop(tricky, "N")[0]!.value)).toEqual(["@x", '=HYPERLINK("x")', "", "", ""]);
    expect(prop(tricky, "ORG")).toHaveLength(0);
    expect(prop(tricky, "TEL")).toHaveLength(0);
  });
});

describe("companies and notes", () => {
  it("companies as CSV: the agreed columns, then the company custom fields", async () => {
    const { text } = await download("/app/export/companies.csv", t.cookie);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header] = parseCsv(text.slice(1));
    expect(header).toEqual([...COMPANY_CSV_COLUMNS, "Region"]);
    const [company] = csvRecords(text.slice(1));
    expect(company).toMatchObject({
      Name: "Analytical Engines, Ltd.",
      Domain: "engines.example",
      Industry: "Computing",
      Size: "11-50",
      Phone: "'+442079460958",
      Address: "1 Babbage Row\nLondon",
      Tags: "Customer",
      Owner: t.email,
      Region: "'=SUM(A1:A9)",
    });
    expect(company!.Created).toMatch(ISO_UTC);
  });

  it("companies as JSON, with their notes and custom fields", async () => {
    const doc = JSON.parse((await download("/app/export/companies.json", t.cookie)).text);
    expect(doc).toMatchObject({
      format: EXPORT_FORMAT_ID,
      kind: "companies",
      custom_fields: [{ name: "Region", kind: "text" }],
    });
    expect(doc.records).toEqual([
      expect.objectContaining({
        id: t.company,
        name: "Analytical Engines, Ltd.",
        domain: "engines.example",
        phone: "+442079460958",
        tags: ["Customer"],
        owner: t.email,
        custom_fields: { Region: { kind: "text", value: "=SUM(A1:A9)" } },
        notes: [expect.objectContaining({ body: "Board meeting, 3 p.m.", author: t.email })],
      }),
    ]);
  });

  it("notes as CSV and JSON: flat, each with its record", async () => {
    const { text } = await download("/app/export/notes.csv", t.cookie);
    const [header] = parseCsv(text.slice(1));
    expect(header).toEqual([...NOTE_CSV_COLUMNS]);
    const notes = csvRecords(text.slice(1));
    expect(notes).toHaveLength(3);
    expect(notes).toContainEqual(
      expect.objectContaining({
        "Record type": "contact",
        "Record id": String(t.ada),
        "Record name": "Ada Lovelace",
        Note: "First call;\nsaid yes, later \\ maybe",
        Author: t.email,
      }),
    );
    expect(notes).toContainEqual(
      expect.objectContaining({
        "Record type": "company",
        "Record id": String(t.company),
        "Record name": "Analytical Engines, Ltd.",
        Note: "Board meeting, 3 p.m.",
      }),
    );
    const doc = JSON.parse((await download("/app/export/notes.json", t.cookie)).text);
    expect(doc.kind).toBe("notes");
    expect(doc.records).toHaveLength(3);
    expect(doc.records).toContainEqual(
      expect.objectContaining({
        record_type: "contact",
        record_id: t.ada,
        record_name: "Ada Lovelace",
        body: t.longNote,
        author: t.email,
      }),
    );
  });
});

describe("filters", () => {
  const emailsIn = async (path: string) =>
    csvRecords((await download(path, t.cookie)).text.slice(1)).map((r) => r.Email);

  it("contacts exports take the list's filters: tag, company, owner, search and custom fields", async () => {
    expect(await emailsIn("/app/export/contacts.csv")).toEqual(["ada@example.com", "tricky@example.com"]);
    expect(await emailsIn(`/app/export/contacts.csv?tag=${t.vip}`)).toEqual(["ada@example.com"]);
    expect(await emailsIn(`/app/export/contacts.csv?company=${t.company}`)).toEqual(["ada@example.com"]);
    expect(await emailsIn(`/app/export/contacts.csv?owner=${t.ownerId}`)).toEqual(["ada@example.com"]);
    expect(await emailsIn("/app/export/contacts.csv?q=tricky")).toEqual(["tricky@example.com"]);
    expect(await emailsIn(`/app/export/contacts.csv?cf_${t.score}=12.50`)).toEqual(["tricky@example.com"]);
    expect(await emailsIn(`/app/export/contacts.csv?cf_${t.tier}=gold&tag=${t.customer}`)).toEqual(["ada@example.com"]);
    // A value the field could never hold matches nothing, as in the list.
    expect(await emailsIn(`/app/export/contacts.csv?cf_${t.renewal}=not-a-date`)).toEqual([]);
    const json = JSON.parse((await download(`/app/export/contacts.json?q=lovelace`, t.cookie)).text);
    expect(json.records.map((r: { id: number }) => r.id)).toEqual([t.ada]);
    const vcards = parseVcards((await download(`/app/export/contacts.vcf?tag=${t.vip}`, t.cookie)).text);
    expect(vcards).toHaveLength(1);
  });

  it("companies exports take the companies list's filters: name prefix and tag", async () => {
    const names = async (path: string) => csvRecords((await download(path, t.cookie)).text.slice(1)).map((r) => r.Name);
    expect(await names("/app/export/companies.csv?q=analy")).toEqual(["Analytical Engines, Ltd."]);
    expect(await names("/app/export/companies.csv?q=zzz")).toEqual([]);
    expect(await names(`/app/export/companies.csv?tag=${t.customer}`)).toEqual(["Analytical Engines, Ltd."]);
    expect(await names(`/app/export/companies.csv?tag=${t.vip}`)).toEqual([]);
    // An empty export is still a valid file: the header row only.
    const empty = (await download(`/app/export/companies.json?tag=${t.vip}`, t.cookie)).text;
    expect(JSON.parse(empty).records).toEqual([]);
  });

  it("a filter that cannot be read refuses the export instead of exporting everything", async () => {
    for (const path of [
      "/app/export/contacts.csv?tag=abc",
      "/app/export/contacts.json?company=-1",
      "/app/export/contacts.csv?cf_abc=1",
      "/app/export/companies.csv?tag=1.5",
    ]) {
      const res = await send(path, { cookie: t.cookie });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("Content-Disposition"), path).toBeNull();
      expect(await res.text()).toContain("could not be read");
    }
  });
});

describe("the download", () => {
  it("has the right type, a safe attachment name and no-store, for every export", async () => {
    const date = new Date().toISOString().slice(0, 10);
    const types = {
      csv: "text/csv; charset=utf-8; header=present",
      json: "application/json; charset=utf-8",
      vcf: "text/vcard; charset=utf-8",
    };
    for (const file of CONTACT_AND_COMPANY_EXPORTS) {
      const { res } = await download(
        `/app/export/${file}?q=${encodeURIComponent('Ada "; filename=evil.exe')}`,
        t.cookie,
      );
      const [kind, format] = file.split(".") as [string, keyof typeof types];
      expect(res.headers.get("Content-Type"), file).toBe(types[format]);
      // The tenant's name and the query never reach the file name.
      expect(res.headers.get("Content-Disposition"), file).toBe(
        `attachment; filename="customertrackr-${kind}-${date}.${format}"`,
      );
      expect(res.headers.get("Cache-Control"), file).toBe("no-store");
    }
  });

  it("writes an audit entry per export, with the kind, format and which filters applied, and the audit page labels it", async () => {
    const before = (await auditOf(t.tenantId, "data.exported")).length;
    await download(`/app/export/contacts.vcf?tag=${t.vip}&q=ada`, t.cookie);
    await download("/app/export/notes.json", t.cookie);
    const entries = (await auditOf(t.tenantId, "data.exported")).slice(before);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ target_label: "contacts.vcf", ip: expect.any(String) });
    expect(JSON.parse(entries[0]!.detail as string)).toEqual({ kind: "contacts", format: "vcf", filters: "q tag" });
    expect(JSON.parse(entries[1]!.detail as string)).toEqual({ kind: "notes", format: "json", filters: "none" });
    // The search words themselves are not kept in the append-only trail (the random ids left out: base32 may
    // spell "ada", as a user id did once in CI).
    const kept = entries.map(({ id: _, tenant_id: __, actor_user_id: ___, ...rest }) => rest);
    expect(JSON.stringify(kept)).not.toContain("ada");
    const page = await send("/app/settings/audit?action=data.exported", { cookie: t.cookie });
    const html = await page.text();
    expect(html).toContain("Exported data");
    expect(html).toContain("contacts.vcf");
  });
});

describe("the export page and its links", () => {
  it("lists every download, and is linked from the settings tabs", async () => {
    const res = await send("/app/export", { cookie: t.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Export data</h1>");
    for (const file of CONTACT_AND_COMPANY_EXPORTS) {
      expect(html).toMatch(new RegExp(`<a href="/app/export/${file.replace(".", "\\.")}" download=""`));
    }
    expect(html).toContain('<a href="/app/export" aria-current="page"');
    const settings = await textOf("/app/settings/tags", { cookie: t.cookie });
    expect(settings).toContain('<a href="/app/export">Export</a>');
  });

  it("the contacts list links to an export of what it shows, filters included, and the page describes them", async () => {
    const list = await textOf(`/app/contacts?tag=${t.vip}&q=ada&sort=updated`, { cookie: t.cookie });
    const href = list.match(/<p class="export-link"><a href="([^"]+)">([^<]+)<\/a>/);
    expect(href?.[2]).toBe("Export the contacts that match");
    const exportHref = href![1]!.replace(/&amp;/g, "&");
    expect(new URL(exportHref, "http://x").searchParams.get("list")).toBe("contacts");
    const page = await textOf(exportHref, { cookie: t.cookie });
    expect(page).toContain("Search: “ada”");
    expect(page).toContain("Tag: VIP");
    const csvHref = page.match(/<a href="(\/app\/export\/contacts\.csv\?[^"]+)"/)![1]!.replace(/&amp;/g, "&");
    expect(csvHref).not.toContain("sort=");
    const emails = csvRecords((await download(csvHref, t.cookie)).text.slice(1)).map((r) => r.Email);
    expect(emails).toEqual(["ada@example.com"]);
    // The companies and notes downloads stay whole.
    expect(page).toContain('<a href="/app/export/companies.csv" download=""');
  });

  it("the companies list links to an export with its filters", async () => {
    const list = await textOf("/app/companies?q=analy", { cookie: t.cookie });
    const href = list.match(/<p class="export-link"><a href="([^"]+)">/)![1]!.replace(/&amp;/g, "&");
    const page = await textOf(href, { cookie: t.cookie });
    expect(page).toContain("Name starts with: “analy”");
    const csvHref = page.match(/<a href="(\/app\/export\/companies\.csv\?[^"]+)"/)![1]!.replace(/&amp;/g, "&");
    expect(csvRecords((await download(csvHref, t.cookie)).text.slice(1)).map((r) => r.Name)).toEqual([
      "Analytical Engines, Ltd.",
    ]);
    expect(page).toContain('<a href="/app/export/contacts.csv" download=""');
  });
});

/** The real D1 binding, except that the `failAt`-th contacts page query fails, as in an outage mid-download. */
function failingPageQuery(failAt: number): D1Database {
  let pages = 0;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop) {
        if (prop === "prepare") {
          return (sql: string) => {
            if (/ FROM contacts c\b/.test(sql) && /\bLIMIT \?/.test(sql) && ++pages === failAt)
              throw new Error("D1_ERROR: simulated outage (test fault injection)");
            return (obj as unknown as D1Database).prepare(sql);
          };
        }
        if (prop === "withSession")
          return (...args: [string]) => wrap((obj as unknown as D1Database).withSession(...args));
        const value = Reflect.get(obj, prop);
        return typeof value === "function" ? value.bind(obj) : value;
      },
    });
  return wrap(env.DB);
}

describe("when the database fails", () => {
  it("before the first record: an error page, no file, and no export recorded", async () => {
    const t2 = await newTenant("Failing Export Co");
    await insertContacts(t2.tenantId, 5);
    const res = await send("/app/export/contacts.csv", { cookie: t2.cookie, env: { DB: failingPageQuery(1) } });
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Disposition")).toBeNull();
    expect(await res.text()).toContain("Something went wrong");
    expect(await auditOf(t2.tenantId, "data.exported")).toEqual([]);
  });

  it("in the middle: the download is cut short, never passed off as complete", async () => {
    const t2 = await newTenant("Failing Later Co");
    await insertContacts(t2.tenantId, 2500);
    const res = await send("/app/export/contacts.csv", { cookie: t2.cookie, env: { DB: failingPageQuery(2) } });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });
});
