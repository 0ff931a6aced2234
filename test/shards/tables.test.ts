/**
 * What a move copies is derived from the schema: every table with a tenant_id column (the erasure's
 * TENANT_TABLES, itself checked against the schema by test/closure) is moved with its workspace unless
 * it is named as control data or as derived by triggers. A new table therefore moves by default.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TENANT_TABLES } from "../../src/services/privacy/erasure-steps";
import { shapeOf } from "../../src/services/shards/rows";
import { CONTROL_TABLES, DELETED_TABLES, DERIVED_TABLES, MOVED_TABLES } from "../../src/services/shards/tables";

/** Tables that a trigger writes, with the table whose trigger writes them. */
async function triggerWrites(): Promise<Map<string, string[]>> {
  const { results } = await env.DB.prepare(
    "SELECT tbl_name AS source, sql FROM sqlite_master WHERE type = 'trigger'",
  ).all<{
    source: string;
    sql: string;
  }>();
  const out = new Map<string, string[]>();
  for (const { source, sql } of results) {
    const body = sql.slice(sql.search(/\bBEGIN\b/i));
    for (const m of body.matchAll(/\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)/gi))
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), source]);
  }
  return out;
}

describe("the tables a move works on", () => {
  it("place every tenant table: moved, control or derived, and no other name", () => {
    const named = [...MOVED_TABLES, ...Object.keys(CONTROL_TABLES), ...Object.keys(DERIVED_TABLES)];
    expect([...named].sort()).toEqual([...TENANT_TABLES].sort());
    expect(new Set(named).size).toBe(named.length);
    expect(MOVED_TABLES).toContain("contacts");
    expect(MOVED_TABLES).not.toContain("sessions");
    // The old copy goes as the erasure empties a workspace: children first, control tables kept.
    expect(DELETED_TABLES.filter((t) => t in CONTROL_TABLES)).toEqual([]);
  });

  it("copy parents before children: no moved table's foreign key names a moved table copied after it", async () => {
    const misplaced: string[] = [];
    for (const child of MOVED_TABLES) {
      const { results } = await env.DB.prepare('SELECT "table" AS parent FROM pragma_foreign_key_list(?)')
        .bind(child)
        .all<{ parent: string }>();
      for (const { parent } of results) {
        const p = MOVED_TABLES.indexOf(parent as never);
        if (p > MOVED_TABLES.indexOf(child) && parent !== child) misplaced.push(`${child} → ${parent}`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it("give every moved and derived table a primary key, so a copy run twice finds its rows", async () => {
    for (const table of [...MOVED_TABLES, ...Object.keys(DERIVED_TABLES)])
      expect((await shapeOf(env.DB, table)).pk.length, table).toBeGreaterThan(0);
  });

  it("leave only tables that triggers keep up uncopied; a copied table a trigger writes is pruned to the source's rows", async () => {
    const written = await triggerWrites();
    const tenantWritten = [...written.keys()].filter((t) => (TENANT_TABLES as readonly string[]).includes(t));
    for (const table of Object.keys(DERIVED_TABLES)) expect(tenantWritten, table).toContain(table);
    // webhook_events' fan-out trigger makes deliveries on the target for each copied event; the prune
    // step deletes those the source does not have (test/shards/move.isolated.test.ts has a webhook endpoint).
    expect(tenantWritten.filter((t) => !(t in DERIVED_TABLES)).sort()).toEqual(["webhook_deliveries"]);
  });
});
