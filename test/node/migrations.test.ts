/**
 * The schema (src/db/schema/), drizzle-kit's last snapshot (migrations/meta) and the migrations say the same: `npm run
 * db:generate` writes only what a change adds (with the snapshot left at 0017 while 0019–0036 were written by hand,
 * it wrote every table made since again), and a database migrated from migrations/ has each table, column, index
 * and foreign key the schema declares, as the schema declares it.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from "drizzle-kit/api";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";
import { applyMigrations } from "../../src/platform/node/migrate";

const MIGRATIONS = path.resolve("migrations");
const declared = await generateSQLiteDrizzleJson(schema);

/** A table as drizzle-kit's snapshot describes it (the parts compared here). */
interface DeclaredTable {
  name: string;
  columns: Record<string, { name: string; type: string; notNull: boolean; primaryKey: boolean }>;
  indexes: Record<string, { name: string; columns: string[]; isUnique: boolean }>;
  foreignKeys: Record<string, { tableTo: string; columnsFrom: string[]; columnsTo: string[]; onDelete?: string }>;
}

describe("the schema and the migrations", () => {
  it("drizzle-kit's last snapshot is the schema: the next db:generate writes only what changed", async () => {
    const meta = path.join(MIGRATIONS, "meta");
    const last = readdirSync(meta)
      .filter((f) => f.endsWith("_snapshot.json"))
      .sort()
      .at(-1)!;
    const snapshot = JSON.parse(readFileSync(path.join(meta, last), "utf8"));
    expect(await generateSQLiteMigration(snapshot, declared)).toEqual([]);
    // The journal's last entry is the newest migration file, so the next one is numbered after it.
    const journal = JSON.parse(readFileSync(path.join(meta, "_journal.json"), "utf8"));
    const newest = readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .at(-1)!;
    expect(`${journal.entries.at(-1).tag}.sql`).toBe(newest);
    expect(last).toBe(`${newest.slice(0, 4)}_snapshot.json`);
  });

  it("a database migrated from migrations/ has every table, column, index and foreign key as declared", async () => {
    const client = createClient({
      url: `file:${path.join(mkdtempSync(path.join(tmpdir(), "ct-migrations-")), "m.db")}`,
    });
    await applyMigrations(client, MIGRATIONS);
    const rows = async (sql: string) => (await client.execute(sql)).rows as unknown as Record<string, unknown>[];
    const drift: string[] = [];
    for (const table of Object.values(declared.tables as Record<string, DeclaredTable>)) {
      const columns = await rows(`PRAGMA table_info(${JSON.stringify(table.name)})`);
      if (columns.length === 0) {
        drift.push(`${table.name}: no such table`);
        continue;
      }
      const have = columns.map((c) => `${c.name} ${String(c.type).toLowerCase()}${c.notnull ? " not null" : ""}`);
      const want = Object.values(table.columns).map(
        (c) => `${c.name} ${c.type.toLowerCase()}${c.notNull || c.primaryKey ? " not null" : ""}`,
      );
      for (const c of want)
        if (!have.includes(c) && !have.includes(c.replace(/ not null$/, ""))) drift.push(`${table.name}: column ${c}`);
      for (const c of have)
        if (!want.some((w) => w.split(" ")[0] === c.split(" ")[0])) drift.push(`${table.name}: undeclared column ${c}`);
      const indexes = await rows(`PRAGMA index_list(${JSON.stringify(table.name)})`);
      for (const index of Object.values(table.indexes)) {
        const found = indexes.find((i) => i.name === index.name);
        if (!found) {
          drift.push(`${table.name}: index ${index.name}`);
          continue;
        }
        const cols = (await rows(`PRAGMA index_info(${JSON.stringify(index.name)})`)).map((c) => c.name);
        if (cols.join(",") !== index.columns.join(",") || Boolean(found.unique) !== index.isUnique)
          drift.push(`${table.name}: index ${index.name} is (${cols}) unique=${found.unique}`);
      }
      const named = new Set(Object.values(table.indexes).map((i) => i.name));
      for (const i of indexes)
        if (i.origin === "c" && !named.has(String(i.name))) drift.push(`${table.name}: undeclared index ${i.name}`);
      const keys = (await rows(`PRAGMA foreign_key_list(${JSON.stringify(table.name)})`)).map(
        (k) => `${k.from}->${k.table}.${k.to} ${String(k.on_delete).toLowerCase()}`,
      );
      for (const fk of Object.values(table.foreignKeys)) {
        const want = fk.columnsFrom.map(
          (from, i) => `${from}->${fk.tableTo}.${fk.columnsTo[i]} ${(fk.onDelete ?? "no action").toLowerCase()}`,
        );
        for (const k of want) if (!keys.includes(k)) drift.push(`${table.name}: foreign key ${k}`);
      }
    }
    expect(drift).toEqual([]);
  });
});
