// Importing deals in chromium against `wrangler dev`, whose local Queue and R2 do the work: upload
// Pipedrive's deals export as "Deals" into the Sales pipeline, see the preview (30 new, the companies
// the workspace lacks listed), commit, and find the deals with their amounts on /app/deals/list.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { WAIT_MS, assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

const PIPEDRIVE = readFileSync(new URL("../fixtures/imports/pipedrive-deals.csv", import.meta.url));
const SLOW = WAIT_MS * 3;

export default {
  async "upload Pipedrive's deals, preview, commit, see them in the deal list"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Deal Import E2E Ltd" });
    await page.goto(`${baseUrl}/app/import`);
    await page.getByLabel("The file holds").selectOption("deals");
    await page.getByLabel("Pipeline (deals only)").selectOption({ label: "Sales" });
    await page
      .getByLabel("CSV file", { exact: true })
      .setInputFiles({ name: "pipedrive-deals.csv", mimeType: "text/csv", buffer: PIPEDRIVE });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/app\/import\/[a-z0-9]+$/, { timeout: WAIT_MS, waitUntil: "commit" });

    await page.getByRole("heading", { name: "Preview" }).waitFor({ timeout: SLOW });
    const counts = await page.locator(".stat-list").innerText();
    assert.match(counts, /30\s+rows in the file/);
    assert.match(counts, /30\s+new/);
    assert.equal(await page.getByLabel("Deal - Value").inputValue(), "amount");
    await page.getByRole("heading", { name: "Companies and contacts not in this workspace" }).waitFor();

    await page.getByRole("button", { name: "Import 30 deals" }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: SLOW });
    assert.match(await page.locator(".stat-list").innerText(), /30\s+created/);

    await page.getByRole("link", { name: "See your deals" }).click();
    await waitForPath(page, "/app/deals/list");
    await page.getByRole("link", { name: "Globex – Annual plan 1", exact: true }).waitFor();
    const body = await page.locator("main").innerText();
    assert.match(body, /46,800\.50/);
    assertNoProblems(problems);
    await context.close();
  },
};
