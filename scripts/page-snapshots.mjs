// `node scripts/page-snapshots.mjs <dir>`: renders every page of the app for the demo data and writes
// each answer's HTML to <dir>, so a refactor that must not change what users see can be checked with
// `diff -r before/ after/`. A fresh local D1 is migrated and seeded, `wrangler dev` serves it, and the
// demo owner signs in. What differs between two runs by design is replaced before writing: the CSP
// nonce, random ids (24 or 32 lowercase letters and digits), times (<time> elements, timestamps), and
// the content hashes in asset names (reformatting app.css changes its hash, not what it does).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, freshLocalD1, root, startWranglerDev } from "../bench/local-wrangler.mjs";
import { runSeed } from "./seed.mjs";

const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/page-snapshots.mjs <output dir>");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const stateDir = join(root, ".wrangler", "snapshot-state");
await freshLocalD1(stateDir);
const seeded = await runSeed({ persistTo: stateDir });
const port = await freePort();
const stop = await startWranglerDev({ port, stateDir, vars: { DEV_MAIL: "1" } });
const base = `http://127.0.0.1:${port}`;

/** Stable text: what changes from run to run by design is replaced by a placeholder. */
function normalise(html) {
  return html
    .replace(/nonce="[^"]*"/g, 'nonce="N"')
    .replace(/\/assets\/([a-z]+)\.[0-9a-f]{10}\.(css|js)/g, "/assets/$1.H.$2")
    .replace(/\b[a-z0-9]{24}\b|\b[a-z0-9]{32}\b/g, "ID")
    .replace(
      /<time([^>]*)>[^<]*<\/time>/g,
      (_, attrs) => `<time${attrs.replace(/datetime="[^"]*"/, 'datetime="T"')}>T</time>`,
    )
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\b/g, "T")
    .replace(/\b1[7-9]\d{11}\b/g, "MS");
}

let cookie = "";
async function get(path, headers = {}) {
  const res = await fetch(base + path, {
    headers: { cookie, "CF-Connecting-IP": "203.0.113.9", ...headers },
    redirect: "manual",
  });
  const body = await res.text();
  return { status: res.status, location: res.headers.get("location"), body };
}

function save(name, page) {
  const file = join(out, `${name.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "root"}.html`);
  writeFileSync(file, `<!-- ${page.status}${page.location ? ` → ${page.location}` : ""} -->\n${normalise(page.body)}`);
}

try {
  const anonymous = [
    "/",
    "/login",
    "/signup",
    "/privacy",
    "/terms",
    "/cookies",
    "/contact",
    "/password/forgot",
    "/nosuchpage",
  ];
  for (const path of anonymous) save(`anon${path}`, await get(path));

  const login = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "CF-Connecting-IP": "203.0.113.9" },
    body: new URLSearchParams({ email: seeded.users[0].email, password: seeded.password }),
    redirect: "manual",
  });
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (login.status !== 303) throw new Error(`login answered ${login.status}`);

  const contactId = (await get("/app/contacts")).body.match(/\/app\/contacts\/(\d+)"/)?.[1];
  const companyId = (await get("/app/companies")).body.match(/\/app\/companies\/(\d+)"/)?.[1];
  const pages = [
    "/app",
    "/app/contacts",
    "/app/contacts?q=ada",
    "/app/contacts?sort=created&dir=desc",
    "/app/contacts/new",
    `/app/contacts/${contactId}`,
    `/app/contacts/${contactId}/edit`,
    "/app/contacts/999999",
    "/app/companies",
    "/app/companies/new",
    `/app/companies/${companyId}`,
    `/app/companies/${companyId}/edit`,
    "/app/import",
    "/app/export",
    "/app/workspaces",
    "/app/settings/profile",
    "/app/settings/security",
    "/app/settings/team",
    "/app/settings/billing",
    "/app/settings/privacy",
    "/app/settings/workspace",
    "/app/settings/audit",
    "/app/settings/tags",
    "/app/settings/fields",
    "/app/settings/close",
  ];
  for (const path of pages) save(path, await get(path));
  // The regions htmx swaps: search results, and the list's pages.
  save(
    "fragment /app/contacts?q=gr",
    await get("/app/contacts?q=gr", { "HX-Request": "true", "HX-Target": "contact-results" }),
  );
  save(
    "fragment /app/companies?q=b",
    await get("/app/companies?q=b", { "HX-Request": "true", "HX-Target": "company-results" }),
  );
  console.log(`wrote ${anonymous.length + pages.length + 2} pages to ${out}`);
} finally {
  stop();
}
