// What both bench scripts need from a local Worker: a free port, a fresh local D1 with the
// migrations applied, and `wrangler dev --log-level warn` started and answering.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../scripts/ports.mjs";
import { migrateLocal } from "../scripts/db-migrate.mjs";
import { root, spawnWranglerDev, waitForHealthz } from "../scripts/wrangler-dev.mjs";

export { freePort, root };
/** Whether the bench's Worker runs with DevTools' inspector, as `wrangler dev` does (BENCH_INSPECTOR=off: not). */
export const inspectorOn = () => process.env.BENCH_INSPECTOR !== "off";
export const benchEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", FORCE_COLOR: "0" };

/**
 * Empties `stateDir`, applies the migrations to a local control database (DB) there, and returns its SQLite file
 * (the only one: the bench's workspace lives on DB, and no shard is migrated).
 */
export async function freshLocalD1(stateDir) {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  await migrateLocal({ persistTo: stateDir, bindings: ["DB"], log: () => {} });
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 file in ${dir}`);
  return join(dir, file);
}

/**
 * Migrates the local SHARD_0 beside the DB that freshLocalD1 made, and returns its SQLite file (the one file in
 * the D1 folder that is neither DB's nor miniflare's metadata).
 */
export async function localShard(stateDir, dbFile) {
  await migrateLocal({ persistTo: stateDir, bindings: ["SHARD_0"], log: () => {} });
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find(
    (f) => f.endsWith(".sqlite") && f !== "metadata.sqlite" && join(dir, f) !== dbFile,
  );
  if (!file) throw new Error(`no SHARD_0 file in ${dir}`);
  return join(dir, file);
}

/**
 * Starts `wrangler dev --log-level warn` on `port` over `stateDir` (output to `logFile`, or nowhere)
 * and waits up to 60 s for /healthz. Returns the function that stops it (also run at exit).
 * BENCH_INSPECTOR=off serves the same app without DevTools' inspector (scripts/worker-without-inspector.mjs).
 */
export async function startWranglerDev({ port, stateDir, vars = {}, logFile = null }) {
  // Development: wrangler.toml says production, where BENCH is refused (src/lib/dev-tools.ts).
  const child = await spawnWranglerDev({
    port,
    stateDir,
    vars: { ENVIRONMENT: "development", ...vars },
    logFile,
    // wrangler writes every inspector message to a debug log, ~180 MB a bench run: kept in the state folder,
    // which the next run empties, rather than added to ~/.config/.wrangler/logs each time.
    env: { ...benchEnv, WRANGLER_LOG_PATH: join(stateDir, "wrangler-debug.log") },
    inspector: inspectorOn(),
  });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  try {
    await waitForHealthz(`http://127.0.0.1:${port}`, child, 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  return stop;
}
