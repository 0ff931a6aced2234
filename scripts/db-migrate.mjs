// `npm run db:migrate`: applies the migrations to the local control database (DB) and to every shard
// (SHARD_0..n), each a D1 database of wrangler.toml with the same migrations (docs/scale.md).
// `npm run db:migrate -- --remote` runs nothing: it prints the deploy command of each database, which
// the deploy runs one database at a time (docs/operations.md).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** The binding names of wrangler.toml's [[d1_databases]], in file order: DB first, then the shards. */
export function databaseBindings(toml = readFileSync(join(root, "wrangler.toml"), "utf8")) {
  return toml
    .split(/^\[\[d1_databases\]\]\s*$/m)
    .slice(1)
    .map((block) => block.match(/^binding\s*=\s*"([A-Z0-9_]+)"/m)?.[1])
    .filter(Boolean);
}

/** Applies the migrations to each local database; throws on the first that fails. */
export function migrateLocal({ stdio = "inherit" } = {}) {
  for (const binding of databaseBindings()) {
    console.log(`▸ ${binding}`);
    // CI=true: wrangler takes the default answer instead of asking "continue?".
    const result = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", binding, "--local"], {
      cwd: root,
      stdio: ["ignore", stdio, "inherit"],
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" },
      timeout: 120_000,
    });
    if (result.error || result.status !== 0)
      throw new Error(`migrating ${binding} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--remote")) {
    console.log("Before deploying code that needs a new migration, run each of these (the control database first):");
    for (const binding of databaseBindings()) console.log(`  npx wrangler d1 migrations apply ${binding} --remote`);
  } else {
    try {
      migrateLocal();
    } catch (err) {
      console.error(`✗ ${err.message}`);
      process.exit(1);
    }
  }
}
