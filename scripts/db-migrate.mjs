// `npm run db:migrate`: applies the migrations to the local control database (DB) and to every shard
// (SHARD_0..n), each a D1 database of wrangler.toml with the same migrations (docs/scale.md).
// `npm run db:migrate -- --remote` runs nothing: it prints the deploy command of each database, which
// the deploy runs one database at a time (docs/operations.md).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The binding names of wrangler.toml's [[d1_databases]], in file order: DB first, then the shards. */
export function databaseBindings(toml = readFileSync(join(root, "wrangler.toml"), "utf8")) {
  return toml
    .split(/^\[\[d1_databases\]\]\s*$/m)
    .slice(1)
    .map((block) => block.match(/^binding\s*=\s*"([A-Z0-9_]+)"/m)?.[1])
    .filter(Boolean);
}

/**
 * Applies the migrations to each local database (under `persistTo`, wrangler's --persist-to; .wrangler/state by
 * default), as `wrangler d1 migrations apply --local` does, into the same d1_migrations table: one local runtime
 * for every database (wrangler's platform proxy) instead of one wrangler run of ~20 s per database. Each
 * migration is one batch with its d1_migrations row, so a failure leaves it unapplied. Throws on the first failure.
 * `bindings`: which databases (all of wrangler.toml's by default).
 */
export async function migrateLocal({
  persistTo = join(root, ".wrangler", "state"),
  bindings = databaseBindings(),
  log = console.log,
} = {}) {
  // Offline, the local runtime's start warns that it cannot fetch Request.cf; wrangler dev says it again anyway.
  process.env.WRANGLER_LOG ??= "error";
  const { getPlatformProxy, unstable_splitSqlQuery } = await import("wrangler");
  const dir = join(root, "migrations");
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((name) => ({ name, queries: unstable_splitSqlQuery(readFileSync(join(dir, name), "utf8")) }));
  const proxy = await getPlatformProxy({
    configPath: join(root, "wrangler.toml"),
    persist: { path: join(persistTo, "v3") },
  });
  try {
    for (const binding of bindings) {
      const db = proxy.env[binding];
      await db
        .prepare(`CREATE TABLE IF NOT EXISTS d1_migrations (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          name       TEXT UNIQUE,
          applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
        )`)
        .run();
      const { results } = await db.prepare("SELECT name FROM d1_migrations").all();
      const applied = new Set(results.map((r) => r.name));
      const due = migrations.filter((m) => !applied.has(m.name));
      for (const m of due)
        try {
          await db.batch([
            ...m.queries.map((q) => db.prepare(q)),
            db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(m.name),
          ]);
        } catch (err) {
          throw new Error(`migrating ${binding}: ${m.name} failed (${err?.message ?? err})`);
        }
      log(
        `▸ ${binding}: ${due.length ? `${due.length} migration${due.length === 1 ? "" : "s"} applied` : "up to date"}`,
      );
    }
  } finally {
    await proxy.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--remote")) {
    console.log("Before deploying code that needs a new migration, run each of these (the control database first):");
    for (const binding of databaseBindings()) console.log(`  npx wrangler d1 migrations apply ${binding} --remote`);
  } else {
    const at = process.argv.indexOf("--persist-to");
    try {
      await migrateLocal(at > 0 ? { persistTo: process.argv[at + 1] } : {});
    } catch (err) {
      console.error(`✗ ${err.message}`);
      process.exit(1);
    }
  }
}
