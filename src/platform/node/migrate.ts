/**
 * `wrangler d1 migrations apply` for libSQL: migrations/*.sql in name order, each in one transaction
 * with its row in d1_migrations (the table and shape wrangler keeps), so a database moved between
 * the two knows what it has.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@libsql/client";

const TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Applies the migrations not yet recorded; returns their names. */
export async function applyMigrations(client: Client, dir: string): Promise<string[]> {
  await client.execute(TABLE);
  const done = new Set((await client.execute("SELECT name FROM d1_migrations")).rows.map((r) => String(r.name)));
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const applied: string[] = [];
  for (const name of files) {
    if (done.has(name)) continue;
    const sql = await readFile(path.join(dir, name), "utf8");
    const tx = await client.transaction("write");
    try {
      await tx.executeMultiple(sql);
      await tx.execute({ sql: "INSERT INTO d1_migrations (name) VALUES (?)", args: [name] });
      await tx.commit();
    } catch (err) {
      await tx.rollback().catch(() => {});
      throw new Error(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      tx.close();
    }
    applied.push(name);
  }
  return applied;
}
