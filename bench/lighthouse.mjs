// Lighthouse on signed-in pages (issue 18 asks ≥ 95 on /app/contacts): a fresh local D1 with the demo
// data, wrangler dev, a demo user signed in through the login form in Lighthouse's own chromium, then
// every category for each page as desktop and as a phone. Lighthouse is not a dependency of the app:
//   npm install --no-save lighthouse@12.8.2 chrome-launcher && node bench/lighthouse.mjs [/app/contacts,...]
// Scores move with the machine's load (performance most): compare runs on a quiet machine.
import { join } from "node:path";
import { chromium } from "playwright-core";
import { runSeed } from "../scripts/seed.mjs";
import { freePort, freshLocalD1, root, startWranglerDev } from "./local-wrangler.mjs";

const [{ default: lighthouse }, chromeLauncher, { default: desktopConfig }] = await Promise.all([
  import("lighthouse"),
  import("chrome-launcher"),
  import("lighthouse/core/config/desktop-config.js"),
]).catch(() => {
  console.error("lighthouse is not installed: npm install --no-save lighthouse@12.8.2 chrome-launcher");
  process.exit(2);
});

const stateDir = join(root, ".wrangler", "lighthouse-state");
await freshLocalD1(stateDir);
const seeded = await runSeed({ persistTo: stateDir });
const port = await freePort();
const stop = await startWranglerDev({ port, stateDir });
const base = `http://127.0.0.1:${port}`;
const chrome = await chromeLauncher.launch({
  chromePath: "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox"],
});
// Sign in inside the chromium Lighthouse drives, so its cookie jar holds the session.
const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
const page = await browser.contexts()[0].newPage();
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill(seeded.users[0].email);
await page.getByLabel("Password").fill(seeded.password);
await page.getByRole("button", { name: "Log in" }).click();
await page.waitForURL(/\/app/);
await page.close();

const flags = {
  port: chrome.port,
  output: "json",
  disableStorageReset: true,
  onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
};
let worst = 100;
for (const path of (process.argv[2] ?? "/app/contacts").split(",")) {
  for (const [formFactor, config] of [
    ["desktop", desktopConfig],
    ["phone", undefined],
  ]) {
    const { lhr } = await lighthouse(base + path, flags, config);
    if (new URL(lhr.finalDisplayedUrl).pathname !== path) throw new Error(`${path} ended at ${lhr.finalDisplayedUrl}`);
    const scores = Object.entries(lhr.categories).map(([k, v]) => [k, Math.round(v.score * 100)]);
    worst = Math.min(worst, ...scores.map(([, s]) => s));
    console.log(`${path} ${formFactor}: ${scores.map(([k, s]) => `${k} ${s}`).join(", ")}`);
    const metrics = [
      "first-contentful-paint",
      "largest-contentful-paint",
      "total-blocking-time",
      "cumulative-layout-shift",
    ];
    console.log(`  ${metrics.map((id) => `${id} ${lhr.audits[id]?.displayValue ?? "?"}`).join(", ")}`);
    for (const [id, audit] of Object.entries(lhr.audits))
      if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === "metricSavings")
        console.log(`  ${id}: ${audit.displayValue ?? audit.score}`);
  }
}
await browser.close();
chrome.kill();
stop();
console.log(`lowest score: ${worst}`);
process.exit(0);
