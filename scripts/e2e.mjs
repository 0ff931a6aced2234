// Browser tests: the real app under `wrangler dev` with a fresh local D1, driven through Debian's
// chromium by playwright-core. Run by `npm test` (beside vitest: scripts/test.mjs) and `npm run test:e2e`.
// wrangler dev runs without DevTools' inspector here (scripts/worker-without-inspector.mjs): relaying every
// console line and D1 call to wrangler's Node process cost a run ~29 s of CPU (docs/benchmarks.md).
//
// Every test/e2e/*.e2e.mjs file is a plain ES module whose default export is either one async
// function or an object of { "test name": async function }. Each function gets
// { baseUrl, browser, artifactsDir, gaStub, mailStub } and fails by throwing. The app runs with Google
// Analytics configured (GA_E2E_MEASUREMENT_ID), its loader pointed at gaStub, a local HTTP server
// standing in for www.googletagmanager.com, so a test can see whether and when GA would load. Its
// mail goes to mailStub, a local stand-in for an HTTP mail API (MAIL_PROVIDER=http).
// `node scripts/e2e.mjs auth` runs only the files whose names contain "auth".
//
// Every wait is bounded, and wrangler and the browser are stopped on every way out (pass, fail,
// timeout, Ctrl-C), so a run can neither hang nor leave processes behind.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { freePort } from "./ports.mjs";
import { root, spawnWranglerDev, waitForHealthz } from "./wrangler-dev.mjs";
import { E2E_OPS_TOKEN, WRANGLER_RESTART } from "../test/e2e/helpers.mjs";
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const LIMITS = {
  aptMs: 10 * 60_000,
  setupStepMs: 2 * 60_000,
  serverReadyMs: 60_000,
  browserLaunchMs: 30_000,
  testMs: 90_000,
  stopMs: 10_000,
  wholeRunMs: 12 * 60_000,
};

process.env.WRANGLER_SEND_METRICS ??= "false";
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const log = (message) => console.log(`[e2e] ${message}`);

// ---- what must be stopped, whatever happens -------------------------------------------------
let wrangler = null;
let browser = null;
let gaStub = null;
let mailStub = null;
let stateDir = null;
let wranglerLog = null;
let stopping = null;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds(ms)}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function wranglerRunning() {
  return wrangler && wrangler.exitCode === null && wrangler.signalCode === null;
}

/** Stops the browser and wrangler's whole process group (workerd included) and removes the state. */
function stopEverything() {
  stopping ??= (async () => {
    if (browser) await withTimeout(browser.close(), LIMITS.stopMs, "closing the browser").catch(() => {});
    for (const [stub, name] of [
      [gaStub, "the GA stub"],
      [mailStub, "the mail stub"],
    ]) {
      if (!stub) continue;
      stub.server.closeAllConnections();
      await withTimeout(new Promise((resolve) => stub.server.close(resolve)), LIMITS.stopMs, `stopping ${name}`).catch(
        () => {},
      );
    }
    if (wranglerRunning()) {
      const exited = new Promise((resolve) => wrangler.once("exit", resolve));
      signalGroup("SIGTERM");
      await withTimeout(exited, LIMITS.stopMs, "stopping wrangler").catch(() => signalGroup("SIGKILL"));
    }
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  })();
  return stopping;
}

function signalGroup(signal) {
  try {
    process.kill(-wrangler.pid, signal); // the group we created with detached: true
  } catch {
    // already gone
  }
}

async function bail(message, code = 1) {
  console.error(`[e2e] ${message}`);
  await stopEverything();
  process.exit(code);
}

for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
]) {
  process.once(signal, () => void bail(`${signal}: stopping.`, code));
}
process.on("uncaughtException", (err) => void bail(`internal error: ${err?.stack ?? err}`));
process.on("unhandledRejection", (err) => void bail(`internal error: ${err?.stack ?? err}`));
setTimeout(
  () => void bail(`the whole run took longer than ${seconds(LIMITS.wholeRunMs)}; giving up.`),
  LIMITS.wholeRunMs,
).unref();

