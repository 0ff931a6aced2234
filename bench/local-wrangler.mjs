// What both bench scripts need from a local Worker: a free port, a fresh local D1 with the
// migrations applied, and `wrangler dev --log-level warn` started and answering.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, inspectorArgs } from "../scripts/ports.mjs";

export { freePort };

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
export const benchEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", FORCE_COLOR: "0" };

/** Empties `stateDir`, applies the migrations to a local D1 there, and returns the D1's SQLite file. */
export function freshLocalD1(stateDir) {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [wranglerBin, "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
    { cwd: root, env: benchEnv, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`migrations failed:\n${r.stdout}\n${r.stderr}`);
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 file in ${dir}`);
  return join(dir, file);
}

/**
 * Starts `wrangler dev --log-level warn` on `port` over `stateDir` (output to `logFile`, or nowhere)
 * and waits up to 60 s for /healthz. Returns the function that stops it (also run at exit).
 */
export async function startWranglerDev({ port, stateDir, vars = {}, logFile = null }) {
  const args = [
    wranglerBin,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    ...(await inspectorArgs()),
    "--persist-to",
    stateDir,
    "--log-level",
    "warn",
  ];
  // Development: wrangler.toml says production, where BENCH is refused (src/lib/dev-tools.ts).
  for (const [k, v] of Object.entries({ ENVIRONMENT: "development", ...vars })) args.push("--var", `${k}:${v}`);
  const out = logFile ? openSync(logFile, "a") : "ignore";
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: benchEnv,
    detached: true,
    stdio: ["ignore", out, out],
  });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return stop;
    await new Promise((r) => setTimeout(r, 300));
  }
  stop();
  throw new Error("wrangler dev did not answer within 60 s");
}
