// `npm test`: builds the assets, then runs the typecheck and lint, vitest (inside workerd) and the browser tests
// (scripts/e2e.mjs) side by side (docs/benchmarks.md has the measurements behind it). Output is streamed, each line marked with the part it came from; the run fails when any
// part fails, and a signal stops every part (each runs in its own process group).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { root } from "./wrangler-dev.mjs";

const started = Date.now();
const bin = (name) => join(root, "node_modules", ".bin", name);
const seconds = (ms) => `${Math.round(ms / 1000)} s`;

// Every part's temporary files on a RAM disk when the machine has one with room: miniflare keeps the local D1 of
// vitest and of the browser tests' wrangler under the temp folder, and each of their writes waits for the disk
// (on this machine the isolated files took 75 s with it on disk, 54 s on /dev/shm; docs/benchmarks.md).
const MIN_RAM_TMP_BYTES = 2 * 1024 ** 3;
function ramTmpdir() {
  try {
    const { bavail, bsize } = statfsSync("/dev/shm");
    return bavail * bsize >= MIN_RAM_TMP_BYTES ? mkdtempSync("/dev/shm/customertrackr-test-") : null;
  } catch {
    return null;
  }
}
const tmp = process.env.TEST_TMPDIR === "disk" ? null : ramTmpdir();
const removeTmp = () => tmp && rmSync(tmp, { recursive: true, force: true });
process.on("exit", removeTmp);
if (tmp) console.log(`[test] temporary files in ${tmp} (a RAM disk); TEST_TMPDIR=disk keeps them on disk`);

const assets = spawnSync(process.execPath, [join(root, "scripts", "assets.mjs")], { stdio: "inherit" });
if (assets.status !== 0) process.exit(assets.status ?? 1);

const stages = [
  [
    // biome after tsc, so their messages do not interleave.
    { name: "check", command: "sh", args: ["-c", `"${bin("tsc")}" --noEmit && "${bin("biome")}" check .`] },
    { name: "vitest", command: bin("vitest"), args: ["run"] },
    // The assets are built above: rebuilding them would rewrite files vitest is reading.
    {
      name: "e2e",
      command: process.execPath,
      args: [join(root, "scripts", "e2e.mjs")],
      env: { E2E_ASSETS_BUILT: "1" },
    },
  ],
];

const running = new Set();
let stopping = false;
function stopAll(signal) {
  stopping = true;
  for (const child of running) {
    try {
      process.kill(-child.pid, signal);
    } catch {}
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(signal, () => {
    console.log(`[test] ${signal}: stopping every part`);
    stopAll(signal);
  });

function run(part) {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(part.command, part.args, {
      cwd: root,
      env: { ...process.env, ...(tmp ? { TMPDIR: tmp } : {}), ...part.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    const label = `${part.name.padEnd(8)} | `;
    const lines = [];
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on("line", (line) => {
        lines.push(line);
        console.log(label + line);
      });
    child.on("error", (err) => console.log(`${label}could not start: ${err.message}`));
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ name: part.name, code: code ?? 1, signal, ms: Date.now() - t, lines });
    });
  });
}

const results = [];
for (const stage of stages) {
  if (stopping) break;
  results.push(...(await Promise.all(stage.map(run))));
}
// A failed part's failures again at the end: CI keeps only the tail of a long log, where the parts interleave.
const FAILURE = /^(✗|↻| FAIL | +× |\s*(Error|AssertionError|TypeError)\b)/;
for (const r of results.filter((r) => r.code !== 0)) {
  const marks = r.lines.flatMap((line, i) => (FAILURE.test(line) ? [i] : []));
  const shown = new Set(marks.flatMap((i) => Array.from({ length: 12 }, (_, k) => i + k)));
  const excerpt = [...shown].filter((i) => i < r.lines.length).slice(0, 150);
  console.log(`\n[test] ${r.name} failed; its failures again:`);
  for (const i of excerpt) console.log(`${r.name.padEnd(8)} | ${r.lines[i]}`);
}
console.log("");
for (const r of results)
  console.log(
    `[test] ${r.name}: ${r.code === 0 ? "passed" : `FAILED (${r.signal ?? `exit ${r.code}`})`} in ${seconds(r.ms)}`,
  );
console.log(`[test] whole run ${seconds(Date.now() - started)}`);
process.exit(stopping || results.some((r) => r.code !== 0) ? 1 : 0);
