// The header as a newcomer meets it: one row on a desktop, a Menu button on a phone that unfolds the links (and
// Escape folds them), the account menu by keyboard, axe clean; a second workspace created from the Workspaces
// page, which the browser then works in, and the way back through the header's workspace switcher.
import assert from "node:assert/strict";
import {
  WAIT_MS,
  assertNoProblems,
  axeViolations,
  openAccountMenu,
  openPage,
  signUpByRequest,
  waitForPath,
} from "./helpers.mjs";

export default {
  async "one header row on a desktop, a Menu on a phone, the account menu by keyboard, a new workspace"({
    baseUrl,
    browser,
  }) {
    const { context, page, problems } = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUpByRequest(context, page, baseUrl, { company: "Header Ltd" });
    const header = page.locator(".site-header");
    const rowHeight = await header.evaluate((h) => h.getBoundingClientRect().height);
    assert.ok(rowHeight < 70, `the desktop header is one row (${rowHeight}px)`);
    assert.equal(await page.getByRole("button", { name: "Menu" }).isVisible(), false);

    // The account menu by keyboard: focus its summary, open it, reach Workspaces.
    await page.locator(".account-menu summary").focus();
    await page.keyboard.press("Enter");
    const workspaces = page.locator(".account-menu").getByRole("link", { name: "Workspaces" });
    await workspaces.waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(page), [], "axe with the account menu open");
    await page.keyboard.press("Escape");
    assert.equal(await workspaces.isVisible(), false, "Escape closes the account menu");

    // A second workspace, from the Workspaces page.
    await (await openAccountMenu(page)).getByRole("link", { name: "Workspaces" }).click();
    await waitForPath(page, "/app/workspaces");
    await page.getByLabel("Workspace name").fill("Side Project");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await waitForPath(page, "/app");
    await page.getByRole("heading", { level: 1, name: "Side Project" }).waitFor({ timeout: WAIT_MS });
    // And back, from the header's switcher (loaded when the menu opens).
    const switcher = await openAccountMenu(page);
    await switcher.getByRole("button", { name: "Switch to Header Ltd" }).click();
    await page.getByRole("heading", { level: 1, name: "Header Ltd" }).waitFor({ timeout: WAIT_MS });

    // On a phone the links fold behind Menu.
    await page.setViewportSize({ width: 390, height: 800 });
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.waitFor({ timeout: WAIT_MS });
    const contacts = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" });
    assert.equal(await contacts.isVisible(), false, "the links are folded on a phone");
    const mainTop = await page.locator("main").evaluate((m) => m.getBoundingClientRect().top);
    assert.ok(mainTop < 120, `the page starts right under the header (${mainTop}px)`);
    await menu.click();
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    await contacts.waitFor({ timeout: WAIT_MS });
    await page.keyboard.press("Escape");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await menu.click();
    await contacts.click();
    await waitForPath(page, "/app/contacts");
    assert.deepEqual(await axeViolations(page), [], "axe on a phone");

    // Long words someone typed wrap on a phone: the contact's page and the search never get wider than it.
    const long = `Maximilian${"x".repeat(60)}`;
    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill(long);
    await page.getByLabel("Last name").fill("Long");
    await page.getByLabel("Job title").fill(`Chief${"y".repeat(80)}`);
    await page.getByLabel("Email address 1 (primary)").fill(`${"z".repeat(60)}@example.com`);
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    await page.getByRole("heading", { level: 1, name: `${long} Long` }).waitFor();
    const wider = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(await wider(), 0, "the contact's page on a phone");
    await page.goto(`${baseUrl}/app/search?q=Maximilian`);
    await page.getByRole("link", { name: `${long} Long` }).waitFor();
    assert.equal(await wider(), 0, "the search page on a phone");
    assertNoProblems(problems);
  },
};
