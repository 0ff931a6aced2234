/**
 * Empties the test storage, as a new one would be: every table, view and trigger dropped (the
 * migrations then make them again) and every R2 object deleted. The *.isolated.test.ts files run one
 * after another in a single workerd and call this first (test/setup.ts), instead of starting a workerd
 * and loading the app again for each file (about a tenth of the suite's time).
 */
import { env } from "cloudflare:workers";

export async function emptyStorage(): Promise<void> {
  // A shard is emptied only when a test left rows in it (few do: test/shards): dropping and migrating
  // the three again would cost each isolated file about a second.
  const shards = [env.SHARD_0!, env.SHARD_1!, env.SHARD_2!];
  const used = await Promise.all(shards.map(holdsRows));
  await Promise.all([env.DB, ...shards.filter((_, i) => used[i])].map(emptyDatabase));
  for (;;) {
    const listed = await env.FILES.list({ limit: 1000 });
    if (listed.objects.length === 0) break;
    await env.FILES.delete(listed.objects.map((o) => o.key));
  }
}

/** Whether any ordinary table of the database holds a row (the search index's own tables always do). */
async function holdsRows(db: D1Database): Promise<boolean> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '%_fts%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  if (results.length === 0) return false;
  const probes = results.map((r) => `EXISTS (SELECT 1 FROM "${r.name.replaceAll('"', '""')}")`);
  const row = await db.prepare(`SELECT ${probes.join(" OR ")} AS used`).first<{ used: number }>();
  return row?.used === 1;
}

/** Drops every table, view and trigger of one database (the control database or a shard). */
async function emptyDatabase(db: D1Database): Promise<void> {
  // sqlite_* and _cf_* belong to SQLite and to D1.
  const { results } = await db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND type IN ('table', 'view', 'trigger') ORDER BY rowid DESC",
    )
    .all<{ type: string; name: string; sql: string | null }>();
  // An FTS table's shadow tables (contacts_fts_data, …) cannot be dropped; they go with it.
  const shadows = new Set(
    results
      .filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql ?? ""))
      .flatMap((r) => ["data", "idx", "content", "docsize", "config"].map((part) => `${r.name}_${part}`)),
  );
  const kept = results.filter((r) => !(r.type === "table" && shadows.has(r.name)));
  const drop = (type: string, name: string) =>
    db.prepare(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
  const statements = kept.filter((r) => r.type !== "table").map((r) => drop(r.type, r.name));
  // Tables that others refer to go after those others: a DROP deletes the rows first, and the
  // foreign key check of a row needs its parent table.
  let tables = kept.filter((r) => r.type === "table");
  const parents = (sql: string | null) => [...(sql ?? "").matchAll(/REFERENCES\s+[`"]?(\w+)/gi)].map((m) => m[1]);
  while (tables.length > 0) {
    const free = tables.filter((t) => !tables.some((o) => o !== t && parents(o.sql).includes(t.name)));
    if (free.length === 0) throw new Error(`tables refer to each other: ${tables.map((t) => t.name).join(", ")}`);
    statements.push(...free.map((t) => drop("table", t.name)));
    tables = tables.filter((t) => !free.includes(t));
  }
  if (statements.length > 0) await db.batch([db.prepare("PRAGMA defer_foreign_keys = ON"), ...statements]);
}
