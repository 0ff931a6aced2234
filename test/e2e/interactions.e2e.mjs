// Logging a call on a company through its page in chromium: the "Log activity" disclosure beside "Add a
// note", a refused duration shown by its field, the call in the timeline (swapped in by htmx), edited
// inline and deleted after a confirmation; then the company list's "Last contacted" column. No CSP or
// script errors on the way.
import assert from "node:assert/strict";
import { openNewAccountPage, waitForPath, WAIT_MS, assertNoProblems } from "./helpers.mjs";

export default {
  async "a member logs a call on a company, fixes a refused field, edits it inline and deletes it"({
    baseUrl,
    browser,
  }) {
    const { page, problems } = await openNewAccountPage(browser, baseUrl, {
      company: `Call Centre ${Date.now().toString(36)}`,
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Companies" }).click();
    await waitForPath(page, "/app/companies");
    // A boosted navigation: focus on the new page's main part, as after a full load.
    await page.waitForFunction(() => document.activeElement?.id === "main", null, { timeout: WAIT_MS });
    await page.getByRole("link", { name: "New company" }).click();
    await waitForPath(page, "/app/companies/new");
    await page.getByLabel("Name", { exact: true }).fill("Ringing Ltd");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.waitForURL(/\/app\/companies\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    await page.getByRole("heading", { level: 1, name: "Ringing Ltd" }).waitFor();

    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByText("Log activity", { exact: true }).click();
    await timeline.getByLabel("Kind").selectOption("call");
    await timeline.getByLabel("When").fill("2026-03-10T14:30");
    // Past the browser's own max: the server's refusal must show by the field.
    await timeline.getByLabel("Duration in minutes (optional)").evaluate((el) => el.removeAttribute("max"));
    await timeline.getByLabel("Duration in minutes (optional)").fill("2000");
    await timeline.getByLabel("Outcome").fill("left voicemail");
    await timeline.getByLabel("Notes (optional)").fill("Asked for a call back");
    await timeline.getByRole("button", { name: "Add to timeline" }).click();
    await timeline.getByText("Enter the minutes as a whole number from 0 to 1440.").waitFor();
    assert.equal(await timeline.getByLabel("Notes (optional)").inputValue(), "Asked for a call back");
    await timeline.getByLabel("Duration in minutes (optional)").fill("25");
    await timeline.getByRole("button", { name: "Add to timeline" }).click();

    const call = timeline.getByRole("article", { name: /^call logged by / });
    await call.getByText("Asked for a call back").waitFor();
    const meta = await call.locator(".note-meta").innerText();
    assert.match(meta, /^Call · 3\/10\/2026, 2:30 PM .* · 25 min · left voicemail · logged by /);
    // htmx swapped the timeline in place: still on the company's page, the form closed and empty.
    assert.match(new URL(page.url()).pathname, /^\/app\/companies\/\d+$/);
    assert.equal(await timeline.locator("details.interaction-log").getAttribute("open"), null);
    // Its button went with the old timeline: focus is on the new one's heading, not lost to the page.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Timeline");

    // Edit inline, then delete after the confirmation.
    await call.getByRole("link", { name: /^Edit/ }).click();
    const outcome = timeline.locator("li.editing").getByLabel("Outcome");
    await outcome.waitFor();
    assert.equal(await outcome.inputValue(), "left voicemail");
    await outcome.fill("connected");
    await timeline.getByRole("button", { name: "Save" }).click();
    await timeline.getByText("edited a logged call").waitFor();
    assert.match(await call.locator(".note-meta").innerText(), / · connected · /);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Companies" }).click();
    await waitForPath(page, "/app/companies");
    // A boosted navigation: focus on the new page's main part, as after a full load.
    await page.waitForFunction(() => document.activeElement?.id === "main", null, { timeout: WAIT_MS });
    const row = page.getByRole("row", { name: /Ringing Ltd/ });
    await row.getByText("3/10/2026").waitFor();
    await row.getByRole("link", { name: "Ringing Ltd" }).click();
    await page.getByRole("heading", { level: 1, name: "Ringing Ltd" }).waitFor();

    page.once("dialog", (dialog) => void dialog.accept());
    await timeline
      .getByRole("article", { name: /^call logged by / })
      .getByRole("button", { name: /^Delete/ })
      .click();
    await timeline.getByText("deleted a logged call").waitFor();
    assert.equal(await timeline.getByRole("article", { name: /^call logged by / }).count(), 0);
    assertNoProblems(problems);
  },
};
