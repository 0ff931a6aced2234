// Analytics consent in a real browser. The app runs with a GA measurement id and its loader pointed
// at a local stub (scripts/e2e.mjs), so "GA loads" means chromium requests the stub's /gtag/js.
// Every request chromium makes is recorded: none may go to a Google host, and none to the stub
// before consent, after rejecting, or on any /app page.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, openPage, signUpThroughPages, waitForPath, openAccountMenu } from "./helpers.mjs";

const GOOGLE = /(^|\.)(google|googletagmanager|google-analytics|googleadservices|doubleclick|gstatic)\.[a-z.]+$/i;
const PUBLIC_PAGES = ["/", "/privacy", "/terms", "/cookies", "/contact", "/signup"];

/** Records every request the context makes: { url, page (the document's URL when it was made) }. */
function recordRequests(context) {
  const requests = [];
  context.on("request", (request) => {
    let page = "";
    try {
      page = request.frame().url();
    } catch {
      page = "(no frame)";
    }
    requests.push({ url: request.url(), page });
  });
  return requests;
}

function toGoogle(requests) {
  return requests.filter((r) => GOOGLE.test(new URL(r.url).hostname));
}

function toStub(requests, gaStub) {
  return requests.filter((r) => r.url.startsWith(gaStub.origin));
}

/** Asserts that nothing went to Google or to the GA stub. */
function assertNoAnalytics(requests, gaStub, when) {
  assert.deepEqual(toGoogle(requests), [], `requests to Google ${when}`);
  assert.deepEqual(toStub(requests, gaStub), [], `GA loader requests ${when}`);
}

