// Shared pieces for the browser tests (scripts/e2e.mjs runs the *.e2e.mjs files beside this one).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** How long one wait in a browser test may take before it fails. */
export const WAIT_MS = 10_000;

/** A password that passes the app's rules (not common, 8+ characters). */
export const PASSWORD = "violet tractor sandwich 42";

let counter = 0;
/** An address no other test or run uses. */
export function uniqueEmail(prefix = "e2e") {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

/**
 * A new, isolated browser context and page that records every console error and uncaught page
 * error. CSP violations arrive as console errors ("Refused to ..."), so they are caught too.
 */
export async function openPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs every 4xx answer to a fetch; a 401 for a wrong password or a 422 for a form
    // error is the app working. Script errors, CSP refusals and 5xx answers still count.
    if (/^Failed to load resource: the server responded with a status of 4\d\d\b/.test(msg.text())) return;
    problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  // The console names only the page; this names the request that failed, with what answered.
  page.on("response", (res) => {
    if (res.status() < 500) return;
    const headers = res.headers();
    const server = headers.server ?? "";
    // wrangler dev's proxy answers a POST whose fetch to the worker failed with its own 503 (it retries only GET;
    // see WRANGLER_RESTART), and a local connection broken under load ("Broken pipe" in workerd's log) gives a bare
    // 500: the app never answered. Every answer of the app, its 5xx pages included, carries X-Request-Id; those do
    // not. Named at once (reading its body may outlive the page), so scripts/e2e.mjs runs the test again.
    const own = !headers["x-request-id"];
    problems.push(
      `${res.status()} from ${res.request().method()} ${res.url()}${server ? ` (server: ${server})` : ""}${own ? ` — ${WRANGLER_RESTART}` : ""}`,
    );
  });
  return { context, page, problems };
}

/**
 * How a problem names wrangler dev's own 503, not an answer of the app. Its proxy (wrangler 4.86's ProxyWorker)
 * takes any failed fetch to the worker for a worker swapped mid-request, because it compares the request's whole
 * URL with the worker's bare origin: GETs are retried, a POST gets "Your worker restarted mid-request". Under load
 * a broken local connection is enough; no swap shows in wrangler's debug log.
 */
export const WRANGLER_RESTART = "wrangler dev's proxy lost the request to the worker";

/**
 * Waits until the address bar shows `pathname` (and, if given, a query matching `search`). A boosted link (the
 * header's navigation) navigates with fetch and history.pushState, so there may be no load event to wait for.
 */
export async function waitForPath(page, pathname, search) {
  await page.waitForURL(
    (url) =>
      url.pathname === pathname &&
      (search === undefined || (search instanceof RegExp ? search.test(url.search) : url.search === search)),
    { timeout: WAIT_MS, waitUntil: "commit" },
  );
  // A full navigation (a form's GET or POST) commits before its new page is parsed: a test reading the table right
  // after found no header cells on CI. A boosted one's document is long parsed, so this returns at once.
  await page.waitForLoadState("domcontentloaded", { timeout: WAIT_MS });
  // Let htmx finish swapping and settling before anyone reads the page.
  await page.waitForFunction(() => !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling"), null, {
    timeout: WAIT_MS,
  });
}

/**
 * POST from the test itself (playwright's request context, with the page's cookies). wrangler dev's proxy answers a
 * POST whose connection to the worker broke with its own 503 (no X-Request-Id: the app never saw it), which it does
 * not retry as it does GETs; this sends such a POST again, at most twice. Any answer of the app is returned as is.
 */
export async function appPost(request, url, options) {
  for (let attempt = 1; ; attempt++) {
    const res = await request.post(url, options);
    if (res.status() !== 503 || res.headers()["x-request-id"] || attempt === 3) return res;
  }
}

/** Throws with every console or page error recorded so far. */
export function assertNoProblems(problems) {
  if (problems.length > 0) throw new Error(`the browser reported:\n  ${problems.join("\n  ")}`);
}

/** Signs up through the real form from the landing page; ends on /app. */
export async function signUpThroughPages(
  page,
  baseUrl,
  { email = uniqueEmail(), password = PASSWORD, company = "Acme Ltd" } = {},
) {
  await page.goto(`${baseUrl}/`);
  await page.getByRole("main").getByRole("link", { name: "Create a free account" }).click();
  await waitForPath(page, "/signup");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel("I am 18 or older.").check();
  await page.getByLabel(/I accept the Terms of Service/).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await waitForPath(page, "/app");
  return { email, password, company };
}

