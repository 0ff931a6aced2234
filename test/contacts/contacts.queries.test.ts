/**
 * The contacts pages make a small, constant number of D1 statements whatever the number of rows, and
 * every list query is answered from an index: EXPLAIN QUERY PLAN of the exact SQL the service builds
 * never shows a full scan of contacts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { contactsListQueries, contactsListQuery, type ContactListQuery } from "../../src/services/contacts/list";
import { CONTACT_SORTS, DEFAULT_DIRECTION } from "../../src/services/contacts/sort";
import { ftsQuery, searchTerms } from "../../src/services/records/search";
import { send } from "../helpers/http";
import { countingDb } from "../helpers/query-count";
import { newTenant } from "../helpers/tenants";
import {
  contactListQuery,
  createContact,
  insertCompany,
  insertContacts,
  insertCustomField,
  insertTag,
  listedIds,
  post,
} from "./contact-helpers";

async function statementsOf(path: string, cookie: string, headers: Record<string, string> = {}) {
  const counting = countingDb();
  const res = await send(path, { cookie, headers, env: { DB: counting.binding } });
  expect(res.status, path).toBe(200);
  return { statements: counting.statements, html: await res.text() };
}

/** A tenant with `n` contacts, every one tagged, at one company, with a custom value, so every per-row lookup has work. */
async function filledTenant(n: number) {
  const t = await newTenant(`Queries ${n}`);
  await insertContacts(t.tenantId, n);
  const tag = await insertTag(t.tenantId, "Tagged");
  const second = await insertTag(t.tenantId, "Also");
  const company = await insertCompany(t.tenantId, "Everyone Inc");
  const field = await insertCustomField(t.tenantId, "Tier", "text");
  await env.DB.batch([
    ...[tag, second].map((tagId) =>
      env.DB.prepare(
        "INSERT INTO contact_tags (tenant_id, contact_id, tag_id) SELECT tenant_id, id, ? FROM contacts WHERE tenant_id = ?",
      ).bind(tagId, t.tenantId),
    ),
    env.DB.prepare(
      "UPDATE contacts SET company_id = ?1, company_name = 'Everyone Inc', company_sort = 'everyone inc', owner_id = (SELECT user_id FROM memberships WHERE tenant_id = ?2) WHERE tenant_id = ?2",
    ).bind(company, t.tenantId),
    env.DB.prepare(
      "INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value) SELECT tenant_id, ?, id, 'gold' FROM contacts WHERE tenant_id = ?",
    ).bind(field, t.tenantId),
  ]);
  return { ...t, tag, company, field };
}

describe("statements per page", () => {
  it("the list makes the same number of statements for 10 contacts as for 120, in every variant", async () => {
    const small = await filledTenant(10);
    const large = await filledTenant(120);
    const variants = (t: Awaited<ReturnType<typeof filledTenant>>) =>
      [
        ["list", "/app/contacts", {}],
        ["sorted by activity", "/app/contacts?sort=activity", {}],
        ["tag filter", `/app/contacts?tag=${t.tag}`, {}],
        ["company filter", `/app/contacts?company=${t.company}`, {}],
        ["custom field filter", `/app/contacts?cf_${t.field}=gold`, {}],
        ["search", "/app/contacts?q=bulk", {}],
        ["search fragment", "/app/contacts?q=bulk", { "HX-Request": "true", "HX-Target": "contact-results" }],
      ] as const;
    const counts: Record<string, [number, number]> = {};
    for (const [i, [label, path, headers]] of variants(small).entries()) {
      const s = await statementsOf(path, small.cookie, headers);
      const [, largePath, largeHeaders] = variants(large)[i]!;
      const l = await statementsOf(largePath, large.cookie, largeHeaders);
      expect(listedIds(s.html).length, label).toBe(10);
      expect(listedIds(l.html).length, label).toBe(50);
      expect(l.statements.length, `${label}: ${l.statements.join("\n")}`).toBe(s.statements.length);
      expect(l.statements.length, label).toBeLessThanOrEqual(8);
      counts[label] = [s.statements.length, l.statements.length];
    }
    console.log(`contacts list statements (10 vs 120 contacts): ${JSON.stringify(counts)}`);
    // Never OFFSET; a filtered list counts its matches only through a LIMITed subquery (the pager's
    // "1–50 of N", bounded), never COUNT(*) over the workspace's contacts.
    const all = (await statementsOf(`/app/contacts?tag=${large.tag}`, large.cookie)).statements
      .join("\n")
      .toLowerCase();
    expect(all).not.toContain("offset");
    const bounded = /count\(\*\) from \(\(select "id" from "contacts" where [^;]*? limit \?\)\)/g;
    expect(all).toMatch(bounded);
    expect(all.replace(bounded, "")).not.toMatch(/count\([^)]*\)[^;]*from "?contacts"?\b/);
  });

  it("a contact page makes the same number of statements with 1 note as with 30", async () => {
    const t = await newTenant("Notes Count Co");
    const tag = await insertTag(t.tenantId, "T");
    await insertCustomField(t.tenantId, "F", "text");
    const one = await createContact(t.cookie, {
      first_name: "One",
      emails: ["one@x.example", "one@y.example"],
      phones: ["(415) 555-0101"],
      tag_ids: String(tag),
    });
    const many = await createContact(t.cookie, {
      first_name: "Many",
      emails: ["many@x.example", "many@y.example"],
      phones: ["(415) 555-0102"],
      tag_ids: String(tag),
    });
    await post(`/app/contacts/${one}/notes`, t.cookie, { body: "The only note" });
    for (let i = 0; i < 30; i++) await post(`/app/contacts/${many}/notes`, t.cookie, { body: `Note number ${i}` });
    const a = await statementsOf(`/app/contacts/${one}`, t.cookie);
    const b = await statementsOf(`/app/contacts/${many}`, t.cookie);
    expect(b.html).toContain("Note number 29");
    expect(b.statements.length, b.statements.join("\n")).toBe(a.statements.length);
    // All in the page's one batch; the contact's deals added the ninth statement, its logged interactions the tenth.
    expect(b.statements.length).toBeLessThanOrEqual(10);
    console.log(`contact page statements (1 note vs 30 notes): ${a.statements.length} vs ${b.statements.length}`);
  });
});

