/**
 * Empties the test storage, as a new one would be: every row of every table deleted (the schema
 * stays, migrated) and every R2 object deleted. The *.isolated.test.ts files run one after another in
 * a single workerd and call this first (test/setup.ts), instead of starting a workerd and loading the
 * app again for each file (about a tenth of the suite's time).
 */
import { env } from "cloudflare:workers";

export async function emptyStorage(): Promise<void> {
  await Promise.all([env.DB, env.SHARD_0!, env.SHARD_1!, env.SHARD_2!].map(emptyDatabase));
  for (;;) {
    const listed = await env.FILES.list({ limit: 1000 });
    if (listed.objects.length === 0) break;
    await env.FILES.delete(listed.objects.map((o) => o.key));
  }
}

/**
 * Deletes every row of one database (the control database or a shard) in one batch. Dropping every
 * table and migrating again cost each isolated file about a second per database. The triggers go
 * first and come back last, from their own text: some refuse deletes (the append-only audit log) and
 * others write into the search index or the reports as rows go.
 */
async function emptyDatabase(db: D1Database): Promise<void> {
  // sqlite_* and _cf_* belong to SQLite and to D1; d1_migrations says the schema is there.
  const { results } = await db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE (name = 'sqlite_sequence' OR name NOT LIKE 'sqlite_%') AND name NOT LIKE '_cf_%' AND type IN ('table', 'trigger') ORDER BY rowid",
    )
    .all<{ type: string; name: string; sql: string }>();
  // An FTS table's shadow tables (contacts_fts_data, …) are emptied with it.
  const shadows = new Set(
    results
      .filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql))
      .flatMap((r) => ["data", "idx", "content", "docsize", "config"].map((part) => `${r.name}_${part}`)),
  );
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  // sqlite_sequence (AUTOINCREMENT's counters) is emptied too, so ids start again as in a new database.
  const tables = results.filter((r) => r.type === "table" && !shadows.has(r.name) && r.name !== "d1_migrations");
  if (tables.length === 0) return;
  const triggers = results.filter((r) => r.type === "trigger");
  await db.batch([
    // Parents and children go in any order: the foreign keys are checked at the batch's end.
    db.prepare("PRAGMA defer_foreign_keys = ON"),
    ...triggers.map((t) => db.prepare(`DROP TRIGGER ${quoted(t.name)}`)),
    ...tables.map((t) => db.prepare(`DELETE FROM ${quoted(t.name)}`)),
    ...triggers.map((t) => db.prepare(t.sql)),
  ]);
}