/** Logs in through the real form on /login. */
export async function logInThroughForm(page, email, password) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** A new page (see openPage) whose user has just signed up through the pages (see signUpThroughPages); on /app. */
export async function openSignedUpPage(browser, baseUrl, account = {}) {
  const opened = await openPage(browser);
  const signedUp = await signUpThroughPages(opened.page, baseUrl, account);
  return { ...opened, ...signedUp };
}

/**
 * Signs up by posting the sign-up form from the test (the context's cookies take the session), then opens /app:
 * for tests about something else, the landing and sign-up pages cost chromium ~2 s of CPU each time
 * (docs/benchmarks.md); those pages have tests of their own (auth, account).
 */
export async function signUpByRequest(
  context,
  page,
  baseUrl,
  { email = uniqueEmail(), password = PASSWORD, company = "Acme Ltd" } = {},
) {
  const res = await appPost(context.request, `${baseUrl}/signup`, {
    form: { email, password, company_name: company, age_confirmed: "on", accept_terms: "on", time_zone: "" },
    headers: { Origin: baseUrl },
    maxRedirects: 0,
  });
  assert.equal(res.status(), 303, `sign-up answered ${res.status()}: ${(await res.text()).slice(0, 300)}`);
  await page.goto(`${baseUrl}/app`);
  await waitForPath(page, "/app");
  return { email, password, company };
}

/** A new page (see openPage) whose user has just signed up by a request (see signUpByRequest); on /app. */
export async function openNewAccountPage(browser, baseUrl, account = {}) {
  const opened = await openPage(browser);
  return { ...opened, ...(await signUpByRequest(opened.context, opened.page, baseUrl, account)) };
}

/** The first link to `prefix` in the newest email to `to`, as the recipient would click it. */
export async function linkFromMail(page, baseUrl, to, prefix) {
  // Only the text is needed, so do not wait for every subresource.
  await page.goto(`${baseUrl}/dev/mail`, { waitUntil: "domcontentloaded" });
  const item = page.locator("article.mail-item", { has: page.locator(".mail-to", { hasText: to }) }).first();
  const text = await item.locator("pre.mail").innerText({ timeout: WAIT_MS });
  const url = text.match(new RegExp(`https?://\\S+${prefix}\\S+`))?.[0];
  assert.ok(url, `no ${prefix} link in the mail to ${to}`);
  return url;
}

/** Opens the verification link emailed to `email` and confirms the address. */
export async function confirmEmailFromMail(page, baseUrl, email) {
  await page.goto(await linkFromMail(page, baseUrl, email, "/verify-email/"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.getByRole("heading", { name: "Email address confirmed" }).waitFor();
}

/** The operator token scripts/e2e.mjs gives the app: the staff console's bootstrap (create-staff) needs it. */
export const E2E_OPS_TOKEN = "e2e-operator-token-for-bootstrap-only-0001";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe's violations on the page (WCAG 2.1 A and AA rules), as readable lines. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to the injected script.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
}

/** Opens the header's account menu (Team, Workspaces, Settings, Log out) and returns it. */
export async function openAccountMenu(page) {
  const menu = page.locator(".account-menu");
  if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
  return menu;
}

/**
 * From the team page the owner's tab is on: the owner invites `email` as `role`; the invitee opens the mailed link
 * in a browser of their own, creates an account and joins. Returns the invitee's page.
 */
export async function inviteAndJoin(owner, baseUrl, browser, email, role) {
  await owner.page.getByLabel("Email address").fill(email);
  await owner.page.getByLabel("Role", { exact: true }).selectOption(role);
  await owner.page.getByRole("button", { name: "Send invitation" }).click();
  await waitForPath(owner.page, "/app/settings/team", "?notice=invited");
  const guest = await openPage(browser);
  await guest.page.goto(await linkFromMail(guest.page, baseUrl, email, "/invite/"));
  await guest.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await guest.page.getByLabel("I am 18 or older.").check();
  await guest.page.getByLabel(/I accept the Terms of Service/).check();
  await guest.page.getByRole("button", { name: "Create account and join" }).click();
  await waitForPath(guest.page, "/app");
  return guest;
}
