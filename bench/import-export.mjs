// Part of npm run bench: imports 100,000 contacts from a CSV through the app on `wrangler dev`
// (upload → Queue analysis and preview → commit in chunked batches), then exports them again as
// CSV, and prints rows per second of each. Goals: the import commits in under 60 s, the export
// streams 100,000 rows in under 10 s. Writes bench/results/import-export.json.
//
// Options (environment): BENCH_IMPORT_ROWS (default 100000).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { freePort, freshLocalD1, root, startWranglerDev } from "./local-wrangler.mjs";
import { FIRST_NAMES as FIRST, LAST_NAMES as LAST } from "./names.mjs";

const stateDir = join(root, ".wrangler", "bench-import-state");
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const log = (m) => console.log(`[bench] ${m}`);

const COMPANIES = Array.from({ length: 200 }, (_, i) => `Company ${i + 1}`);

/** A Google-Contacts-like CSV of `rows` distinct people. */
function csv(rows) {
  const lines = [
    "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Organization Title,Labels,Notes",
  ];
  for (let i = 0; i < rows; i++) {
    const phone = `+1 202 555 ${String(i % 10000).padStart(4, "0")}`;
    lines.push(
      [
        FIRST[i % FIRST.length],
        LAST[(i * 7) % LAST.length],
        `person${i}@bench${i % 97}.example`,
        i < 10000 ? phone : "",
        COMPANIES[i % COMPANIES.length],
        "Buyer",
        i % 3 ? "Customers" : "Leads ::: VIP",
        i % 10 ? "" : `"Met at the fair, row ${i}"`,
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

function sqlite(dbFile, query) {
  const r = spawnSync("sqlite3", ["-readonly", dbFile, query], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function main() {
  if (spawnSync("which", ["sqlite3"]).status !== 0) throw new Error("sqlite3 is missing (bench/run.mjs installs it)");
  const dbFile = await freshLocalD1(stateDir);
  const port = await freePort();
  const logFile = join(stateDir, "wrangler.log");
  log(`wrangler dev on port ${port}, log in ${logFile}`);
  const stop = await startWranglerDev({ port, stateDir, logFile });
  const base = `http://127.0.0.1:${port}`;

  // A workspace, through the sign-up form.
  const signup = await fetch(`${base}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      email: "bench-import@customertrackr.test",
      password: "bench password 2026",
      company_name: "Import Bench",
      age_confirmed: "on",
      accept_terms: "on",
    }),
  });
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (signup.status !== 303 || !cookie.includes("__Host-session")) throw new Error(`sign-up answered ${signup.status}`);

  const body = csv(ROWS);
  log(`CSV of ${ROWS.toLocaleString("en")} rows, ${(Buffer.byteLength(body) / 2 ** 20).toFixed(1)} MB`);
  const form = new FormData();
  form.set("kind", "contacts");
  form.set("encoding", "auto");
  form.set("file", new File([body], "bench.csv", { type: "text/csv" }));
  const t0 = Date.now();
  const uploaded = await fetch(`${base}/app/import`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { Cookie: cookie, Origin: base },
  });
  const location = uploaded.headers.get("Location") ?? "";
  if (uploaded.status !== 303) throw new Error(`upload answered ${uploaded.status}`);
  const id = location.split("/").pop();
  const status = () =>
    sqlite(
      dbFile,
      `SELECT status || '|' || chunks_done || '|' || chunk_count || '|' || new_count || '|' || created_count || '|' || coalesce(message, '') FROM import_jobs WHERE id = '${id}'`,
    ).split("|");
  const waitFor = async (want, limitMs) => {
    const until = Date.now() + limitMs;
    for (;;) {
      const s = status();
      if (want.includes(s[0])) return s;
      if (s[0] === "failed") throw new Error(`import failed: ${s[5]}`);
      if (Date.now() > until) throw new Error(`import still ${s.join(" ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const ready = await waitFor(["ready"], 600_000);
  const tPreview = Date.now();
  log(`preview ready in ${((tPreview - t0) / 1000).toFixed(1)} s: ${ready[3]} new in ${ready[2]} chunks`);
  const commit = await fetch(`${base}/app/import/${id}/commit`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: base },
  });
  if (commit.status !== 303) throw new Error(`commit answered ${commit.status}`);
  const done = await waitFor(["done"], 600_000);
  const tDone = Date.now();
  const commitSeconds = (tDone - tPreview) / 1000;
  log(`committed ${done[4]} contacts in ${commitSeconds.toFixed(1)} s`);

  const t1 = Date.now();
  const res = await fetch(`${base}/app/export/contacts.csv`, { headers: { Cookie: cookie } });
  let bytes = 0;
  let newlines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    bytes += value.length;
    for (const b of value) if (b === 10) newlines++;
  }
  const exportSeconds = (Date.now() - t1) / 1000;
  const exported = newlines - 1; // the header; no exported cell of this data holds a line break
  stop();

  const result = {
    at: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    rows: ROWS,
    previewSeconds: (tPreview - t0) / 1000,
    commitSeconds,
    commitRowsPerSecond: Number(done[4]) / commitSeconds,
    exportSeconds,
    exportRowsPerSecond: ROWS / exportSeconds,
    exportBytes: bytes,
    exportStatus: res.status,
  };
  console.log(`\nImport and export — ${result.at} — ${result.machine} — wrangler dev --log-level warn`);
  console.log("| step | rows | seconds | rows/s | goal |");
  console.log("|---|---:|---:|---:|---|");
  console.log(
    `| upload → preview (parse, check, match) | ${ROWS} | ${result.previewSeconds.toFixed(1)} | ${(ROWS / result.previewSeconds).toFixed(0)} | |`,
  );
  console.log(
    `| commit | ${done[4]} | ${commitSeconds.toFixed(1)} | ${result.commitRowsPerSecond.toFixed(0)} | < 60 s ${commitSeconds < 60 ? "met" : "MISSED"} |`,
  );
  console.log(
    `| export contacts.csv (${(bytes / 2 ** 20).toFixed(1)} MB) | ${ROWS} | ${exportSeconds.toFixed(1)} | ${result.exportRowsPerSecond.toFixed(0)} | < 10 s ${exportSeconds < 10 ? "met" : "MISSED"} |`,
  );
  if (res.status !== 200 || Math.abs(exported - ROWS) > 1)
    console.log(`(export answered ${res.status} with about ${exported} rows)`);
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "import-export.json"), JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(`[bench] ${err.message}`);
  process.exit(1);
});
