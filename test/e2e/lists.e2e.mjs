// Lists in chromium (issue 18): the first data row above the fold on a laptop (1280×800, under 300 px)
// and a phone (390×844, under 500 px), the heading on one line, room in the search box and nothing wider
// than the screen, on the contacts, companies, deals and tasks lists, printed; axe finds nothing; the
// bulk bar appears only while a row is ticked; a filter's chip removes it; the pager says "1–50 of N" on
// page 1 and "51–100 of N" on page 2; "select all N" acts on every contact.
import assert from "node:assert/strict";
import {
  appPost,
  WAIT_MS,
  assertNoProblems,
  axeViolations,
  confirmEmailFromMail,
  openNewAccountPage,
  waitForPath,
} from "./helpers.mjs";

const CONTACTS = 125;
const LISTS = [
  { name: "contacts", path: "/app/contacts", row: "table.contacts-table tbody tr" },
  { name: "companies", path: "/app/companies", row: "table.records tbody tr" },
  { name: "deals", path: "/app/deals/list", row: "table.deals-table tbody tr" },
  { name: "tasks", path: "/app/tasks", row: "li.task" },
];
const VIEWPORTS = [
  { label: "desktop", size: { width: 1280, height: 800 }, limit: 300 },
  { label: "phone", size: { width: 390, height: 844 }, limit: 500 },
];

async function post(page, baseUrl, path, form) {
  const res = await appPost(page.request, baseUrl + path, { form, headers: { Origin: baseUrl }, maxRedirects: 0 });
  assert.ok(res.status() < 400, `${path} answered ${res.status()}`);
}

/** A workspace with CONTACTS contacts, a tag, a company, a deal and a task, made through the app. */
async function seed(page, baseUrl) {
  for (let i = 0; i < CONTACTS; i += 5)
    await Promise.all(
      [0, 1, 2, 3, 4].map((k) =>
        post(page, baseUrl, "/app/contacts", {
          first_name: `Person${String(i + k).padStart(3, "0")}`,
          last_name: "Seed",
          emails: `p${i + k}@example.com`,
        }),
      ),
    );
  await post(page, baseUrl, "/app/settings/tags", { name: "VIP", color: "green" });
  await post(page, baseUrl, "/app/companies", { name: "Seed Co" });
  await page.goto(`${baseUrl}/app/deals/new`);
  await page.getByLabel("Name", { exact: true }).fill("Seed deal");
  await page.getByRole("button", { name: "Create deal" }).click();
  await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
  const today = new Date().toISOString().slice(0, 10);
  await post(page, baseUrl, "/app/tasks", { title: "Seed task", kind: "todo", due_date: today });
}

