// Contacts in chromium: create through the form (reached with the "n" shortcut), find it in the list,
// search as you type (the results change without a page load and the address bar follows), the "/"
// and "?" shortcuts, deleting a row with htmx, and, with JavaScript switched off, searching with the
// submit button and deleting through the confirmation page.
import assert from "node:assert/strict";
import { PASSWORD, WAIT_MS, assertNoProblems, logInThroughForm, openNewAccountPage, waitForPath } from "./helpers.mjs";

/** The list's row for a contact name. */
function row(page, name) {
  return page.locator("#contact-results tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/** Fills and submits the new-contact form; ends on the contact's page. Returns its id. */
async function createThroughForm(page, { first, last, email, phone, tag }) {
  await page.getByLabel("First name").fill(first);
  await page.getByLabel("Last name").fill(last);
  await page.getByLabel("Email address 1 (primary)").fill(email);
  if (phone) await page.getByLabel("Phone number 1 (primary)").fill(phone);
  if (tag) await page.getByLabel("New tag").fill(tag);
  await page.getByRole("button", { name: "Create contact" }).click();
  await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
  await page.getByRole("heading", { level: 1, name: `${first} ${last}` }).waitFor();
  return Number(new URL(page.url()).pathname.split("/").pop());
}

/**
 * Types into the search box (replacing what is there) and waits for the results htmx asks for, so no
 * late answer can land after the next step.
 */
async function search(page, text) {
  const answered = page.waitForResponse(
    (r) => r.request().headers()["hx-target"] === "contact-results" && new URL(r.url()).searchParams.get("q") === text,
    { timeout: WAIT_MS },
  );
  const box = page.getByRole("searchbox", { name: "Search contacts", exact: true });
  await box.fill("");
  await box.pressSequentially(text, { delay: 40 });
  if (text === "") await box.dispatchEvent("input");
  await answered;
  await page.waitForFunction(() => !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling"), null, {
    timeout: WAIT_MS,
  });
}

/** Marks the current document; a full page load loses the mark, an htmx swap keeps it. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
}

async function stillSameDocument(page) {
  return page.evaluate(() => window.__sameDocument === true);
}

export default {
  async "create, list, search as you type, shortcuts, and delete from the bulk bar"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Contacts E2E Ltd" });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    await waitForPath(page, "/app/contacts");
    await page.getByText("No contacts yet.").waitFor();

    // "n" opens the new-contact form.
    await page.getByRole("heading", { level: 1, name: "Contacts" }).click();
    await page.keyboard.press("n");
    await waitForPath(page, "/app/contacts/new");
    await createThroughForm(page, {
      first: "Ada",
      last: "Lovelace",
      email: "Ada@Engines.example",
      phone: "(415) 555-0123",
      tag: "Pioneer",
    });
    await page.getByRole("link", { name: "ada@engines.example" }).waitFor();
    await page.getByRole("link", { name: "+1 415 555 0123" }).waitFor();
    await page.getByText("Pioneer").first().waitFor();

    await page.goto(`${baseUrl}/app/contacts/new`);
    await createThroughForm(page, { first: "Alan", last: "Turing", email: "alan@bletchley.example" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    await waitForPath(page, "/app/contacts");
    await row(page, "Ada Lovelace").waitFor();
    await row(page, "Alan Turing").waitFor();
    await page.getByText("1–2 of 2").first().waitFor();

    // Search as you type: only the results region changes, and the address bar follows.
    await markDocument(page);
    await search(page, "lov");
    await page.waitForURL((url) => url.pathname === "/app/contacts" && url.searchParams.get("q") === "lov", {
      timeout: WAIT_MS,
      waitUntil: "commit",
    });
    await row(page, "Alan Turing").waitFor({ state: "detached" });
    await row(page, "Ada Lovelace").waitFor();
    assert.ok(await stillSameDocument(page), "typing in the search box must not load a new page");
    await page.getByText("1–1 of 1").first().waitFor();
    // Said in the page's live region, which outlives the swap (a region swapped in anew is not read).
    assert.match(await page.locator("#live-announce").textContent(), /^1–1 of 1/);

    // "/" focuses the search box (from anywhere but a field); "?" opens the shortcut sheet.
    await search(page, "");
    await row(page, "Alan Turing").waitFor();
    await page.getByRole("heading", { level: 1, name: "Contacts" }).click();
    await page.keyboard.press("/");
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      "contact-search",
      '"/" must focus the search box',
    );
    await page.keyboard.type("n?"); // typed into the box: neither opens anything
    assert.equal(
      await page.locator("#shortcut-sheet").evaluate((d) => d.open),
      false,
      "keys typed into a field are not shortcuts",
    );
    assert.equal(new URL(page.url()).pathname, "/app/contacts");
    await search(page, "");
    await row(page, "Alan Turing").waitFor();
    await page.getByRole("heading", { level: 1, name: "Contacts" }).click();
    await page.keyboard.press("?");
    const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await sheet.waitFor();
    await sheet.getByText("New contact").waitFor();
    // Single-key shortcuts can be turned off there (WCAG 2.1.4); then "n" and "?" do nothing, until turned on again.
    await sheet.getByLabel(/Single-key shortcuts/).uncheck();
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });
    await page.getByRole("heading", { level: 1, name: "Contacts" }).click();
    await page.keyboard.press("n");
    await page.keyboard.press("?");
    await page.waitForTimeout(200);
    assert.equal(new URL(page.url()).pathname, "/app/contacts", '"n" does nothing once turned off');
    assert.equal(await page.locator("#shortcut-sheet").evaluate((d) => d.open), false);
    await page.getByRole("button", { name: /Keyboard shortcuts/ }).click();
    await sheet.getByLabel(/Single-key shortcuts/).check();
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "hidden" });

    // Rows carry no Delete link (deleting is a selection's action, or the contact page's, with its Undo):
    // tick Alan Turing and delete him from the bulk bar; the list comes back without him.
    assert.equal(
      await row(page, "Alan Turing")
        .getByRole("link", { name: /^Delete/ })
        .count(),
      0,
    );
    await page.getByRole("checkbox", { name: "Select Alan Turing" }).check();
    const bulk = page.getByRole("form", { name: "Bulk actions on contacts" });
    await bulk.getByLabel("Action").selectOption("delete");
    await bulk.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("heading", { name: "Move 1 contact to the trash?" }).waitFor({ timeout: WAIT_MS });
    await page.getByRole("button", { name: "Delete 1 contact" }).click();
    await page.getByText("1 contact moved to the trash.").waitFor({ timeout: WAIT_MS });
    await page.reload();
    await row(page, "Ada Lovelace").waitFor();
    assert.equal(await row(page, "Alan Turing").count(), 0, "the deleted contact must stay gone after a reload");
    await page.getByText("1–1 of 1").first().waitFor();

    assertNoProblems(problems);
    await context.close();
  },

  async "without JavaScript: search with the button, and delete through the confirmation page"({ baseUrl, browser }) {
    // Make the account and the contacts with JavaScript, then look at them without.
    const setup = await openNewAccountPage(browser, baseUrl, { company: "No Script Ltd" });
    const { email } = setup;
    await setup.page.goto(`${baseUrl}/app/contacts/new`);
    const grace = await createThroughForm(setup.page, { first: "Grace", last: "Hopper", email: "grace@navy.example" });
    await setup.page.goto(`${baseUrl}/app/contacts/new`);
    await createThroughForm(setup.page, { first: "Linus", last: "Torvalds", email: "linus@kernel.example" });
    assertNoProblems(setup.problems);
    await setup.context.close();

    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(WAIT_MS);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await logInThroughForm(page, email, PASSWORD);
    await page.waitForURL(`${baseUrl}/app`);

    await page.goto(`${baseUrl}/app/contacts`);
    await page.getByRole("searchbox", { name: "Search contacts", exact: true }).fill("hop");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === "hop");
    await row(page, "Grace Hopper").waitFor();
    assert.equal(await row(page, "Linus Torvalds").count(), 0);

    // The delete link of a row leads to the confirmation page; here it is opened directly.
    const confirmation = await page.goto(`${baseUrl}/app/contacts/${grace}/delete`);
    assert.equal(confirmation?.status(), 200);
    await page.getByRole("heading", { level: 1, name: "Move Grace Hopper to the trash?" }).waitFor();
    await page.getByRole("button", { name: "Move to trash" }).click();
    await page.waitForURL((url) => url.pathname === "/app/contacts" && url.searchParams.get("notice") === "deleted");
    await page.getByText("Contact moved to the trash.").waitFor();
    assert.equal(await row(page, "Grace Hopper").count(), 0);
    await row(page, "Linus Torvalds").waitFor();
    const gone = await page.goto(`${baseUrl}/app/contacts/${grace}`);
    assert.equal(gone?.status(), 404);
    await context.close();
  },
  async "a duplicate merged into a contact: found by search, reviewed, merged; the other's page is gone"({
    baseUrl,
    browser,
  }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Merge Ltd" });
    await page.goto(`${baseUrl}/app/contacts/new`);
    const kept = await createThroughForm(page, { first: "Ada", last: "Lovelace", email: "ada@engines.example" });
    await page.goto(`${baseUrl}/app/contacts/new`);
    const other = await createThroughForm(page, {
      first: "Ada",
      last: "King",
      email: "countess@lovelace.example",
      phone: "+44 20 7946 0002",
    });
    await page.goto(`${baseUrl}/app/contacts/${kept}`);
    await page.getByRole("link", { name: "Merge…" }).click();
    await page.getByRole("heading", { level: 1, name: "Merge a duplicate into Ada Lovelace" }).waitFor();
    await page.getByRole("searchbox", { name: "Find the duplicate by name, email, phone or company" }).fill("king");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("link", { name: "Ada King" }).click();
    await page.getByRole("heading", { level: 1, name: "Merge Ada King into Ada Lovelace?" }).waitFor();
    await page.getByRole("cell", { name: "ada@engines.example, countess@lovelace.example" }).waitFor();
    await page.getByRole("button", { name: "Merge", exact: true }).click();
    await page.waitForURL(`${baseUrl}/app/contacts/${kept}`);
    await page.getByRole("link", { name: "countess@lovelace.example" }).waitFor();
    await page.getByText("merged a duplicate into this one").waitFor();
    assertNoProblems(problems);
    const gone = await page.goto(`${baseUrl}/app/contacts/${other}`);
    assert.equal(gone?.status(), 404);
    await context.close();
  },
};
