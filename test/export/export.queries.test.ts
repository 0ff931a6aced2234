/**
 * Exports cost one D1 query per page of 1,000 records, whatever the size: 10,000 contacts with
 * emails, phones, tags, custom values and notes arrive whole with ceil(10000/1000) page queries plus
 * a fixed few, the body streams after the handler has returned, every statement stays far below
 * D1's 100 bound parameters, and every page query walks an index that starts with tenant_id.
 */
import { env } from "cloudflare:workers";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notePageSql } from "../../src/services/export/notes";
import { companyPageSql, contactPageSql } from "../../src/services/export/read";
import { EXPORT_PAGE_SIZE, NO_CONTACT_FILTERS } from "../../src/services/export/columns";
import { dealPageSql } from "../../src/services/export/deals-read";
import { ftsQuery, searchTerms } from "../../src/services/records/search";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { insertContacts, newTenant } from "../contacts/contact-helpers";
import { insertField, insertTag } from "../companies/helpers";
import { csvRecords, parseVcards } from "./helpers";

const N = 10_000;
const PAGES = Math.ceil(N / EXPORT_PAGE_SIZE);

/** The page queries among the statements a request sent (one per page, whatever the format). */
const pageQueries = (statements: string[], table: "contacts" | "companies" | "notes") =>
  statements.filter(
    (s) =>
      (table === "contacts"
        ? / FROM contacts c\b|CROSS JOIN contacts c\b/
        : table === "companies"
          ? / FROM companies co\b/
          : / FROM notes n\b/
      ).test(s) && /\bLIMIT \?/.test(s),
  );

/** Sends an export through a counting binding; returns the response, the statements sent before the body was read, and after. */
async function countedExport(path: string, cookie: string) {
  const counting = countingDb();
  const res = await send(path, { cookie, env: { DB: counting.binding } });
  expect(res.status, path).toBe(200);
  const beforeBody = [...counting.statements];
  // Decoded keeping the BOM (Response.text() would drop it), so every text starts with it as the file does.
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(await res.arrayBuffer());
  return { res, text, beforeBody, statements: counting.statements };
}

let big: Awaited<ReturnType<typeof newTenant>> & { tag: number };
let small: Awaited<ReturnType<typeof newTenant>>;

beforeAll(async () => {
  // 10,000 contacts in a few INSERT ... SELECT statements (a recursive CTE, a row per contact in each
  // child table), so every correlated lookup of the export has work to do.
  big = { ...(await newTenant("Ten Thousand Co")), tag: 0 };
  await insertContacts(big.tenantId, N, {
    start: Date.now() - 10 * N,
    children: [
      "INSERT INTO contact_emails (tenant_id, contact_id, position, email) SELECT ?1, id, 1, 'second' || id || '@example.org' FROM seed",
      "INSERT INTO contact_phones (tenant_id, contact_id, position, phone) SELECT ?1, id, 0, '+1415555' || printf('%04d', id % 10000) FROM seed",
      "INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at) SELECT ?1, 'contact', id, NULL, 'Note about ' || id, at, at FROM seed",
    ],
  });
  big.tag = await insertTag(big.tenantId, "Everyone");
  const other = await insertTag(big.tenantId, "Also");
  const tier = await insertField(big.tenantId, "contact", "Tier", "select", ["gold"]);
  const since = await insertField(big.tenantId, "contact", "Since", "date");
  const t = big.tenantId;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ?",
    ).bind(big.tag, t),
    env.DB.prepare(
      "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ? AND id % 2 = 0",
    ).bind(other, t),
    env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, 'gold' FROM contacts WHERE tenant_id = ?",
    ).bind(tier, t),
    env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, '2020-01-02' FROM contacts WHERE tenant_id = ?",
    ).bind(since, t),
    env.DB.prepare(
      "UPDATE contacts SET owner_id = (SELECT user_id FROM memberships WHERE tenant_id = ?1), primary_phone = '+1415555' || printf('%04d', id % 10000) WHERE tenant_id = ?1",
    ).bind(t),
  ]);
  small = await newTenant("Three Co");
  await insertContacts(small.tenantId, 3);
}, 120_000);

