// `npm run dev`: everything a fresh clone needs to show the app at http://127.0.0.1:8787 —
// assets built, local D1 migrated, demo data seeded once, the demo login printed — then
// `wrangler dev` in the foreground. PORT picks the port; without it, 8787 or the next free one.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tick } from "./dev-tick.mjs";
import { firstFreePort, inspectorArgs, portIsFree } from "./ports.mjs";
import { describeLogin } from "./seed.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const HOST = "127.0.0.1";
const DEFAULT_PORT = 8787;

process.env.WRANGLER_SEND_METRICS ??= "false";

function step(message) {
  console.log(`\n▸ ${message}`);
}

function fail(message) {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

/** Runs a setup command to completion, output shown, with no terminal input so it cannot prompt. */
function run(label, args, env = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  if (result.error) fail(`${label} failed: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} failed (exit ${result.status ?? result.signal}).`);
}

async function choosePort() {
  const asked = process.env.PORT;
  if (asked) {
    const port = Number(asked);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT=${asked} is not a port number.`);
    if (!(await portIsFree(port))) fail(`PORT=${port} is already in use on ${HOST}. Pick another, or unset PORT.`);
    return port;
  }
  const port = await firstFreePort(DEFAULT_PORT, HOST);
  if (port === null) fail(`No free port between ${DEFAULT_PORT} and ${DEFAULT_PORT + 99}; set PORT.`);
  if (port !== DEFAULT_PORT) console.log(`Port ${DEFAULT_PORT} is in use; using ${port} instead.`);
  return port;
}

// First, so a busy PORT fails before any work is done.
const port = await choosePort();
const url = `http://${HOST}:${port}`;

step("Building assets");
run("Building assets", [join(root, "scripts", "assets.mjs")]);

step("Applying migrations to the local D1 databases, control and shards (.wrangler/state)");
run("Applying migrations", [join(root, "scripts", "db-migrate.mjs")]);

step("Seeding demo data (once)");
// A child process of its own: wrangler's getPlatformProxy, loaded in-process, installs signal
// handlers that exit at once, which would stop us forwarding Ctrl-C to wrangler dev below.
const seedRun = spawnSync(process.execPath, [join(root, "scripts", "seed.mjs"), "--json"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
  encoding: "utf8",
  timeout: 120_000,
});
if (seedRun.error || seedRun.status !== 0)
  fail(`Seeding failed (${seedRun.error?.message ?? `exit ${seedRun.status ?? seedRun.signal}`}).`);
const seeded = JSON.parse(seedRun.stdout.trim().split("\n").at(-1));
console.log(seeded.created ? "Demo data written." : "Demo data already there; nothing written.");

console.log(describeLogin(seeded));
console.log(`  Starting the app at ${url}  (Ctrl-C stops it)\n`);

const child = spawn(
  process.execPath,
  // DEV_MAIL and ENVIRONMENT=development mount the development tools (/dev/mail, /dev/cron).
  [
    wranglerBin,
    "dev",
    "--ip",
    HOST,
    "--port",
    String(port),
    ...(await inspectorArgs(HOST)),
    "--var",
    "DEV_MAIL:1",
    "--var",
    "ENVIRONMENT:development",
  ],
  { cwd: root, stdio: "inherit", env: process.env },
);

// Ctrl-C in a terminal reaches wrangler too (same process group); forwarding covers a plain
// `kill <pid>` of this script. Either way we wait for wrangler to finish before exiting.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on("error", (err) => fail(`Could not start wrangler: ${err.message}`));

// wrangler's banner pushes the login off screen; repeat it once the app answers.
const readyBy = Date.now() + 60_000;
(async function announceWhenReady() {
  while (Date.now() < readyBy && child.exitCode === null) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        console.log(`\n✓ CustomerTrackr is up at ${url}  —  log in as ${seeded.users[0].email} / ${seeded.password}\n`);
        tickCron();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300).unref());
  }
})();
// wrangler dev does not fire Cron Triggers by itself: tick the every-minute cron as production would
// (scripts/dev-tick.mjs), so mail retries, retention, the digest, export expiry and the job watchdog
// run locally too. Ticks never overlap.
function tickCron() {
  let running = false;
  setInterval(async () => {
    if (running) return;
    running = true;
    await tick(url).finally(() => (running = false));
  }, 60_000).unref();
}

child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1) : 1));
});
