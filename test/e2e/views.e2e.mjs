// Columns and saved views in chromium (issue 18): choose the contacts list's columns (a custom field
// included, moved first), save that as a view, see it as the current tab, make it the default, and
// land on it when /app/contacts opens with no parameters. axe finds nothing wrong on the way.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, axeViolations, openNewAccountPage, waitForPath } from "./helpers.mjs";

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
};