// ---- setup ------------------------------------------------------------------------------------
function runStep(label, command, args, { env = {}, timeout = LIMITS.setupStepMs, quiet = true } = {}) {
  const t = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout,
  });
  if (result.error || result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    const why =
      result.error?.code === "ETIMEDOUT"
        ? `timed out after ${seconds(timeout)}`
        : (result.error?.message ?? `exit ${result.status ?? result.signal}`);
    throw new Error(`${label} failed: ${why}`);
  }
  log(`${label} (${seconds(Date.now() - t)})`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}. Install Debian's package (as root): ` +
        "apt-get update && apt-get install -y --no-install-recommends chromium",
    );
  }
  log(`${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const install = ["install", "-y", "--no-install-recommends", "chromium"];
  try {
    runStep("apt-get install chromium", "apt-get", install, { env, timeout: LIMITS.aptMs });
  } catch {
    // A fresh machine often has no package lists yet.
    runStep("apt-get update", "apt-get", ["update"], { env, timeout: LIMITS.aptMs });
    runStep("apt-get install chromium", "apt-get", install, { env, timeout: LIMITS.aptMs });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing.`);
}

function wranglerLogTail(lines = 60) {
  if (!wranglerLog || !existsSync(wranglerLog)) return "";
  const text = readFileSync(wranglerLog, "utf8")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    // Offline, wrangler cannot fetch Request.cf: expected noise.
    .filter((l) => l.trim() && !/Request\.cf|getaddrinfo|^\s+at /.test(l));
  return text.slice(-lines).join("\n");
}

/** The measurement id the browser tests run with; test/e2e/consent.e2e.mjs looks for it. */
const GA_E2E_MEASUREMENT_ID = "G-E2ETEST01";

/**
 * A stand-in for Google's loader host. It serves /gtag/js as a script that only counts its runs
 * (window.__gaStubLoads) and records every request, so tests can tell when the app loaded GA.
 */
async function startGaStub() {
  const requests = [];
  const server = createHttpServer((req, res) => {
    requests.push({ method: req.method, url: req.url, at: Date.now() });
    if (req.method === "GET" && req.url?.startsWith("/gtag/js")) {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      res.end("window.__gaStubLoads = (window.__gaStubLoads || 0) + 1;\n");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    server,
    origin: `http://127.0.0.1:${server.address().port}`,
    measurementId: GA_E2E_MEASUREMENT_ID,
    requests,
  };
}

/** The address part that makes the mail stub refuse a recipient's first delivery (as a provider having a bad minute). */
const FIRST_TRY_FAILS = "first-try-fails";

/**
 * A stand-in for an HTTP mail API (Resend's request shape, as src/mail/senders.ts sends it). It
 * accepts every message, except the first one to an address containing FIRST_TRY_FAILS, which it
 * refuses with 503, so a test can watch the cron retry it. `deliveredTo(address)` lists what it took.
 */
async function startMailStub() {
  const attempts = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/mail/send") {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found");
        return;
      }
      let message = null;
      try {
        message = JSON.parse(body);
      } catch {
        // answered below
      }
      const to = Array.isArray(message?.to) ? message.to.join(",") : "";
      const refused = to.includes(FIRST_TRY_FAILS) && !attempts.some((a) => a.to === to);
      attempts.push({ to, subject: message?.subject ?? "", accepted: !refused && !!message, at: Date.now() });
      res.writeHead(refused ? 503 : message ? 200 : 400, { "content-type": "application/json" });
      res.end(
        refused ? '{"error":"unavailable"}' : message ? `{"id":"stub-${attempts.length}"}` : '{"error":"bad json"}',
      );
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    url: `${origin}/mail/send`,
    firstTryFails: FIRST_TRY_FAILS,
    attemptsTo: (address) => attempts.filter((a) => a.to === address),
    deliveredTo: (address) => attempts.filter((a) => a.to === address && a.accepted),
  };
}

