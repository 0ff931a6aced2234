// A form refused as a whole page (a plain POST answered 4xx) puts focus on its first invalid field in browsers that
// do not expose the navigation's response status (Safari, Firefox): here chromium with responseStatus hidden.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, openPage } from "./helpers.mjs";

export default {
  async "a refused sign-up focuses the first invalid field without navigation timing's responseStatus"({
    baseUrl,
    browser,
  }) {
    const { context, page, problems } = await openPage(browser);
    await context.addInitScript(() => {
      Object.defineProperty(PerformanceNavigationTiming.prototype, "responseStatus", { get: () => undefined });
    });
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel("Work email").fill("not an address");
    await page.getByLabel("Company name").fill("Focus Ltd");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").filter({ hasText: "Please correct the fields marked below." }).waitFor();
    assert.equal(
      await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.responseStatus),
      undefined,
      "responseStatus is hidden, as in Safari and Firefox",
    );
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "email", null, {
      timeout: WAIT_MS,
    });
    assertNoProblems(problems);
    await context.close();
  },
};
