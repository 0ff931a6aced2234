// Deals in chromium: create three deals through the form, drag one card to another column with the
// mouse, move another with the keyboard only (Tab past "+ Task" to its "Move to" select, choose, Enter), reload and
// see both saved; find a deal through the header's search box; then the same keyboard move in the dark
// theme and at phone width (390 px), where the columns scroll sideways.
import assert from "node:assert/strict";
import { join } from "node:path";
import { WAIT_MS, appPost, assertNoProblems, openPage, signUpByRequest, waitForPath } from "./helpers.mjs";

/** Fills and submits the new-deal form; ends on the deal's page. */
async function createDeal(page, baseUrl, { name, amount, stage, closeDate, company }) {
  await page.goto(`${baseUrl}/app/deals/new`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Amount").fill(amount);
  if (closeDate) await page.getByLabel("Expected close date").fill(closeDate);
  if (company) {
    // The company picker is a combobox searching the workspace (assets-src/combobox.js).
    const box = page.getByRole("combobox", { name: "Company" });
    await box.click();
    await box.pressSequentially(company.slice(0, 6));
    await page.getByRole("option", { name: company }).click();
    assert.equal(await box.inputValue(), company);
  }
  await page.getByLabel("Stage").selectOption({ label: stage });
  await page.getByRole("button", { name: "Create deal" }).click();
  await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

/** The board's column list of a stage, found by the stage's name in its head. */
function column(page, stage) {
  return page
    .locator("section.board-column")
    .filter({ has: page.locator(".stage-name", { hasText: stage }) })
    .locator("ol.cards");
}

function card(page, name) {
  return page.locator("ol.cards > li").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/**
 * Every line of every open card shows whole: none squeezed under its text's height (its row shrunk to fit the
 * card's fixed height, the name and company then overlap) and none overlapping the next.
 */
async function assertCardsWhole(page, where) {
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll("#board ol.cards > li:not(.more)")].flatMap((li) => {
      // The owner and "+ Task" sit on the amount's line.
      const rows = [...li.children].filter((el) => el.tagName !== "ABBR" && !el.classList.contains("card-task"));
      return rows.flatMap((el, i) => {
        const box = el.getBoundingClientRect();
        const next = rows[i + 1]?.getBoundingClientRect();
        const line = Number.parseFloat(getComputedStyle(el).lineHeight) || 0;
        const squeezed = el.tagName !== "FORM" && box.height + 0.5 < line;
        const overlaps = next && box.bottom > next.top + 0.5;
        const clipped = box.bottom > li.getBoundingClientRect().bottom + 0.5;
        return squeezed || overlaps || clipped ? [`${li.querySelector("a")?.textContent}: ${el.tagName}`] : [];
      });
    }),
  );
  assert.deepEqual(cut, [], `card lines cut ${where}`);
  // Each "Move to" select shows its stage's whole name: the text, the select's padding and its arrow (~20 px) fit.
  const narrow = await page.evaluate(() =>
    [...document.querySelectorAll("#board .card-move select")].flatMap((select) => {
      const style = getComputedStyle(select);
      const context = document.createElement("canvas").getContext("2d");
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = context.measureText(select.options[select.selectedIndex].text).width;
      const room = select.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return text + 20 > room ? [`${select.options[select.selectedIndex].text}: ${Math.round(room)} px`] : [];
    }),
  );
  assert.deepEqual(narrow, [], `stage names cut ${where}`);
}

/** Waits until the board script has given every card its "Move to" form. */
async function boardReady(page) {
  await page.waitForFunction(
    () => {
      const board = document.getElementById("board");
      return board?.dataset.boardReady === "1" && typeof window.Sortable === "function";
    },
    null,
    { timeout: WAIT_MS },
  );
}

async function openBoard(page, baseUrl) {
  await page.goto(`${baseUrl}/app/deals`);
  await page.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
  await boardReady(page);
}

/** Focuses a card's link, then Tabs past its "+ Task" (in reading order) to its "Move to" select. */
async function tabToMoveSelect(page, name) {
  await card(page, name).getByRole("link", { name, exact: true }).focus();
  await page.keyboard.press("Tab");
  const task = card(page, name).getByRole("link", { name: `Add a task for ${name}` });
  assert.equal(await task.evaluate((el) => el === document.activeElement), true, "Tab reaches + Task, as read");
  await page.keyboard.press("Tab");
  const select = card(page, name).locator("select");
  assert.equal(await select.evaluate((el) => el === document.activeElement), true, "Tab reaches the Move to select");
  return select;
}

/** Moves a card with the keyboard only: Tab to its select, arrows to the stage, Enter. */
async function moveWithKeyboard(page, name, stage) {
  const select = await tabToMoveSelect(page, name);
  const labels = await select.locator("option").allTextContents();
  const from = labels.indexOf(await select.evaluate((el) => el.options[el.selectedIndex].text));
  const to = labels.indexOf(stage);
  for (let i = from; i < to; i++) await page.keyboard.press("ArrowDown");
  for (let i = from; i > to; i--) await page.keyboard.press("ArrowUp");
  assert.equal(await select.evaluate((el) => el.options[el.selectedIndex].text), stage);
  const saved = page.waitForResponse(
    (r) => /\/app\/deals\/\d+\/move$/.test(r.url()) && r.request().method() === "POST",
  );
  await page.keyboard.press("Enter");
  assert.equal((await saved).status(), 200);
  await column(page, stage).getByRole("link", { name, exact: true }).waitFor();
  await page.locator("#board-status", { hasText: `${name} moved to ${stage}.` }).waitFor({ state: "attached" });
}

export default {
  async "drag with the mouse, move with the keyboard, reload: both saved; dark theme and phone width"({
    baseUrl,
    browser,
    artifactsDir,
  }) {
    const { context, page, problems } = await openPage(browser);
    await page.setViewportSize({ width: 1400, height: 900 });
    await signUpByRequest(context, page, baseUrl, { company: "Deals E2E Ltd" });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deals" }).click();
    await waitForPath(page, "/app/deals");

    // A card with every line (company and close date too) shows each of them whole.
    const company = await appPost(page.request, `${baseUrl}/app/companies`, {
      headers: { Origin: baseUrl },
      form: { name: "Analytical Engines Ltd" },
      maxRedirects: 0,
    });
    assert.equal(company.status(), 303);
    await createDeal(page, baseUrl, { name: "Dragged deal", amount: "12,500.50", stage: "Lead" });
    await createDeal(page, baseUrl, { name: "Keyboard deal", amount: "800", stage: "Lead" });
    await createDeal(page, baseUrl, {
      name: "Phone deal",
      amount: "99",
      stage: "Qualified",
      closeDate: "2027-03-31",
      company: "Analytical Engines Ltd",
    });
    await createDeal(page, baseUrl, { name: "Gone deal", amount: "1", stage: "Lead" });
    const goneId = new URL(page.url()).pathname.split("/").pop();
    await openBoard(page, baseUrl);
    await assertCardsWhole(page, "at 1400 px");
    // Four columns on a 1,024 px screen: the longest stage name ("Negotiation") still shows whole in a select.
    await moveWithKeyboard(page, "Phone deal", "Negotiation");
    await page.setViewportSize({ width: 1024, height: 900 });
    await assertCardsWhole(page, "at 1024 px");
    await moveWithKeyboard(page, "Phone deal", "Qualified");
    await page.setViewportSize({ width: 1400, height: 900 });

    // A move that fails (someone deleted the deal meanwhile): the card goes back and the error shows.
    const deleted = await appPost(page.request, `${baseUrl}/app/deals/${goneId}/delete`, {
      headers: { Origin: baseUrl },
      maxRedirects: 0,
    });
    assert.equal(deleted.status(), 303);
    await tabToMoveSelect(page, "Gone deal");
    await page.keyboard.press("ArrowDown");
    const refused = page.waitForResponse((r) => r.url().endsWith(`/app/deals/${goneId}/move`));
    await page.keyboard.press("Enter");
    assert.equal((await refused).status(), 404);
    await page.getByRole("alert").filter({ hasText: "Gone deal was not moved" }).waitFor();
    await column(page, "Lead").getByRole("link", { name: "Gone deal", exact: true }).waitFor();

    // Drag with real mouse moves (SortableJS follows the pointer, so it needs steps).
    const from = await card(page, "Dragged deal").boundingBox();
    const target = await column(page, "Proposal").boundingBox();
    assert.ok(from && target);
    const saved = page.waitForResponse(
      (r) => /\/app\/deals\/\d+\/move$/.test(r.url()) && r.request().method() === "POST",
    );
    await page.mouse.move(from.x + from.width / 2, from.y + 12);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + 20, { steps: 5 });
    await page.mouse.move(target.x + target.width / 2, target.y + 20, { steps: 25 });
    await page.mouse.move(target.x + target.width / 2, target.y + 24, { steps: 5 });
    await page.mouse.up();
    assert.equal((await saved).status(), 200);
    await column(page, "Proposal").getByRole("link", { name: "Dragged deal", exact: true }).waitFor();
    await page
      .locator(`#head-${await column(page, "Proposal").getAttribute("data-stage")}`, {
        hasText: "Proposal · 1 · $12,501",
      })
      .waitFor();

    await moveWithKeyboard(page, "Keyboard deal", "Negotiation");

    await page.reload();
    await boardReady(page);
    await column(page, "Proposal").getByRole("link", { name: "Dragged deal", exact: true }).waitFor();
    await column(page, "Negotiation").getByRole("link", { name: "Keyboard deal", exact: true }).waitFor();
    assert.equal(await column(page, "Lead").locator("li").count(), 0, "nothing left in Lead");

    // The header's search finds the deal by part of its name: "/" focuses the box, results show under
    // it as one types, Escape closes them, and following one opens the deal.
    await page.locator("body").press("/");
    const box = page.getByRole("searchbox", { name: "Search contacts, companies, deals and tasks" });
    assert.equal(await box.evaluate((el) => el === document.activeElement), true, "/ focuses the search box");
    await box.pressSequentially("zq");
    const results = page.locator("#global-results");
    await results.getByText("Nothing matches “zq”.").waitFor();
    await box.fill("");
    await box.pressSequentially("yboard");
    await results.getByRole("link", { name: "Keyboard deal" }).waitFor();
    // caret "initial": hiding the caret injects a style element, which the CSP (rightly) refuses.
    await page.screenshot({ path: join(artifactsDir, "search-box.png"), caret: "initial" });
    await page.keyboard.press("Escape");
    await results.getByRole("link").first().waitFor({ state: "detached" });
    await box.press("End");
    await box.pressSequentially(" ");
    await results.getByRole("link", { name: "Keyboard deal" }).click();
    await page.getByRole("heading", { level: 1, name: "Keyboard deal" }).waitFor();
    await openBoard(page, baseUrl);

    // Dark theme: the board renders in it and the keyboard move still works.
    // The theme form is a full POST and redirect: wait for it to land before reloading.
    const navigated = page.waitForEvent("framenavigated");
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" }).click();
    await navigated;
    await page.waitForLoadState("load");
    await page.reload();
    await boardReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await moveWithKeyboard(page, "Keyboard deal", "Qualified");
    await page.screenshot({ path: join(artifactsDir, "deals-board-dark.png"), fullPage: true });

    // Phone width: the page does not widen; the board scrolls sideways; the move form still works.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await boardReady(page);
    const widths = await page.evaluate(() => {
      const board = document.getElementById("board");
      return { page: document.documentElement.scrollWidth, board: board.scrollWidth, boardBox: board.clientWidth };
    });
    assert.ok(widths.page <= 390 + 1, `the page is ${widths.page}px wide at 390px`);
    assert.ok(widths.board > widths.boardBox, "the columns scroll sideways");
    await assertCardsWhole(page, "at 390 px");
    await moveWithKeyboard(page, "Phone deal", "Negotiation");
    await page.screenshot({ path: join(artifactsDir, "deals-board-390.png"), fullPage: true });
    await page.reload();
    await boardReady(page);
    await column(page, "Negotiation").getByRole("link", { name: "Phone deal", exact: true }).waitFor();
    await column(page, "Qualified").getByRole("link", { name: "Keyboard deal", exact: true }).waitFor();
    assertNoProblems(problems);
  },
};
