// First-party time spent, in the browser under the real CSP: our script counts the seconds a page is
// visible and, when the page is hidden, sends them with navigator.sendBeacon for the page's route pattern
// (never its URL); the server stores them (204).
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

/** Pretends the user switched tabs: the page becomes hidden, as Chromium reports it. */
function hide(page) {
  return page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

export default {
  async "a hidden page sends its visible seconds with sendBeacon, and they are stored"({ baseUrl, browser }) {
    const { context, page, problems } = await openNewAccountPage(browser, baseUrl, { company: "Beacon Browser Ltd" });
    const beacons = [];
    page.on("response", async (res) => {
      if (!res.url().endsWith("/app/usage/beacon")) return;
      beacons.push({ status: res.status(), body: new URLSearchParams(res.request().postData() ?? "") });
    });
    await page.getByRole("link", { name: "Contacts", exact: true }).click();
    await waitForPath(page, "/app/contacts");
    assert.equal(await page.locator("#ct-route").getAttribute("data-route"), "/app/contacts");
    await page.waitForTimeout(2200);
    await hide(page);
    const deadline = Date.now() + WAIT_MS;
    while (!beacons.some((b) => b.body.get("route") === "/app/contacts") && Date.now() < deadline) {
      await page.waitForTimeout(100);
    }
    const sent = beacons.find((b) => b.body.get("route") === "/app/contacts");
    assert.ok(sent, `a beacon for /app/contacts (got ${beacons.map((b) => b.body.toString()).join(" | ")})`);
    assert.equal(sent.status, 204);
    const seconds = Number(sent.body.get("seconds"));
    assert.ok(seconds >= 2 && seconds <= 4, `seconds: ${seconds}`);
    // Only the pattern and the seconds leave the page: no URL, no query.
    assert.deepEqual([...sent.body.keys()].sort(), ["route", "seconds"]);
    assertNoProblems(problems);
    await context.close();
  },
};
