// Sign-up, logout and login through the real pages in chromium, plus what only a browser can show:
// the cookie as the browser stored it, CSP and script errors, keyboard access, and the themes.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  PASSWORD,
  WAIT_MS,
  assertNoProblems,
  logInThroughForm,
  openPage,
  openSignedUpPage,
  signUpThroughPages,
  uniqueEmail,
  waitForPath,
  openAccountMenu,
} from "./helpers.mjs";

const SESSION_COOKIE = "__Host-session";

async function sessionCookie(context, baseUrl) {
  return (await context.cookies(baseUrl)).find((c) => c.name === SESSION_COOKIE);
}

async function expectHeading(page, text) {
  await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor({ timeout: WAIT_MS });
}

/** A new page whose user has signed up and logged out again; ends on /login. */
async function signUpThenLogOut(browser, baseUrl) {
  const signedUp = await openSignedUpPage(browser, baseUrl);
  await (await openAccountMenu(signedUp.page)).getByRole("button", { name: "Log out" }).click();
  await waitForPath(signedUp.page, "/login", "?logged_out=1");
  return signedUp;
}

export default {
  async "signs up, sees its company, logs out, and logs back in"({ baseUrl, browser }) {
    const company = `Brightside Bakery ${Date.now().toString(36)}`;
    const { context, page, problems, email, password } = await openSignedUpPage(browser, baseUrl, { company });
    await expectHeading(page, company);

    const cookie = await sessionCookie(context, baseUrl);
    assert.ok(cookie, `no ${SESSION_COOKIE} cookie after sign-up`);
    assert.equal(cookie.httpOnly, true, "session cookie must be HttpOnly");
    assert.equal(cookie.secure, true, "session cookie must be Secure");
    assert.equal(cookie.sameSite, "Lax", "session cookie must be SameSite=Lax");
    assert.equal(cookie.path, "/", "session cookie must have path /");
    assert.equal(
      await page.evaluate(() => document.cookie.includes("__Host-session")),
      false,
      "scripts must not see the session cookie",
    );

    await (await openAccountMenu(page)).getByRole("button", { name: "Log out" }).click();
    await waitForPath(page, "/login", "?logged_out=1");
    await page.getByText("You have been logged out.").waitFor();
    assert.equal(await sessionCookie(context, baseUrl), undefined, "logging out must remove the session cookie");

    const response = await page.goto(`${baseUrl}/app`);
    await waitForPath(page, "/login", "?next=%2Fapp");
    const redirect = response?.request().redirectedFrom();
    assert.ok(redirect, "/app should redirect when logged out");
    assert.equal(new URL(redirect.url()).pathname, "/app");
    await expectHeading(page, "Log in");

    await logInThroughForm(page, email, password);
    await waitForPath(page, "/app");
    await expectHeading(page, company);
    assert.ok(await sessionCookie(context, baseUrl), "logging in must set the session cookie");
    assertNoProblems(problems);
  },

  async "a browser in Tokyo signs up, and its workspace's times are Tokyo's"({ baseUrl, browser }) {
    // app.js fills the sign-up form's time zone from the browser (asked only on such forms).
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo" });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    await signUpThroughPages(page, baseUrl, { company: "Tokyo Tea" });
    await page.goto(`${baseUrl}/app/settings/profile`);
    const zone = await page.getByLabel("Your time zone").locator("option:checked").textContent();
    assert.match(zone, /Asia\/Tokyo/, `the profile's zone: ${zone}`);
    await context.close();
  },

  async "a wrong password shows the error and stays on /login"({ baseUrl, browser }) {
    const { context, page, problems, email } = await signUpThenLogOut(browser, baseUrl);

    await logInThroughForm(page, email, `${PASSWORD} but wrong`);
    await page.getByRole("alert").filter({ hasText: "That email and password do not match an account." }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/login", "a failed login must stay on /login");
    await expectHeading(page, "Log in");
    assert.equal(await page.getByLabel("Email", { exact: true }).inputValue(), email, "the email should be kept");
    assert.equal(
      await page.getByLabel("Password", { exact: true }).inputValue(),
      "",
      "the password must not be echoed back",
    );
    assert.equal(await sessionCookie(context, baseUrl), undefined, "a failed login must not set a session cookie");
    assertNoProblems(problems);
  },

  async "logging in with a next= that a browser would read as another site lands on /app"({ baseUrl, browser }) {
    const { page, problems, email, password } = await signUpThenLogOut(browser, baseUrl);
    // "/\t/evil.example/phish": Chromium drops the tab from a Location and reads "//evil.example/phish".
    await page.goto(`${baseUrl}/login?next=%2F%09%2Fevil.example%2Fphish`);
    await logInThroughForm(page, email, password);
    await waitForPath(page, "/app");
    assert.equal(new URL(page.url()).origin, new URL(baseUrl).origin, "the login must stay on the app's origin");
    assertNoProblems(problems);
  },

  async "pressing Tab from the top reaches the skip link first"({ baseUrl, browser }) {
    const { page, problems } = await openSignedUpPage(browser, baseUrl, { email: uniqueEmail("tab") });
    const signedOut = await browser.newContext();
    const anonymous = await signedOut.newPage();
    const cases = [
      [anonymous, "/"],
      [anonymous, "/login"],
      [anonymous, "/signup"],
      [page, "/app"],
    ];
    for (const [p, path] of cases) {
      await p.goto(`${baseUrl}${path}`);
      await p.keyboard.press("Tab");
      const focused = await p.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.tagName, text: el?.textContent?.trim(), href: el?.getAttribute("href") };
      });
      assert.deepEqual(focused, { tag: "A", text: "Skip to content", href: "#main" }, `first Tab on ${path}`);
      await p.keyboard.press("Enter");
      await p.waitForFunction(() => document.activeElement?.id === "main", null, { timeout: WAIT_MS });
    }
    assertNoProblems(problems);
  },

  async "the dashboard in the light and the dark theme (screenshots)"({ baseUrl, browser, artifactsDir }) {
    const company = "Theme Check Ltd";
    const { page, problems } = await openSignedUpPage(browser, baseUrl, { company });
    const themes = page.getByRole("group", { name: "Theme" });
    for (const [label, value] of [
      ["Light", "light"],
      ["Dark", "dark"],
    ]) {
      await themes.getByRole("button", { name: label }).click();
      await waitForPath(page, "/app");
      await themes.getByRole("button", { name: label, pressed: true }).waitFor();
      // A fresh load renders the chosen theme from its cookie; the live switch is checked below.
      await page.reload();
      await expectHeading(page, company);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), value);
      const path = join(artifactsDir, `dashboard-${value}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`    screenshot (${value}): ${path}`);
    }
    assertNoProblems(problems);
  },

  async "a theme button switches the page's theme at once"({ baseUrl, browser }) {
    const { page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/login`);
    const themes = page.getByRole("group", { name: "Theme" });
    for (const [label, value] of [
      ["Dark", "dark"],
      ["Light", "light"],
    ]) {
      await themes.getByRole("button", { name: label }).click();
      await themes.getByRole("button", { name: label, pressed: true }).waitFor();
      // hx-boost swaps only <body>, while the theme lives on <html data-theme>.
      const actual = await page.evaluate(() => document.documentElement.dataset.theme);
      assert.equal(
        actual,
        value,
        `after pressing ${label}, <html data-theme> is "${actual}" until the page is reloaded`,
      );
    }
    assertNoProblems(problems);
  },
};
