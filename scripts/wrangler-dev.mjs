// `wrangler dev` as our scripts start it (browser tests, bench, page snapshots): the same command line
// and the same wait for /healthz. Each caller decides where the output goes and when it is stopped.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspectorArgs } from "./ports.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Spawns `wrangler dev --log-level warn` on 127.0.0.1:`port` over the local state in `stateDir`, with
 * `vars` as --var, appending its output to `logFile` (or dropping it). It runs in its own process group,
 * so that signalling the group (-pid) stops the workerd processes it starts too. `inspector: false` serves
 * the same app without DevTools' inspector (scripts/worker-without-inspector.mjs).
 */
export async function spawnWranglerDev({ port, stateDir, vars, logFile = null, env, inspector = true }) {
  const args = inspector
    ? await wranglerDevArgs(port, stateDir, vars)
    : [join(root, "scripts", "worker-without-inspector.mjs"), JSON.stringify({ port, stateDir, vars })];
  const out = logFile ? openSync(logFile, "a") : "ignore";
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ["ignore", out, out] });
  if (logFile) closeSync(out);
  return child;
}

async function wranglerDevArgs(port, stateDir, vars) {
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
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  return args;
}

/** Waits up to `ms` for `baseUrl`/healthz to answer; throws if it does not, or if `child` exits first. */
export async function waitForHealthz(baseUrl, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`wrangler dev exited early (${child.exitCode ?? child.signalCode})`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(3_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer /healthz within ${(ms / 1000).toFixed(1)}s`);
}