describe("an export of 10,000 contacts", () => {
  it("CSV: all 10,000 rows, complete, with exactly ceil(10000/1000) page queries and a fixed few others", async () => {
    const started = Date.now();
    const bigRun = await countedExport("/app/export/contacts.csv", big.cookie);
    const ms = Date.now() - started;
    const smallRun = await countedExport("/app/export/contacts.csv", small.cookie);
    const rows = csvRecords(bigRun.text.slice(1));
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.Email)).size).toBe(N);
    // Every contact has "Everyone"; those of even id "Also" (ids continue from other files' rows).
    expect(rows.filter((r) => r.Tags === "Also; Everyone")).toHaveLength(N / 2);
    expect(rows.filter((r) => r.Tags === "Everyone")).toHaveLength(N / 2);
    expect(rows[0]).toMatchObject({
      "Email 2": expect.stringMatching(/^second\d+@example\.org$/),
      Phone: expect.stringMatching(/^'\+1415555\d{4}$/),
      Tier: "gold",
      Since: "2020-01-02",
      Owner: big.email,
    });
    expect(rows.filter((r) => r.Tags === "Also; Everyone")).toHaveLength(N / 2);

    expect(pageQueries(bigRun.statements, "contacts")).toHaveLength(PAGES);
    expect(pageQueries(smallRun.statements, "contacts")).toHaveLength(1);
    // Everything else (session, the field definitions, the audit entry) does not grow with the rows.
    const fixed = smallRun.statements.length - 1;
    expect(bigRun.statements.length).toBe(PAGES + fixed);
    expect(fixed).toBeLessThanOrEqual(5);
    console.log(
      `export of ${N} contacts as CSV: ${bigRun.statements.length} D1 queries (${PAGES} pages + ${fixed}), ${bigRun.text.length} characters, ${ms} ms`,
    );
  });

  it("JSON and vCard, with every note, take one query per page too", async () => {
    const json = await countedExport("/app/export/contacts.json", big.cookie);
    const doc = JSON.parse(json.text);
    expect(doc.records).toHaveLength(N);
    expect(doc.records[N - 1].notes).toEqual([
      expect.objectContaining({ body: `Note about ${doc.records[N - 1].id}`, author: null }),
    ]);
    const ids = doc.records.map((r: { id: number }) => r.id);
    expect(new Set(ids).size).toBe(N);
    expect(pageQueries(json.statements, "contacts")).toHaveLength(PAGES);

    const vcf = await countedExport("/app/export/contacts.vcf", big.cookie);
    expect(parseVcards(vcf.text)).toHaveLength(N);
    expect(pageQueries(vcf.statements, "contacts")).toHaveLength(PAGES);
    // A vCard has no custom fields, so it does not read their definitions: one query fewer.
    expect(vcf.statements.length).toBe(json.statements.length - 1);
  });

  it("streams: when the response arrives only the first page has been read; the rest is read as the body is", async () => {
    const run = await countedExport("/app/export/contacts.csv", big.cookie);
    // The handler has returned (and its request's D1 session has been handed on) before these pages are read.
    expect(pageQueries(run.beforeBody, "contacts")).toHaveLength(1);
    expect(pageQueries(run.statements, "contacts")).toHaveLength(PAGES);
  });

  it("filtered exports page the same way", async () => {
    const run = await countedExport(`/app/export/contacts.csv?tag=${big.tag}&q=bulk`, big.cookie);
    expect(csvRecords(run.text.slice(1))).toHaveLength(N);
    expect(pageQueries(run.statements, "contacts")).toHaveLength(PAGES);
  });

  it("no statement comes near D1's 100 bound parameters, even with every filter at once", async () => {
    const fields = [];
    for (let i = 0; i < 5; i++) fields.push(await insertField(big.tenantId, "contact", `Filter ${i}`, "text"));
    const query = new URLSearchParams({ q: "a b c d e f g h", tag: String(big.tag), company: "1", owner: "someone" });
    for (const f of fields) query.set(`cf_${f}`, "x");
    for (const file of ["contacts.csv", "contacts.json", "companies.csv", "notes.json"]) {
      const run = await countedExport(
        `/app/export/${file}?${file.startsWith("contacts") ? query : "q=a&tag=1"}`,
        big.cookie,
      );
      for (const s of run.statements) expect((s.match(/\?/g) ?? []).length, s).toBeLessThan(30);
    }
  });
});

