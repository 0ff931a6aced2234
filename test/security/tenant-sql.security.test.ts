/**
 * Raw SQL cannot forget the tenant: every statement written in src/ that reads, updates or deletes
 * rows of a table with a tenant_id column (found from the schema, so a new table is covered) names a
 * tenant_id condition in its own text, every insert into one writes its tenant_id column, and a
 * statement that must span workspaces says why in an SQL comment (`/* all tenants: why *\/`, e.g.
 * the retention job's sweeps). Query-builder statements get their filter from the TenantDb handle
 * (src/db/scoped.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { repoText } from "../helpers/repo";

async function tenantTables(): Promise<string[]> {
  const rows = await env.DB.prepare(
    `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'sqlite_%'
      AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'tenant_id')`,
  ).all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

const READ_OR_WRITE = /\b(?:FROM|JOIN|UPDATE)\s+["`]?([a-z_]+)["`]?/gi;
const INSERT = /\bINTO\s+["`]?([a-z_]+)["`]?\s*(\([^)]*\))?/gi;
const TENANT_CONDITION = /\btenant_id\s*(=|IN\b|IS\s+NULL\b)|=\s*\w+\.tenant_id\b/i;
const ACROSS_TENANTS = /\/\*\s*all tenants: [^*]{10,}\*\//;

/** What is wrong with one statement, or nothing. */
function problemsOf(text: string, tables: Set<string>): string[] {
  if (ACROSS_TENANTS.test(text)) return [];
  const read = [...new Set([...text.matchAll(READ_OR_WRITE)].map((m) => m[1]!).filter((t) => tables.has(t)))];
  const inserted = [...text.matchAll(INSERT)].filter((m) => tables.has(m[1]!) && !/\btenant_id\b/.test(m[2] ?? ""));
  return [
    ...(read.length && !TENANT_CONDITION.test(text) ? [`reads ${read.join(", ")} with no tenant condition`] : []),
    ...inserted.map((m) => `inserts into ${m[1]} without its tenant_id`),
  ];
}

describe("raw SQL on tenant tables", () => {
  it("finds the statements (the parser still sees the code), and the rule catches what it should", async () => {
    const statements = await repoText("sqlStatements");
    expect(statements.length).toBeGreaterThan(100);
    expect(statements.some((s) => s.file === "src/services/privacy/retention.ts")).toBe(true);
    const tables = new Set(await tenantTables());
    expect(problemsOf("SELECT id FROM contacts WHERE id = ?", tables)).toHaveLength(1);
    expect(problemsOf("INSERT INTO notes (subject_id, body) VALUES (?, ?)", tables)).toHaveLength(1);
    expect(problemsOf("SELECT id FROM contacts WHERE tenant_id = ? AND id = ?", tables)).toEqual([]);
  });

  it("always names a tenant_id condition, or says why it spans all tenants", async () => {
    const tables = new Set(await tenantTables());
    expect(tables.has("contacts")).toBe(true);
    const unscoped = (await repoText("sqlStatements")).flatMap((s) =>
      problemsOf(s.text, tables).map((p) => `${s.file}:${s.line} ${p}: ${s.text.replace(/\s+/g, " ").slice(0, 100)}`),
    );
    expect(unscoped).toEqual([]);
  });
});
