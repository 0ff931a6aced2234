// Lists in chromium (issue 18): the first data row above the fold on desktop and phone.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, confirmEmailFromMail, openSignedUpPage } from "./helpers.mjs";

const LISTS = [
  { name: "contacts", path: "/app/contacts", row: "table.contacts-table tbody tr" },
  { name: "companies", path: "/app/companies", row: "table.records tbody tr" },
  { name: "deals", path: "/app/deals/list", row: "table.deals-table tbody tr" },
  { name: "tasks", path: "/app/tasks", row: "li.task" },
];

async function post(page, baseUrl, path, form) {
  const res = await page.request.post(baseUrl + path, { form, headers: { Origin: baseUrl }, maxRedirects: 0 });
  assert.ok(res.status() < 400, `${path} answered ${res.status()}`);
}

export default {
  async "first rows positions"({ baseUrl, browser, artifactsDir }) {
    const { context, page, problems, email } = await openSignedUpPage(browser, baseUrl, { company: "Lists Ltd" });
    // Positions are measured as a confirmed user sees the lists (no banner asking to confirm).
    await confirmEmailFromMail(page, baseUrl, email);
    for (let i = 0; i < 5; i++) await post(page, baseUrl, "/app/contacts", { first_name: `P${i}`, last_name: "Seed", emails: `p${i}@example.com` });
    await post(page, baseUrl, "/app/companies", { name: "Seed Co" });
    await page.goto(`${baseUrl}/app/deals/new`);
    await page.getByLabel("Name", { exact: true }).fill("Seed deal");
    await page.getByRole("button", { name: "Create deal" }).click();
    await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const today = new Date().toISOString().slice(0, 10);
    await post(page, baseUrl, "/app/tasks", { title: "Seed task", kind: "todo", due_date: today });
    for (const [label, size] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 390, height: 844 }]]) {
      await page.setViewportSize(size);
      for (const list of LISTS) {
        await page.goto(baseUrl + list.path);
        const top = await page.locator(list.row).first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
        console.log(`[lists] ${label} ${list.name}: first row top ${Math.round(top)} px`);
        await page.screenshot({ path: `/tmp/lists/${label}-${list.name}.png` });
      }
    }
    assertNoProblems(problems);
    await context.close();
  },
};