export default {
  async "the lists show data first, count their pages, and act on every match"({ baseUrl, browser }) {
    const { context, page, problems, email } = await openNewAccountPage(browser, baseUrl, { company: "Lists Ltd" });
    // Measured as a confirmed user sees the lists (without the banner asking to confirm the address).
    await confirmEmailFromMail(page, baseUrl, email);
    await seed(page, baseUrl);

    for (const view of VIEWPORTS) {
      await page.setViewportSize(view.size);
      for (const list of LISTS) {
        await page.goto(baseUrl + list.path);
        const top = await page
          .locator(list.row)
          .first()
          .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
        console.log(`[lists] ${view.label} ${list.name}: first row top ${Math.round(top)} px`);
        assert.ok(top < view.limit, `${view.label} ${list.name}: first row at ${top} px`);
        // The heading on one line (squeezed beside the saved views' tabs it once broke as "Cont / acts"), room to
        // type in the search box, and nothing wider than the screen.
        const layout = await page.evaluate(() => {
          const range = document.createRange();
          range.selectNodeContents(document.querySelector("h1"));
          const search = document.querySelector(".filter-search input");
          return {
            headingLines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
            searchWidth: search ? search.getBoundingClientRect().width : null,
            pageWidth: document.documentElement.scrollWidth,
          };
        });
        assert.equal(layout.headingLines, 1, `${view.label} ${list.name}: the heading on ${layout.headingLines} lines`);
        assert.ok(
          layout.searchWidth === null || layout.searchWidth >= 90,
          `${view.label} ${list.name}: ${JSON.stringify(layout)}`,
        );
        assert.ok(layout.pageWidth <= view.size.width, `${view.label} ${list.name}: ${JSON.stringify(layout)}`);
        assert.deepEqual(await axeViolations(page), [], `${view.label} ${list.name}`);
      }
    }

    // On a phone the Filters popover opens within the screen.
    await page.goto(`${baseUrl}/app/contacts`);
    await page.getByText("Filters", { exact: true }).click();
    const panel = await page.locator(".filters-panel").boundingBox();
    assert.ok(panel && panel.x >= 0 && panel.x + panel.width <= 390, `the popover at ${JSON.stringify(panel)}`);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${baseUrl}/app/contacts`);
    const bulk = page.getByRole("form", { name: "Bulk actions on contacts" });
    const pager = page.locator(".pager-range");
    assert.equal(await pager.innerText(), `1–50 of ${CONTACTS}`);
    await page.getByRole("link", { name: "Next", exact: true }).click();
    await waitForPath(page, "/app/contacts", /cursor=/);
    assert.equal(await pager.innerText(), `51–100 of ${CONTACTS}`);
    await page.getByRole("link", { name: "Previous", exact: true }).click();
    await waitForPath(page, "/app/contacts", /cursor=/);
    assert.equal(await pager.innerText(), `1–50 of ${CONTACTS}`);

    // The bulk bar: hidden until a row is ticked, then reachable and saying how many.
    assert.equal(await bulk.isVisible(), false, "the bulk bar waits for a selection");
    await page.getByRole("checkbox", { name: "Select Person000 Seed" }).check();
    await bulk.waitFor({ state: "visible" });
    await bulk.getByText("1 selected on this page.").waitFor();
    await page.getByRole("checkbox", { name: "Select Person001 Seed" }).check();
    await bulk.getByText("2 selected on this page.").waitFor();
    await bulk.getByLabel("Action").focus();
    await bulk.getByLabel("Action").selectOption("tag");
    await bulk.getByLabel("Tag", { exact: true }).selectOption({ label: "VIP" });
    await bulk.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Tag added to 2 contacts.").waitFor();
    assert.equal(await bulk.isVisible(), false, "nothing ticked after the action");

    // A filter from the popover shows as a chip; the chip takes it away again.
    await page.getByText("Filters", { exact: true }).click();
    await page.getByLabel("Tag", { exact: true }).first().selectOption({ label: "VIP" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await waitForPath(page, "/app/contacts", /tag=/);
    assert.equal(await pager.innerText(), "1–2 of 2");
    await page.getByRole("link", { name: "Remove filter: Tag: VIP" }).click();
    await waitForPath(page, "/app/contacts", "");
    assert.equal(await pager.innerText(), `1–50 of ${CONTACTS}`);

    // Select the page, then every contact; tag them all.
    await page.getByRole("checkbox", { name: "Select all contacts on this page" }).check();
    const everyone = page.getByLabel(`Select all ${CONTACTS} contacts`);
    await everyone.check();
    await bulk.getByText("Every matching row is selected.").waitFor();
    await bulk.getByLabel("Action").selectOption("tag");
    await bulk.getByLabel("Tag", { exact: true }).selectOption({ label: "VIP" });
    await bulk.getByRole("button", { name: "Apply" }).click();
    await page.getByText(`Tag added to ${CONTACTS - 2} contacts.`).waitFor();
    await page.goto(`${baseUrl}/app/contacts?tag=${await vipId(page, baseUrl)}`);
    assert.equal(await pager.innerText(), `1–50 of ${CONTACTS}`);
    assertNoProblems(problems);
    await context.close();
  },
};

/** The VIP tag's id, read from the list's filter. */
async function vipId(page, baseUrl) {
  await page.goto(`${baseUrl}/app/contacts`);
  return page.locator("select[name='tag'] option", { hasText: "VIP" }).getAttribute("value");
}