describe("companies and notes page by their keys too", () => {
  it("2,500 companies and 2,500 notes arrive whole, each in 3 page queries", async () => {
    const t = await newTenant("Pages Co");
    const now = Date.now() - 100_000;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO companies (tenant_id, name, name_sort, created_at, updated_at, last_activity_at)
         WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 2500)
         SELECT ?1, 'Company ' || i, 'company ' || i, ?2 + (i % 7), ?2, ?2 FROM seq`,
      ).bind(t.tenantId, now),
      // Notes on companies and on contacts that share ids with them, ordered by record across pages.
      env.DB.prepare(
        "INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at) SELECT tenant_id, 'company', id, NULL, 'On company ' || id, ?2, ?2 FROM companies WHERE tenant_id = ?1 AND id % 2 = 0",
      ).bind(t.tenantId, now),
      env.DB.prepare(
        "INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at) SELECT tenant_id, 'contact', id, NULL, 'On record ' || id, ?2, ?2 FROM companies WHERE tenant_id = ?1 AND id % 2 = 1",
      ).bind(t.tenantId, now),
    ]);
    const companies = await countedExport("/app/export/companies.csv", t.cookie);
    const names = csvRecords(companies.text.slice(1)).map((r) => r.Name);
    expect(names).toHaveLength(2500);
    expect(new Set(names).size).toBe(2500);
    expect(pageQueries(companies.statements, "companies")).toHaveLength(3);

    const notes = await countedExport("/app/export/notes.json", t.cookie);
    const records = JSON.parse(notes.text).records as { id: number; record_type: string }[];
    expect(records).toHaveLength(2500);
    expect(new Set(records.map((r) => r.id)).size).toBe(2500);
    expect(pageQueries(notes.statements, "notes")).toHaveLength(3);
  });
});

describe("query plans", () => {
  const dialect = new SQLiteAsyncDialect();
  async function plan(query: SQL): Promise<string[]> {
    const { sql, params } = dialect.sqlToQuery(query);
    const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return rows.results.map((r) => r.detail);
  }

  it("each page query seeks its place in an index that leads with tenant_id, and never scans a table or sorts the tenant", async () => {
    const tenant = big.tenantId;
    const after = { createdAt: Date.now(), id: 5000 };
    const cases: [string, SQL, RegExp][] = [
      [
        "contacts",
        contactPageSql(tenant, NO_CONTACT_FILTERS, after, { notes: true }),
        /^SEARCH c USING INDEX contacts_tenant_created_idx \(tenant_id=\? AND created_at>\?\)/,
      ],
      [
        "contacts, first page",
        contactPageSql(tenant, NO_CONTACT_FILTERS, null),
        /^SEARCH c USING INDEX contacts_tenant_created_idx \(tenant_id=\?\)/,
      ],
      [
        "contacts by tag",
        contactPageSql(tenant, { ...NO_CONTACT_FILTERS, tagId: 1 }, after),
        /^SEARCH c USING INDEX contacts_tenant_created_idx/,
      ],
      [
        "contacts by company",
        contactPageSql(tenant, { ...NO_CONTACT_FILTERS, companyId: 1 }, after),
        /^SEARCH c USING INDEX contacts_tenant_created_idx/,
      ],
      [
        "contacts by owner",
        contactPageSql(tenant, { ...NO_CONTACT_FILTERS, ownerId: "x" }, after),
        /^SEARCH c USING INDEX contacts_tenant_created_idx/,
      ],
      [
        "contacts by custom field",
        contactPageSql(tenant, { ...NO_CONTACT_FILTERS, custom: [{ fieldId: 1, value: "x" }] }, after),
        /^SEARCH c USING INDEX contacts_tenant_created_idx/,
      ],
      [
        "contacts by search",
        contactPageSql(tenant, { ...NO_CONTACT_FILTERS, match: ftsQuery(tenant, searchTerms("bulk")) }, after),
        /^SCAN contacts_fts VIRTUAL TABLE INDEX \S+ \| SEARCH c USING INTEGER PRIMARY KEY/,
      ],
      [
        "companies",
        companyPageSql(tenant, { q: "ab", tagId: 1 }, after, { notes: true }),
        /^SEARCH co USING INDEX companies_tenant_created_idx \(tenant_id=\? AND created_at>\?\)/,
      ],
      [
        "notes",
        notePageSql(tenant, { subjectType: "contact", subjectId: 9, id: 9 }),
        /^SEARCH n USING INDEX notes_tenant_subject_idx \(tenant_id=\? AND \(subject_type,subject_id\)>\(\?,\?\)\)/,
      ],
      [
        "deals",
        dealPageSql(tenant, { nameSort: "m", id: 9 }, { details: true }),
        /^SEARCH d USING INDEX deals_tenant_name_idx \(tenant_id=\? AND name_sort>\?\)/,
      ],
      ["deals, first page", dealPageSql(tenant, null), /^SEARCH d USING INDEX deals_tenant_name_idx \(tenant_id=\?\)/],
    ];
    const report: string[] = [];
    for (const [label, query, first] of cases) {
      const lines = await plan(query);
      const text = lines.join(" | ");
      expect(text, label).toMatch(first);
      // Only the search index and the small per-record subquery results are ever scanned.
      expect(
        lines.filter((l) => /^SCAN /.test(l) && !/^SCAN (\(subquery-\d+\)|contacts_fts VIRTUAL TABLE)/.test(l)),
        label,
      ).toEqual([]);
      // The one sort allowed is of a record's own tag names (a few rows), right after reading them.
      expect(
        text.replace(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\) \| USE TEMP B-TREE FOR ORDER BY/g, ""),
        label,
      ).not.toContain("TEMP B-TREE");
      // Custom values are looked up by their primary key from the tenant's fields, never by walking the tenant's values.
      if (text.includes("custom_field_values"))
        expect(text, label).toMatch(
          /SEARCH v USING INDEX sqlite_autoindex_custom_field_values_1 \(tenant_id=\? AND field_id=\? AND entity_id=\?\)/,
        );
      report.push(`  ${label}: ${lines[0]}`);
    }
    console.log(`export page plans:\n${report.join("\n")}`);
  });
});
