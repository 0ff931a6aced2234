// The header's bell under the real CSP: its unread count is fetched by app.js after the page, says in
// words how many notifications are unread, and the link opens the notifications page, where "mark all read" works.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

export default {
  async "the bell loads its count after the page and opens the notifications page"({ baseUrl, browser }) {
    const { context, page, problems } = await openNewAccountPage(browser, baseUrl, { company: "Bell Browser Ltd" });
    const count = page.locator("a.bell span[data-fill]");
    await page.waitForFunction(
      () => document.querySelector("a.bell span[data-fill]")?.textContent === "no unread notifications",
      null,
      { timeout: WAIT_MS },
    );
    assert.equal(await count.textContent(), "no unread notifications");
    await page.getByRole("link", { name: /^Notifications:/ }).click();
    await waitForPath(page, "/app/notifications");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Notifications");
    assert.match(await page.locator("main").innerText(), /Nothing unread\./);
    assertNoProblems(problems);
    await context.close();
  },
};
