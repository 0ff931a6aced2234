// npm run bench:node: the contacts list and search on the self-hosted app (Node + libSQL), side by side with
// a bare Hono + libSQL route running the floor's statement on the same database, as `npm run bench`
// does on workerd. Seeds one tenant (bench/seed-sql.mjs, BENCH_CONTACTS, default 100,000) into a fresh
// libSQL file under .data-bench, serves it with the Node server (BENCH=1), and measures with wrk in
// rounds. Prints req/s, p50/p95/p99 and each target's ratio to the app's floor; figures go to
// docs/benchmarks.md by hand. Options: BENCH_CONTACTS, BENCH_SECONDS (default 15), BENCH_ROUNDS (3),
// BENCH_CONNECTIONS (16).
import { execFile, spawnSync } from "node:child_process";
import { createHash, randomBytes, scryptSync } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { createClient } from "@libsql/client";
import { Hono } from "hono";
import { root } from "./local-wrangler.mjs";
import { seedSql } from "./seed-sql.mjs";

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const dataDir = join(root, ".data-bench");
const dbFile = join(dataDir, "customertrackr.db");
const log = (m) => console.log(`[bench:node] ${m}`);
// The ids and tokens as the app makes them (base32, lower case), as bench/run.mjs seeds them.
function b32(bytes) {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}

rmSync(dataDir, { recursive: true, force: true });
const migrate = spawnSync(process.execPath, [join(root, "scripts", "node.mjs"), "migrate"], {
  cwd: root,
  env: { ...process.env, DATA_DIR: dataDir },
  stdio: ["ignore", "ignore", "inherit"],
});
if (migrate.status !== 0) throw new Error("migrations failed");

const ids = { tenantId: b32(randomBytes(15)), userId: b32(randomBytes(15)), sessionId: b32(randomBytes(20)) };
const secret = b32(randomBytes(20));
const salt = randomBytes(16);
const hash = scryptSync("bench password 2026", salt, 32, { N: 16384, r: 8, p: 5, maxmem: 64 * 1024 * 1024 });
const triggers = readFileSync(join(root, "migrations", "0026_inner_word_search.sql"), "utf8")
  .split("--> statement-breakpoint")
  .map((s) => s.trim())
  .filter((s) => s.startsWith("CREATE TRIGGER"))
  .join("\n");
const sql =
  seedSql({
    ...ids,
    email: "bench@customertrackr.test",
    passwordHash: ["scrypt", 16384, 8, 5, salt.toString("base64"), hash.toString("base64")].join("$"),
    secretHashHex: createHash("sha256").update(secret).digest("hex"),
    contacts: CONTACTS,
    deals: 0,
    tasks: 0,
    now: Date.now(),
  }).replace(/^CREATE TEMP TABLE saved_triggers.*$/m, "") + triggers;
const seeded = spawnSync("sqlite3", [dbFile], { input: sql, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
log(`seeded ${CONTACTS.toLocaleString("en")} contacts into ${dbFile}`);

// The app, as `npm run start:node` serves it (the bundle scripts/node.mjs built above).
const { startServer } = await import(pathToFileURL(join(root, "dist", "node", "server.mjs")).href);
const app = await startServer({
  root,
  port: 0,
  cron: false,
  vars: { DATA_DIR: dataDir, BENCH: "1", ENVIRONMENT: "development" },
});

// The bare route: Hono and the libSQL client, the floor's statement, nothing else.
const client = createClient({ url: `file:${dbFile}` });
const bare = new Hono().get("/floor", async (c) => {
  const rs = await client.execute({
    sql: "SELECT id, first_name AS firstName, last_name AS lastName, primary_email AS email FROM contacts WHERE tenant_id = ? ORDER BY name_sort, id LIMIT 50",
    args: [c.req.query("tenant") ?? ""],
  });
  return c.json(rs.rows);
});
const bareUrl = await new Promise((resolve) => {
  const s = serve({ fetch: bare.fetch, port: 0, hostname: "127.0.0.1" }, () =>
    resolve(`http://127.0.0.1:${s.address().port}`),
  );
});

const auth = { Cookie: `__Host-session=${ids.sessionId}.${secret}; __Host-tenant=${ids.tenantId}` };
const targets = [
  {
    name: "floor: the app's bare route (one indexed 50-row SELECT)",
    url: `${app.url}/bench/floor?tenant=${ids.tenantId}`,
  },
  { name: "bare Hono + libSQL route (the same SELECT)", url: `${bareUrl}/floor?tenant=${ids.tenantId}` },
  { name: "contacts list (first page, sorted by name)", url: `${app.url}/app/contacts`, headers: auth },
  {
    name: "search: htmx fragment for ?q=lov",
    url: `${app.url}/app/contacts?q=lov`,
    headers: {
      ...auth,
      "HX-Request": "true",
      "HX-Target": "contact-results",
      "HX-Current-URL": `${app.url}/app/contacts`,
    },
  },
  { name: "search: full page for ?q=ada", url: `${app.url}/app/contacts?q=ada`, headers: auth },
];

// wrk runs beside the server in this process, so it must not block the event loop: execFile, not spawnSync.
async function wrk(url, headers = {}, seconds) {
  const args = [
    "-t2",
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(root, "bench", "wrk-report.lua"),
  ];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const { stdout } = await promisify(execFile)("wrk", [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout.match(/WRK_JSON (\{.*\})/)[1]);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests / (r.durationUs / 1e6), p50: r.p50 / 1000, p95: r.p95 / 1000, p99: r.p99 / 1000 };
}

for (const t of targets) {
  const res = await fetch(t.url, { headers: t.headers, redirect: "manual" });
  if (res.status !== 200) throw new Error(`${t.url} answered ${res.status}`);
  await wrk(t.url, t.headers, 2); // warm-up
}
const rounds = targets.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, t] of targets.entries())
    rounds[i].push(await wrk(t.url, t.headers, Math.max(1, Math.round(SECONDS / ROUNDS))));
  log(`round ${round + 1} of ${ROUNDS}: ${rounds.map((r) => r[round].rps.toFixed(0)).join(" / ")} req/s`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(rounds[0].map((r) => r.rps));
console.log(
  `\n${CONTACTS.toLocaleString("en")} contacts, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS / ROUNDS} s (median round)\n`,
);
console.log("| target | req/s | p50 ms | p95 ms | p99 ms | × floor |");
console.log("|---|---:|---:|---:|---:|---:|");
targets.forEach((t, i) => {
  const rps = median(rounds[i].map((r) => r.rps));
  const m = (k) => median(rounds[i].map((r) => r[k])).toFixed(1);
  console.log(
    `| ${t.name} | ${rps.toFixed(0)} | ${m("p50")} | ${m("p95")} | ${m("p99")} | ${(rps / floor).toFixed(2)} |`,
  );
});
await app.close();
client.close();
process.exit(0);