async function startWrangler(port, artifactsDir) {
  wranglerLog = join(artifactsDir, "wrangler.log");
  // As `npm run dev`: the development tools (/dev/mail, /dev/cron).
  const vars = {
    DEV_MAIL: 1,
    ENVIRONMENT: "development",
    SIGNUP_LIMIT_PER_HOUR: 1000,
    GA_MEASUREMENT_ID: GA_E2E_MEASUREMENT_ID,
    GA_SCRIPT_ORIGIN: gaStub.origin,
    MAIL_PROVIDER: "http",
    MAIL_HTTP_URL: mailStub.url,
    MAIL_HTTP_TOKEN: "e2e-mail-token",
    // The staff console's bootstrap (npm run ops -- create-staff) in test/e2e/support-access.e2e.mjs.
    OPS_TOKEN: E2E_OPS_TOKEN,
    // A workspace move's freeze waits 2 s instead of 30 for requests begun before it (test/e2e/shards.e2e.mjs).
    SHARD_FREEZE_GRACE_S: 2,
  };
  // wrangler's debug log goes to the state folder this run removes, not to ~/.config/.wrangler/logs.
  const env = { ...process.env, FORCE_COLOR: "0", WRANGLER_LOG_PATH: join(stateDir, "wrangler-debug.log") };
  wrangler = await spawnWranglerDev({ port, stateDir, vars, logFile: wranglerLog, env, inspector: false });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthz(baseUrl, wrangler, LIMITS.serverReadyMs);
  } catch (err) {
    throw new Error(`${err.message}:\n${wranglerLogTail()}`);
  }
  return baseUrl;
}

// ---- tests --------------------------------------------------------------------------------------
async function loadTests(filter) {
  const dir = join(root, "test", "e2e");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".e2e.mjs") && (!filter || f.includes(filter)))
    .sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    const prefix = basename(file, ".e2e.mjs");
    const serial = mod.serial === true;
    if (typeof mod.default === "function") tests.push({ name: prefix, fn: mod.default, serial });
    else if (mod.default && typeof mod.default === "object") {
      for (const [name, fn] of Object.entries(mod.default)) tests.push({ name: `${prefix} › ${name}`, fn, serial });
    } else throw new Error(`${file}: the default export must be a function or an object of functions`);
  }
  return tests;
}

/** Screenshots whatever pages a failed test left open, then closes its contexts. */
async function closeContexts(contexts, artifactsDir, failedTestIndex) {
  let n = 0;
  for (const context of contexts) {
    if (failedTestIndex !== null) {
      for (const page of context.pages()) {
        n += 1;
        const path = join(artifactsDir, `failed-${failedTestIndex}-${n}.png`);
        const shot = await withTimeout(page.screenshot({ path, fullPage: true }), 10_000, "screenshot").catch(
          () => null,
        );
        if (shot) console.log(`    page at failure (${page.url()}): ${path}`);
      }
    }
    await withTimeout(context.close(), LIMITS.stopMs, "closing a browser context").catch(() => {});
  }
}

