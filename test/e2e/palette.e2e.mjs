// The command palette (issue 18) as a keyboard user meets it: Ctrl-K opens it on any app page, typing finds a
// record by a part of its name, arrows move, Enter lands on the record; a create action and a workspace switch
// by keyboard; Escape closes it and gives focus back; `/` still focuses the header's search; axe stays clean.
import assert from "node:assert/strict";
import {
  WAIT_MS,
  assertNoProblems,
  axeViolations,
  confirmEmailFromMail,
  openNewAccountPage,
  openPage,
  signUpByRequest,
  uniqueEmail,
  waitForPath,
  inviteAndJoin,
} from "./helpers.mjs";

/** The palette's box, once Ctrl-K has opened it. */
async function openPalette(page) {
  await page.keyboard.press("Control+k");
  const box = page.getByRole("combobox", { name: "Go to a record or page, or run an action" });
  await box.waitFor({ timeout: WAIT_MS });
  return box;
}

const activeOption = (page) =>
  page.evaluate(() => {
    const id = document.getElementById("palette-input")?.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id)?.textContent : null;
  });

/** The labels of the palette's options as shown. */
const optionLabels = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("#palette-list [role='option'] > span:first-child")].map((o) => o.textContent),
  );

/** The owner (address confirmed) invites `email` as a viewer, who joins in a browser of their own; on /app. */
async function viewerJoins(owner, baseUrl, browser, email) {
  await confirmEmailFromMail(owner.page, baseUrl, owner.email);
  await owner.page.goto(`${baseUrl}/app/settings/team`);
  return inviteAndJoin(owner, baseUrl, browser, email, "viewer");
}

export default {
  async "a viewer's Ctrl-K offers no create action and no admin page; `t` on a deal card opens nothing"({
    baseUrl,
    browser,
  }) {
    const owner = await openNewAccountPage(browser, baseUrl, { company: "Palette Viewer Co" });
    await owner.page.goto(`${baseUrl}/app/deals/new`);
    await owner.page.getByLabel("Name", { exact: true }).fill("Looked at only");
    await owner.page.getByRole("button", { name: "Create deal" }).click();
    await owner.page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const viewer = await viewerJoins(owner, baseUrl, browser, uniqueEmail("viewer"));
    const { page } = viewer;
    await page.setViewportSize({ width: 1280, height: 800 });

    await openPalette(page);
    const labels = await optionLabels(page);
    assert.ok(labels.includes("Contacts") && labels.includes("Settings: profile"), labels.join(", "));
    for (const refused of ["Create contact", "Create deal", "Create task", "Import", "Settings: billing"])
      assert.ok(!labels.includes(refused), `a viewer is offered ${refused}`);
    await page.keyboard.press("Escape");

    // `t` on a focused deal card would open the new-task form, which answers a viewer 403.
    const asked = [];
    page.on("request", (req) => {
      if (new URL(req.url()).pathname === "/app/tasks/new") asked.push(req.url());
    });
    await page.goto(`${baseUrl}/app/deals`);
    await page.getByRole("link", { name: "Looked at only", exact: true }).focus();
    await page.keyboard.press("t");
    await page.waitForTimeout(1000);
    assert.equal(new URL(page.url()).pathname, "/app/deals");
    assert.deepEqual(asked, [], "no request for the new-task form");
    assertNoProblems(owner.problems);
    assertNoProblems(viewer.problems);
    await owner.context.close();
    await viewer.context.close();
  },

  async "Ctrl-K: find a record inside a word, create, switch workspace, Escape; axe clean"({ baseUrl, browser }) {
    const { context, page, problems } = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUpByRequest(context, page, baseUrl, { company: "Palette Ltd" });
    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Grace");
    await page.getByLabel("Last name").fill("Hopper");
    await page
      .getByRole("button", { name: /save|create|add/i })
      .first()
      .click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS });
    const contactPath = new URL(page.url()).pathname;

    // From the dashboard: Ctrl-K, type the inside of a word, the record comes first; arrows move; Enter opens it.
    await page.goto(`${baseUrl}/app`);
    // A page load does not start the palette's script: the first Ctrl-K loads it.
    const paletteScripts = () => page.locator('script[src*="/assets/palette."]').count();
    assert.equal(await paletteScripts(), 0, "no palette script before Ctrl-K");
    let box = await openPalette(page);
    assert.equal(await paletteScripts(), 1, "loaded at the first Ctrl-K");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "palette-input", "the box has focus");
    assert.match(await page.locator("#palette-status").textContent(), /^\d+ results$/, "the count is announced");
    assert.deepEqual(await axeViolations(page), [], "axe with the palette open");
    // Without a word: the actions and pages; arrows move the active option (wrapping at the ends).
    assert.match(await activeOption(page), /^Create contact/);
    await page.keyboard.press("ArrowDown");
    assert.match(await activeOption(page), /^Create company/);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    assert.match(await activeOption(page), /^Settings: support access/, "up from the first is the last");
    await box.fill("opper");
    const grace = page.getByRole("option", { name: /Grace Hopper/ });
    await grace.waitFor({ timeout: WAIT_MS });
    assert.match(await activeOption(page), /Grace Hopper/, "the first result is active");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    assert.match(await activeOption(page), /Grace Hopper/, "arrows move and come back");
    assert.equal(await grace.getAttribute("aria-selected"), "true");
    assert.deepEqual(await axeViolations(page), [], "axe with results in the palette");
    await page.keyboard.press("Enter");
    await waitForPath(page, contactPath);

    // Escape closes it and gives focus back to where it was.
    const contactsLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" });
    await contactsLink.focus();
    box = await openPalette(page);
    await page.keyboard.press("Escape");
    await box.waitFor({ state: "hidden", timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Contacts");

    // `/` still focuses the header's search.
    await page.locator("main h1").first().click();
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "global-q");
    await page.keyboard.press("Escape");

    // A create action: Create deal goes to the new deal form.
    await page.locator("main h1").first().click();
    box = await openPalette(page);
    await box.fill("create deal");
    await page.getByRole("option", { name: /Create deal/ }).waitFor({ timeout: WAIT_MS });
    await page.keyboard.press("Enter");
    await waitForPath(page, "/app/deals/new");

    // A second workspace (the browser then works in it), and back to the first through the palette.
    await page.goto(`${baseUrl}/app/workspaces`);
    await page.getByLabel("Workspace name").fill("Side Project");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("heading", { level: 1, name: "Side Project" }).waitFor({ timeout: WAIT_MS });
    box = await openPalette(page);
    await box.fill("workspace: palette");
    const other = page.getByRole("option", { name: /Switch workspace: Palette Ltd/ });
    await other.waitFor({ timeout: WAIT_MS });
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Palette Ltd" }).waitFor({ timeout: WAIT_MS });
    assertNoProblems(problems);
  },
};