describe("query plans", () => {
  async function plan(q: ContactListQuery, tenantId: string, read = 0): Promise<string[]> {
    const { sql, params } = contactsListQueries(scoped(createDb(env.DB), tenantId), q)[read]!.toSQL();
    const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return rows.results.map((r) => r.detail);
  }

  function expectNoContactsScan(lines: string[], label: string) {
    const text = lines.join(" | ");
    // "SCAN contacts" alone is a full scan; contacts_fts is the search index, checked separately.
    expect(text, label).not.toMatch(/\bSCAN contacts(?!_fts)\b/);
    expect(text, label).not.toMatch(/\bSCAN (contact_tags|custom_field_values|companies)\b/);
    expect(text, label).toMatch(
      /SEARCH contacts USING (COVERING )?INDEX contacts_tenant_\w+_idx|SEARCH contacts USING INTEGER PRIMARY KEY/,
    );
  }

  const base = contactListQuery;

  it("every sort, both ways, first page and later pages, uses its own index", async () => {
    const t = await filledTenant(120);
    const indexOf = {
      name: "contacts_tenant_name_idx",
      company: "contacts_tenant_company_sort_idx",
      created: "contacts_tenant_created_idx",
      updated: "contacts_tenant_updated_idx",
      activity: "contacts_tenant_activity_idx",
      contacted: "contacts_tenant_contacted_idx",
      next_task: "contacts_tenant_next_task_idx",
    };
    const values = (sort: string): (string | number | null)[] =>
      sort === "name" || sort === "company"
        ? ["m"]
        : sort === "next_task"
          ? ["2026-05-01", null]
          : sort === "contacted"
            ? [Date.now(), null]
            : [Date.now()];
    for (const sort of CONTACT_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        const cursors = values(sort).flatMap((value) => [
          { sort, dir, value, id: 50, back: false },
          { sort, dir, value, id: 50, back: true },
        ]);
        for (const cursor of [null, ...cursors]) {
          const q = base({ sort, dir, cursor });
          // A sort whose column may be null reads the rows with a value and those without: each its own range.
          const reads = contactsListQueries(scoped(createDb(env.DB), t.tenantId), q).length;
          for (let read = 0; read < reads; read++) {
            const label = `${sort} ${dir} ${cursor ? `${cursor.back ? "previous" : "next"} from ${cursor.value}` : "first"} #${read}`;
            const lines = await plan(q, t.tenantId, read);
            expectNoContactsScan(lines, label);
            expect(lines.join(" | "), label).toContain(`INDEX ${indexOf[sort]} (tenant_id=?`);
            expect(lines.join(" | "), label).not.toContain("TEMP B-TREE");
          }
        }
      }
    }
    expect(DEFAULT_DIRECTION.name).toBe("asc");
  });

  const FTS_FIRST =
    /^SCAN contacts_fts VIRTUAL TABLE INDEX \S+ \| SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)/;
  // Any other sort: the newest matches from the index (a co-routine), then each row by its id, then sorted.
  const FTS_WINDOW =
    /^CO-ROUTINE search_window \| SCAN contacts_fts VIRTUAL TABLE INDEX \S+ \| (SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\) \| (LIST SUBQUERY \d+ \| SEARCH contact_tags USING COVERING INDEX contact_tags_tenant_tag_idx \(tenant_id=\? AND tag_id=\?\) \| (CREATE BLOOM FILTER \| )?)?)?SCAN search_window \| SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)/;

  it("the tag, company, owner and custom field filters and a search use indexes (the search its full-text index)", async () => {
    const t = await filledTenant(120);
    const owner = (await env.DB.prepare("SELECT user_id FROM memberships WHERE tenant_id = ?")
      .bind(t.tenantId)
      .first<{ user_id: string }>())!.user_id;
    const match = ftsQuery(t.tenantId, searchTerms("bulk 0001"))!;
    const cases: [string, ContactListQuery, RegExp[]][] = [
      ["default list", base(), [/contacts_tenant_name_idx \(tenant_id=\?\)/]],
      ["tag filter", base({ tagId: t.tag }), [/contact_tags_tenant_tag_idx \(tenant_id=\? AND tag_id=\?\)/]],
      [
        "company filter",
        base({ companyId: t.company }),
        [/contacts_tenant_company_idx \(tenant_id=\? AND company_id=\?\)/],
      ],
      ["company filter, by update", base({ companyId: t.company, sort: "updated", dir: "desc" }), []],
      ["owner filter", base({ ownerId: owner }), [/contacts_tenant_owner_idx \(tenant_id=\? AND owner_id=\?\)/]],
      [
        "custom field filter",
        base({ custom: [{ fieldId: t.field, value: "gold" }] }),
        [/custom_field_values_tenant_value_idx \(tenant_id=\? AND field_id=\? AND value=\?\)/],
      ],
      // A search is driven by the full-text index, whatever the sort: it costs its matches, not the tenant.
      ["search", base({ match }), [FTS_WINDOW]],
      ["search, newest first (the default)", base({ match, sort: "created", dir: "desc" }), [FTS_FIRST]],
      [
        "search, newest first, next page",
        base({
          match,
          sort: "created",
          dir: "desc",
          cursor: { sort: "created", dir: "desc", value: Date.now(), id: 9, back: false },
        }),
        [FTS_FIRST],
      ],
      [
        "search, next page by update",
        base({
          match,
          sort: "updated",
          dir: "desc",
          cursor: { sort: "updated", dir: "desc", value: Date.now(), id: 9, back: false },
        }),
        [FTS_WINDOW],
      ],
      ["search with a tag", base({ match, tagId: t.tag }), [FTS_WINDOW, /contact_tags_tenant_tag_idx/]],
    ];
    const report: Record<string, string> = {};
    for (const [label, q, wanted] of cases) {
      const lines = await plan(q, t.tenantId);
      expectNoContactsScan(lines, label);
      for (const w of wanted) expect(lines.join(" | "), label).toMatch(w);
      report[label] = lines.join(" | ");
    }
    // Newest-first search streams from the index and stops after a page: no sort of all matches.
    expect(report["search, newest first (the default)"]).not.toMatch(/TEMP B-TREE/);
    expect(report["search, newest first, next page"]).not.toMatch(/TEMP B-TREE/);
    console.log(
      `contacts list plans:\n${Object.entries(report)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join("\n")}`,
    );
  });

  it("the route runs exactly the SQL that was explained", async () => {
    const t = await filledTenant(20);
    const routeStatements = (await statementsOf(`/app/contacts?tag=${t.tag}&q=bulk`, t.cookie)).statements;
    // A search without a chosen sort lists newest first, in the search index's order.
    const { sql } = contactsListQuery(
      scoped(createDb(env.DB), t.tenantId),
      base({ tagId: t.tag, sort: "created", dir: "desc", match: ftsQuery(t.tenantId, searchTerms("bulk")) }),
    ).toSQL();
    expect(routeStatements).toContain(sql);
    const plain = (await statementsOf("/app/contacts", t.cookie)).statements;
    expect(plain).toContain(contactsListQuery(scoped(createDb(env.DB), t.tenantId), base()).toSQL().sql);
  });
});