/** Marks the document, so we can tell afterwards that it was not reloaded. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
}

async function consentCookie(context) {
  return (await context.cookies()).find((c) => c.name === "__Host-consent");
}

export default {
  async "before consent and after rejecting (by keyboard, with htmx), nothing is requested from Google or the GA stub"({
    baseUrl,
    browser,
    gaStub,
  }) {
    const { context, page, problems } = await openPage(browser);
    const requests = recordRequests(context);

    for (const path of PUBLIC_PAGES) {
      await page.goto(`${baseUrl}${path}`);
      if (path !== "/cookies") await page.getByRole("region", { name: "Cookies on this site" }).waitFor();
    }
    assertNoAnalytics(requests, gaStub, "before any choice");
    assert.equal(await consentCookie(context), undefined, "no consent cookie before a choice");

    // Both buttons are reachable with the keyboard; reject with it.
    await page.goto(`${baseUrl}/privacy`);
    await markDocument(page);
    const reject = page.getByRole("button", { name: "Reject analytics cookies" });
    const accept = page.getByRole("button", { name: "Accept analytics cookies" });
    assert.equal(
      await accept.getAttribute("class"),
      await reject.getAttribute("class"),
      "the two buttons look the same",
    );
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await reject.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, "the reject button is reachable with Tab");
    await page.keyboard.press("Enter");
    await page.getByText("You rejected analytics cookies").waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "choosing with htmx does not reload the page");
    assert.match((await consentCookie(context))?.value ?? "", /\.rejected\./);

    for (const path of PUBLIC_PAGES) {
      await page.goto(`${baseUrl}${path}`);
      assert.equal(
        await page.getByRole("region", { name: "Cookies on this site" }).count(),
        0,
        `no banner on ${path} once chosen`,
      );
    }
    assert.equal(await page.evaluate(() => window.__gaStubLoads), undefined);
    assertNoAnalytics(requests, gaStub, "after rejecting");
    assertNoProblems(problems);
    await context.close();
  },

  async "after accepting, public pages load GA from the stub; /app pages never do"({ baseUrl, browser, gaStub }) {
    const { context, page, problems } = await openPage(browser);
    const requests = recordRequests(context);

    await page.goto(`${baseUrl}/`);
    await markDocument(page);
    await page.getByRole("button", { name: "Accept analytics cookies" }).click();
    await page.getByText("You accepted analytics cookies").waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "choosing with htmx does not reload the page");
    assertNoAnalytics(requests, gaStub, "on the page where consent was just given");

    // The next public page loads GA's loader from the stub, and it runs (the CSP and its nonce allow it).
    // With a query and a fragment that GA must not get.
    await page.goto(`${baseUrl}/privacy?email=someone%40example.com#section`);
    await page.waitForFunction(() => window.__gaStubLoads === 1, null, { timeout: WAIT_MS });
    const loads = toStub(requests, gaStub);
    assert.equal(loads.length, 1);
    assert.equal(new URL(loads[0].url).pathname, "/gtag/js");
    assert.equal(new URL(loads[0].url).searchParams.get("id"), gaStub.measurementId);
    assert.equal(new URL(loads[0].page).pathname, "/privacy");
    assert.ok(
      gaStub.requests.some((r) => r.url === `/gtag/js?id=${gaStub.measurementId}`),
      "the stub served the loader",
    );
    assert.equal(await page.evaluate(() => typeof window.dataLayer), "object", "our set-up script ran too");
    // What our set-up gives GA: the address without its query or fragment, no Google signals, no ad personalisation.
    const config = await page.evaluate(() => {
      const entry = window.dataLayer.map((a) => Array.from(a)).find((a) => a[0] === "config");
      return entry ? entry[2] : null;
    });
    assert.ok(config, "gtag('config', ...) was called");
    assert.equal(config.page_location, `${baseUrl}/privacy`);
    assert.equal(config.allow_google_signals, false);
    assert.equal(config.allow_ad_personalization_signals, false);

    // Sign up from the landing page (links on a page with GA load whole pages), then use the app.
    const beforeApp = requests.length;
    await signUpThroughPages(page, baseUrl, { company: "Consenting Co" });
    assert.equal(await page.evaluate(() => window.__gaStubLoads), undefined, "GA does not survive into /app");
    const appRequestsFrom = requests.length;
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of ["Contacts", "Companies", "Team", "Settings", "Dashboard"]) {
      // Team and Settings are in the header's account menu.
      if (name === "Team" || name === "Settings") await openAccountMenu(page);
      const link = nav.getByRole("link", { name, exact: true });
      const href = await link.getAttribute("href");
      assert.match(href, /^\/app/);
      await link.click();
      await waitForPath(page, href);
      assert.equal(await page.evaluate(() => window.__gaStubLoads), undefined, `no GA on ${href}`);
    }
    for (const path of ["/app/contacts/new", "/app/settings/security", "/app"]) {
      await page.goto(`${baseUrl}${path}`);
      await waitForPath(page, path);
      assert.equal(await page.evaluate(() => window.__gaStubLoads), undefined, `no GA on ${path}`);
    }
    // While signed in, not even the public pages load it.
    await page.goto(`${baseUrl}/privacy`);
    assert.equal(await page.evaluate(() => window.__gaStubLoads), undefined, "no GA while signed in");

    const appRequests = requests.slice(appRequestsFrom);
    assert.ok(appRequests.length > 0);
    assertNoAnalytics(appRequests, gaStub, "on /app pages and while signed in");
    assert.deepEqual(
      toStub(requests.slice(beforeApp), gaStub).filter((r) => new URL(r.page).pathname.startsWith("/app")),
      [],
      "no GA request was made by an /app page",
    );
    assert.deepEqual(toGoogle(requests), [], "nothing ever went to Google");
    assertNoProblems(problems);
    await context.close();
  },

  async "without JavaScript the banner is a plain form that comes back to the page; the choice can be changed in Cookie settings"({
    baseUrl,
    browser,
  }) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(WAIT_MS);
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/contact`);
    await page.getByRole("button", { name: "Accept analytics cookies" }).click();
    await page.waitForURL(`${baseUrl}/contact`);
    assert.equal(await page.getByRole("region", { name: "Cookies on this site" }).count(), 0);
    assert.match((await consentCookie(context))?.value ?? "", /\.accepted\./);
    await page.getByRole("link", { name: "Cookie settings" }).click();
    await page.waitForURL(/\/cookies/);
    await page.getByText("You accepted analytics cookies").waitFor();
    await page
      .getByRole("region", { name: "Cookie settings" })
      .getByRole("button", { name: "Reject analytics cookies" })
      .click();
    await page.waitForURL(/\/cookies/);
    await page.getByText("You rejected analytics cookies").waitFor();
    assert.match((await consentCookie(context))?.value ?? "", /\.rejected\./);
    assert.deepEqual(toGoogle(requests), [], "nothing went to Google");
    await context.close();
  },
};