async function main() {
  const filter = process.argv[2];
  ensureChromium();
  // `npm test` (scripts/test.mjs) builds them once before vitest and this run start side by side.
  if (process.env.E2E_ASSETS_BUILT !== "1")
    runStep("assets built", process.execPath, [join(root, "scripts", "assets.mjs")]);

  stateDir = mkdtempSync(join(tmpdir(), "customertrackr-e2e-state-"));
  const artifactsDir = mkdtempSync(join(tmpdir(), "customertrackr-e2e-"));
  runStep(
    "migrations applied to fresh local D1 databases (control and shards)",
    process.execPath,
    [join(root, "scripts", "db-migrate.mjs"), "--persist-to", stateDir],
    {
      env: { CI: "true" }, // never prompt
    },
  );

  const tests = await loadTests(filter);
  if (tests.length === 0) throw new Error(`no test/e2e/*.e2e.mjs files${filter ? ` matching "${filter}"` : ""}`);

  gaStub = await startGaStub();
  mailStub = await startMailStub();
  const port = await freePort();
  let t = Date.now();
  const baseUrl = await startWrangler(port, artifactsDir);
  log(`wrangler dev answers at ${baseUrl} (${seconds(Date.now() - t)})`);

  t = Date.now();
  // playwright's launch() gives chromium a fresh, empty profile directory of its own and removes it on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: LIMITS.browserLaunchMs,
    // Our own handlers stop the browser and wrangler together; playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  log(`chromium ${browser.version()} started (${seconds(Date.now() - t)})`);
  log(`artifacts (screenshots, wrangler.log): ${artifactsDir}`);

  let passed = 0;
  let failed = 0;
  let retried = 0;
  // Under load, workerd has died mid-run (a broken pipe in wrangler.log) and every later test met a refused
  // connection. It is started again on the same port and storage (once per run), and the tests that met it
  // run again; the run still fails if it dies twice.
  let restart = null;
  /** Whether wrangler dev is gone: exited, or its port refuses connections (its workerd died). */
  async function wranglerGone() {
    if (wrangler.exitCode !== null || wrangler.signalCode !== null) return true;
    try {
      await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
      return false;
    } catch (err) {
      return err?.cause?.code === "ECONNREFUSED";
    }
  }
  /** Starts wrangler dev again if it is gone (one start, however many lanes ask); whether it was ever restarted. */
  async function restartWranglerIfGone() {
    if (restart === null && (await wranglerGone()) && restart === null) {
      console.log("↻ wrangler dev stopped answering (see wrangler.log); starting it again");
      const old = wrangler;
      restart = (async () => {
        try {
          process.kill(-old.pid, "SIGKILL");
        } catch {}
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await startWrangler(port, artifactsDir);
      })();
    }
    if (restart !== null) await restart;
    return restart !== null;
  }
  /** One test, retried once after a browser wait timed out or wrangler dev's proxy lost a POST (its own 503); its own contexts closed after it. */
  async function runTest(test, i) {
    const t = Date.now();
    // The test sees the browser through this, so only the contexts it opened are screenshot and closed.
    const contexts = [];
    const scopedBrowser = {
      newContext: async (options) => {
        const context = await browser.newContext(options);
        contexts.push(context);
        return context;
      },
      version: () => browser.version(),
    };
    let error = null;
    const restartedBefore = restart !== null;
    for (let attempt = 1; attempt <= 2; attempt++) {
      error = null;
      try {
        await withTimeout(
          Promise.resolve().then(() => test.fn({ baseUrl, browser: scopedBrowser, artifactsDir, gaStub, mailStub })),
          LIMITS.testMs,
          "the test",
        );
      } catch (err) {
        error = err;
      }
      const message = String(error?.message ?? error);
      const timedOut = /Timeout \d+ms exceeded/.test(message);
      // The test ran into the restart: wrangler dev was restarted while it ran, or exits now.
      const restarted = error && !stopping && attempt === 1 && (await restartWranglerIfGone()) && !restartedBefore;
      if (!error || stopping || attempt === 2 || !(timedOut || restarted || message.includes(WRANGLER_RESTART))) break;
      retried += 1;
      const why = restarted
        ? "wrangler dev stopped answering and was started again"
        : timedOut
          ? "a browser wait timed out"
          : `${WRANGLER_RESTART} (its own 503)`;
      console.log(`↻ ${test.name}: ${why}, trying once more (${seconds(Date.now() - t)})`);
      console.log(
        String(error?.message ?? error)
          .split("\n")
          .slice(0, 3)
          .join("\n")
          .replace(/^/gm, "    "),
      );
      await closeContexts(contexts.splice(0), artifactsDir, `${i + 1}-timeout`);
    }
    if (stopping) return; // a failure caused by the interruption is not worth reporting
    if (error) {
      failed += 1;
      console.log(`✗ ${test.name} (${seconds(Date.now() - t)})`);
      console.log(String(error?.stack ?? error).replace(/^/gm, "    "));
    } else {
      passed += 1;
      console.log(`✓ ${test.name} (${seconds(Date.now() - t)})`);
    }
    await closeContexts(contexts, artifactsDir, error ? i + 1 : null);
  }

  // Every test signs up its own workspaces and addresses, so most run side by side in a few lanes
  // (they mostly wait on the server and the browser); files that export `serial = true` (the cron
  // run at a later time sees everyone's data) run alone afterwards.
  const lanes = Math.max(1, Number(process.env.E2E_LANES ?? 2));
  const together = tests.filter((test) => !test.serial);
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < together.length && !stopping) {
        const i = next++;
        await runTest(together[i], tests.indexOf(together[i]));
      }
    }),
  );
  for (const test of tests.filter((test) => test.serial)) {
    if (stopping) break; // interrupted: bail() is cleaning up and will exit
    await runTest(test, tests.indexOf(test));
  }

  if (failed > 0) {
    const tail = wranglerLogTail(40);
    if (tail.trim()) console.log(`\n[e2e] wrangler's last lines (${wranglerLog}):\n${tail}\n`);
  }
  log(`finished in ${seconds(Date.now() - started)}`);
  console.log(
    `${passed} passed, ${failed} failed${retried ? `, ${retried} retried once (a timeout, a POST lost by wrangler dev's proxy, or wrangler dev started again)` : ""}`,
  );
  return failed === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[e2e] ${err?.message ?? err}`);
  console.log("0 passed, 1 failed");
  code = 1;
}
await stopEverything();
process.exit(code);
