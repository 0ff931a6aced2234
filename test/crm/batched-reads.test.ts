/**
 * In a D1 batch, drizzle maps each row from an object keyed by column name: a statement selecting two
 * columns of the same name (two "id"s, say) loses one and shifts every value after it. Every read the
 * pages put in one batch must therefore name its columns uniquely; this asks SQLite for the names each
 * statement returns.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionRowQuery } from "../../src/auth/session";
import { createDb } from "../../src/db/client";
import { scoped } from "../../src/db/scoped";
import { companyPageStatements } from "../../src/services/companies/page";
import { contactsListStatements } from "../../src/services/contacts/list-page";
import { contactPageStatements } from "../../src/services/contacts/page";
import { ftsQuery, searchTerms } from "../../src/services/records/search";
import { contactListQuery } from "../contacts/contact-helpers";

type Buildable = { toSQL(): { sql: string; params: unknown[] } };

async function columnNames(statement: Buildable): Promise<string[]> {
  const { sql, params } = statement.toSQL();
  const [names] = await env.DB.prepare(sql)
    .bind(...params)
    .raw({ columnNames: true });
  return names as string[];
}

const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

describe("statements read in one batch", () => {
  const db = createDb(env.DB);
  const base = contactListQuery();
  const cases: [string, Buildable[]][] = [
    ["the session check", [sessionRowQuery(db, "some-session")]],
    ["the contacts list", [...contactsListStatements(scoped(db, "t"), base, null, false)]],
    [
      "the contacts list, filtered by tag, company, owner and a custom field",
      [
        ...contactsListStatements(
          scoped(db, "t"),
          { ...base, tagId: 1, companyId: 2, ownerId: "u", custom: [{ fieldId: 3, value: "x" }] },
          2,
          true,
        ),
      ],
    ],
    [
      "a search",
      [
        ...contactsListStatements(
          scoped(db, "t"),
          { ...base, sort: "created", dir: "desc", match: ftsQuery("a".repeat(24), searchTerms("ada")) },
          null,
          true,
        ),
      ],
    ],
    ["a contact's page", [...contactPageStatements(scoped(db, "t"), 1)]],
    ["a company's page", [...companyPageStatements(scoped(db, "t"), 1)]],
  ];

  it.each(cases)("%s names every column once", async (_label, statements) => {
    for (const statement of statements) {
      const names = await columnNames(statement);
      expect(names.length).toBeGreaterThan(0);
      expect(duplicates(names), statement.toSQL().sql).toEqual([]);
    }
  });

  it("would catch a statement that selects two columns of the same name", async () => {
    const names = await columnNames({
      toSQL: () => ({ sql: "SELECT c.id, t.id FROM contacts c JOIN tenants t ON t.id = c.tenant_id", params: [] }),
    });
    expect(duplicates(names)).toEqual(["id"]);
  });
});
