// The trash in chromium: a contact with a tag and a note is moved to the trash from its page (no browser
// confirm), found in Settings → Trash (axe clean), restored with its tag and note; moved again and brought
// back with the Undo the list shows; then deleted for good, which asks first.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, axeViolations, openNewAccountPage, waitForPath } from "./helpers.mjs";

export default {
  async "a contact with a tag and a note goes to the trash and comes back whole"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Trash E2E Ltd" });
    let dialogs = 0;
    let answer = "dismiss";
    page.on("dialog", (dialog) => {
      dialogs += 1;
      void (answer === "accept" ? dialog.accept() : dialog.dismiss());
    });

    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Ada");
    await page.getByLabel("Last name").fill("Lovelace");
    await page.getByLabel("Email address 1 (primary)").fill("ada@engines.example");
    await page.getByLabel("New tag").fill("Pioneer");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const contactPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).waitFor();
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByLabel("Add a note").fill("Wrote the first program");
    await timeline.getByRole("button", { name: "Add note" }).click();
    await timeline.getByText("Wrote the first program").waitFor();

    // Move to trash: no confirm, straight to the list with the way back.
    await page.getByRole("button", { name: "Move to trash" }).click();
    await waitForPath(page, "/app/contacts", /notice=deleted&trashed=\d+/);
    await page.getByText("Contact moved to the trash.").waitFor();
    await page.getByRole("status").filter({ hasText: "Moved to the trash." }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Ada Lovelace", exact: true }).count(), 0);

    // Settings → Trash lists it; axe finds nothing wrong there.
    await page.goto(`${baseUrl}/app/settings/profile`);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Trash" }).click();
    await waitForPath(page, "/app/trash");
    const row = page.getByRole("row").filter({ hasText: "Ada Lovelace" });
    await row.getByRole("cell", { name: "Contact", exact: true }).waitFor();
    await row.getByRole("cell", { name: "30", exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "axe on the trash page");

    await row.getByRole("button", { name: "Restore: Ada Lovelace" }).click();
    await waitForPath(page, contactPath, "?restored=1");
    await page.getByText("Restored from the trash.").waitFor();
    await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).waitFor();
    await page.getByText("Pioneer").first().waitFor();
    await page.getByRole("region", { name: "Timeline" }).getByText("Wrote the first program").waitFor();

    // Again, and back through the list's Undo this time.
    await page.getByRole("button", { name: "Move to trash" }).click();
    await waitForPath(page, "/app/contacts", /trashed=\d+/);
    await page.getByRole("button", { name: "Undo" }).click();
    await waitForPath(page, contactPath, "?restored=1");
    await page.getByText("Pioneer").first().waitFor();
    await page.getByRole("region", { name: "Timeline" }).getByText("Wrote the first program").waitFor();

    assert.equal(dialogs, 0, "moving to the trash asks nothing in a browser dialog");

    // Deleting for good asks first (htmx asks, then posts; without JavaScript a confirmation page); "Cancel" keeps it.
    await page.getByRole("button", { name: "Move to trash" }).click();
    await waitForPath(page, "/app/contacts", /trashed=\d+/);
    await page.goto(`${baseUrl}/app/trash`);
    const forever = page.getByRole("button", { name: "Delete forever: Ada Lovelace" });
    await forever.click();
    await page.waitForTimeout(300);
    assert.equal(dialogs, 1, "Delete forever asks in a browser dialog");
    assert.equal(new URL(page.url()).pathname, "/app/trash");
    await page.reload();
    assert.equal(await forever.count(), 1, "dismissed, the contact stays in the trash");
    answer = "accept";
    await forever.click();
    await waitForPath(page, "/app/trash", "?notice=purged");
    assert.equal(await page.getByRole("row").filter({ hasText: "Ada Lovelace" }).count(), 0);

    // The Filters panel over the contacts list closes with Escape, focus back on its summary.
    await page.goto(`${baseUrl}/app/contacts`);
    const filters = page.locator("details.filters-popover");
    await filters.locator("summary").click();
    await filters.locator("select, input").first().focus();
    await page.keyboard.press("Escape");
    assert.equal(await filters.evaluate((d) => d.open), false, "Escape closes the Filters panel");
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "SUMMARY");
    assertNoProblems(problems);
    await context.close();
  },
};
