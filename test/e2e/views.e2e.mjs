// Columns and saved views in chromium (issue 18): choose the contacts list's columns (a custom field
// included, moved first), save that as a view, see it as the current tab, make it the default, and
// land on it when /app/contacts opens with no parameters. axe finds nothing wrong on the way.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, axeViolations, openNewAccountPage, uniqueEmail, waitForPath } from "./helpers.mjs";

/** The table's column headers, without sort arrows. */
async function headerTexts(page) {
  const texts = await page.locator("table.contacts-table thead th").allInnerTexts();
  return texts.map((t) => t.replace(/[▲▼↕]/g, "").trim()).filter((t) => t && !/^(Select|Actions)/.test(t));
}

export default {
  async "columns chosen and saved as a default view"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Views E2E Ltd" });

    await page.goto(`${baseUrl}/app/settings/fields`);
    const newField = page.getByRole("region", { name: "New field" });
    await newField.getByLabel("For").selectOption("contact");
    await newField.getByLabel("Name").fill("Tier");
    await newField.getByLabel("Kind").selectOption("text");
    await newField.getByRole("button", { name: "Create field" }).click();
    await waitForPath(page, "/app/settings/fields", "?notice=created");

    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Grace");
    await page.getByLabel("Last name").fill("Hopper");
    await page.getByLabel("Tier").fill("Platinum");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });

    // Columns: keyboard through the <details> form — Tier first, then Email; the rest off.
    await page.goto(`${baseUrl}/app/contacts`);
    const summary = page.locator(".columns-menu > summary");
    await summary.focus();
    await page.keyboard.press("Enter");
    const columns = page.getByRole("group", { name: "Show and order the columns" });
    for (const name of ["Company", "Phone", "Tags", "Owner", "Updated", "Last contacted", "Next task"])
      await columns.getByLabel(name, { exact: true }).uncheck();
    await columns.getByLabel("Tier", { exact: true }).check();
    await columns.getByLabel("Position of Tier").selectOption("1");
    await columns.getByLabel("Position of Email").selectOption("2");
    await page.getByRole("button", { name: "Apply columns" }).click();
    await waitForPath(page, "/app/contacts", /cols=cf_\d+%2Cemail|cols=cf_\d+,email/);
    assert.deepEqual(await headerTexts(page), ["Name", "Tier", "Email"]);
    await page.getByRole("cell", { name: "Platinum" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "axe on the list with chosen columns");

    // Save as a view: it appears as the current tab.
    await page.locator(".view-menu > summary").click();
    await page.getByLabel("Save these filters, sort and columns as").fill("Tiered");
    await page.getByRole("button", { name: "Save view" }).click();
    await waitForPath(page, "/app/contacts", /view=\d+/);
    const tabs = page.getByRole("navigation", { name: "Saved views" });
    const tab = tabs.getByRole("link", { name: /^Tiered/ });
    assert.equal(await tab.getAttribute("aria-current"), "page");
    assert.deepEqual(await headerTexts(page), ["Name", "Tier", "Email"]);

    // Make it the default; /app/contacts with no parameters lands on it.
    await page.locator(".view-menu > summary").click();
    await page.getByRole("button", { name: "Open this view by default" }).click();
    await waitForPath(page, "/app/contacts", /view=\d+/);
    await page.goto(`${baseUrl}/app/contacts`);
    await waitForPath(page, "/app/contacts", /view=\d+/);
    assert.equal(await tabs.getByRole("link", { name: /^Tiered/ }).getAttribute("aria-current"), "page");
    assert.deepEqual(await headerTexts(page), ["Name", "Tier", "Email"]);
    assert.deepEqual(await axeViolations(page), [], "axe on the default view");

    // Sorting the open view keeps it open, marked changed; its owner saves the change into it.
    await page.locator(".filters-popover > summary").click();
    await page.getByLabel("Sort by").selectOption("updated");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await waitForPath(page, "/app/contacts", /sort=updated/);
    assert.equal(await tabs.getByRole("link", { name: /^Tiered/ }).getAttribute("aria-current"), "page");
    assert.match(await tabs.getByRole("link", { name: /^Tiered/ }).innerText(), /changed/);
    await page.locator(".view-menu > summary").click();
    await page.getByRole("button", { name: "Save changes to “Tiered”" }).click();
    await waitForPath(page, "/app/contacts", /sort=updated.*view=\d+/);
    assert.doesNotMatch(await tabs.getByRole("link", { name: /^Tiered/ }).innerText(), /changed/);
    assert.deepEqual(await axeViolations(page), [], "axe on the saved, refined view");

    // "All contacts" is still one click away, with the standard columns.
    await tabs.getByRole("link", { name: "All contacts" }).click();
    await waitForPath(page, "/app/contacts", "?view=all");
    assert.ok((await headerTexts(page)).includes("Phone"));

    // The deals list has saved views too: filter, save, and the tab is current.
    await page.goto(`${baseUrl}/app/deals/list`);
    await page.locator(".filters-popover > summary").click();
    await page.getByLabel("Status").selectOption("open");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await waitForPath(page, "/app/deals/list", /status=open/);
    await page.locator(".view-menu > summary").click();
    await page.getByLabel("Save these filters and sort as").fill("Open deals");
    await page.getByRole("button", { name: "Save view" }).click();
    await waitForPath(page, "/app/deals/list", /status=open&view=\d+/);
    const dealTab = page.getByRole("navigation", { name: "Saved views" }).getByRole("link", { name: /^Open deals/ });
    assert.equal(await dealTab.getAttribute("aria-current"), "page");
    assert.deepEqual(await axeViolations(page), [], "axe on a saved view of the deals list");

    assertNoProblems(problems);
    await context.close();
  },

  async "a desktop shows every default column; a narrower one scrolls sideways under the row's box and name"({
    baseUrl,
    browser,
  }) {
    // A long address, as the owner's and the contact's: the list once hid Updated, Last contacted and Next task
    // past its right edge on every desktop.
    const email = uniqueEmail("maximiliane.oberholzerwittgenstein");
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, {
      company: "Wide Lists Ltd",
      email,
    });
    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Maximiliane");
    await page.getByLabel("Last name").fill("Oberholzer-Wittgenstein");
    await page
      .getByLabel("Email address 1 (primary)")
      .fill("maximiliane.oberholzer-wittgenstein@internationalisation.example");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });

    const layout = () =>
      page.evaluate(() => {
        const wrap = document.querySelector("table.contacts-table").parentElement;
        const row = document.querySelector("table.contacts-table tbody tr");
        return {
          overflow: wrap.scrollWidth - wrap.clientWidth,
          lastHeaderRight: [...document.querySelectorAll("table.contacts-table thead th")]
            .at(-1)
            .getBoundingClientRect().right,
          viewport: document.documentElement.clientWidth,
          box: row.children[0].getBoundingClientRect().left,
          name: row.children[1].getBoundingClientRect().left,
          company: row.children[2].getBoundingClientRect().left,
          ownerTitle: row.querySelector(".owner-cell")?.getAttribute("title"),
        };
      });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${baseUrl}/app/contacts`);
    const wide = await layout();
    assert.ok(wide.overflow <= 1, `the table is ${wide.overflow} px wider than its card at 1280 px`);
    assert.ok(wide.lastHeaderRight <= wide.viewport, "the last column (Next task) is on the screen");
    assert.equal(wide.ownerTitle, email, "the owner cut short keeps the whole address as its title");

    await page.setViewportSize({ width: 1024, height: 800 });
    const before = await layout();
    assert.ok(before.overflow > 0, "at 1024 px the default columns need more room than the card");
    await page.evaluate(() => {
      const wrap = document.querySelector("table.contacts-table").parentElement;
      wrap.scrollLeft = wrap.scrollWidth;
    });
    const after = await layout();
    assert.ok(after.company <= before.company - before.overflow + 1, "the other columns scroll");
    assert.ok(after.lastHeaderRight <= after.viewport, "scrolled to its end, the last column is on the screen");
    assert.equal(after.box, before.box, "the row's box stays");
    assert.equal(after.name, before.name, "the row's name stays");

    assertNoProblems(problems);
    await context.close();
  },
};
