// The dashboard's charts and the reports page in chromium, as an owner sees them after a few deals: the bars
// follow the deals, a bar's tooltip shows on keyboard focus, "Show as table" opens the same numbers by keyboard,
// the reports' filters and CSV download work, axe finds no violations on either page in the light and the dark
// theme, nothing overflows a phone's width, and screenshots of both pages in both themes are kept.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WAIT_MS, assertNoProblems, axeViolations, openPage, signUpByRequest, waitForPath } from "./helpers.mjs";

async function createDeal(page, baseUrl, { name, amount, stage }) {
  await page.goto(`${baseUrl}/app/deals/new`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Amount", { exact: true }).fill(amount);
  await page.getByLabel("Stage", { exact: true }).selectOption({ label: stage });
  await page.getByRole("button", { name: "Create deal" }).click();
  await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
}

async function setTheme(page, label) {
  const themes = page.getByRole("group", { name: "Theme" });
  await themes.getByRole("button", { name: label }).click();
  await themes.getByRole("button", { name: label, pressed: true }).waitFor({ timeout: WAIT_MS });
}

export default {
  async "charts on the dashboard and the reports, by keyboard, in both themes, with no axe violations"({
    baseUrl,
    browser,
    artifactsDir,
  }) {
    const { context, page, problems } = await openPage(browser);
    await signUpByRequest(context, page, baseUrl, { company: "Charts Ltd" });
    await createDeal(page, baseUrl, { name: "Small deal", amount: "1000", stage: "Lead" });
    await createDeal(page, baseUrl, { name: "Big deal", amount: "3000", stage: "Proposal" });
    await createDeal(page, baseUrl, { name: "Won deal", amount: "2500", stage: "Qualified" });
    await page.getByRole("button", { name: "Mark won", exact: true }).click();
    await page.getByRole("button", { name: /^Reopen/ }).waitFor({ timeout: WAIT_MS });

    await page.goto(`${baseUrl}/app`);
    const pipeline = page.locator("#chart-pipeline");
    await pipeline.waitFor({ timeout: WAIT_MS });
    // The Proposal bar is three times the Lead bar.
    const heights = await pipeline
      .locator(".chart-bars rect")
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height"))));
    const [lead, qualified, proposal] = heights;
    assert.equal(qualified, 0, `heights ${heights}`);
    assert.ok(Math.abs(proposal - 3 * lead) <= 0.2, `heights ${heights}`);

    // Tab reaches a bar; its tooltip shows while it has focus.
    const mark = pipeline.getByRole("img", { name: /^Proposal, Open value: \$3,000\.00$/ });
    await mark.focus();
    const tip = mark.locator(".chart-tip");
    await tip.waitFor({ state: "visible", timeout: WAIT_MS });
    // Escape dismisses it without moving focus; the next focus shows it again.
    await page.keyboard.press("Escape");
    await tip.waitFor({ state: "hidden", timeout: WAIT_MS });
    assert.equal(await mark.evaluate((el) => el === document.activeElement), true);
    // The table toggle opens with the keyboard and shows the same numbers.
    await pipeline.getByText("Show as table").focus();
    await page.keyboard.press("Enter");
    const table = pipeline.getByRole("table");
    await table.waitFor({ timeout: WAIT_MS });
    assert.match(await table.innerText(), /Proposal\s+\$3,000\.00/);
    await page
      .locator("#chart-won")
      .getByRole("img", { name: /Won: \$2,500\.00$/ })
      .waitFor({ timeout: WAIT_MS });

    for (const [label, value] of [
      ["Light", "light"],
      ["Dark", "dark"],
    ]) {
      await setTheme(page, label);
      await page.reload();
      await page.locator("#chart-pipeline").waitFor({ timeout: WAIT_MS });
      assert.deepEqual(await axeViolations(page), [], `axe on the dashboard (${value})`);
      await page.screenshot({ path: join(artifactsDir, `dashboard-charts-${value}.png`), fullPage: true });
      await page.goto(`${baseUrl}/app/reports`);
      await page.locator("#report-outcomes").waitFor({ timeout: WAIT_MS });
      assert.deepEqual(await axeViolations(page), [], `axe on the reports (${value})`);
      await page.screenshot({ path: join(artifactsDir, `reports-${value}.png`), fullPage: true });
      await page.goto(`${baseUrl}/app`);
    }

    // The reports' filters: a range that ends before today has no won deal; the form keeps what was asked.
    await page.goto(`${baseUrl}/app/reports`);
    await page.getByLabel("From", { exact: true }).fill("2020-01-01");
    await page.getByLabel("To", { exact: true }).fill("2020-12-31");
    await page.getByRole("button", { name: "Show" }).click();
    await waitForPath(page, "/app/reports", /from=2020-01-01/);
    await page.locator("#report-outcomes").getByText("No deals were won or lost in this period.").waitFor();
    // A CSV download of the default range holds the won deal.
    await page.goto(`${baseUrl}/app/reports`);
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: WAIT_MS }),
      page
        .locator("#report-outcomes")
        .getByRole("link", { name: /Download CSV/ })
        .click(),
    ]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /^\uFEFFoutcome,reason,deals,currency,amount\r\nwon,,1,USD,2500\.00\r\n/);

    // On a phone nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/app", "/app/reports"]) {
      await page.goto(`${baseUrl}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a 390px screen`);
    }
    await page.goto(`${baseUrl}/app`);
    await page.screenshot({ path: join(artifactsDir, "dashboard-charts-390.png"), fullPage: true });
    assertNoProblems(problems);
  },
};
