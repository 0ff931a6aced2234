// Notes and the contact form in chromium: an owner invites a colleague, writes a note with **bold**, a
// list and an @mention picked from the suggestions by keyboard, and sees it formatted; the colleague
// finds the mention in their bell and lands on the note. The contact form's company combobox: typing
// finds a company, arrows and Enter pick it; "Create company “X”" creates one inline; the deal form's company
// and contact comboboxes fill a deal. axe stays at 0.
import assert from "node:assert/strict";
import {
  WAIT_MS,
  assertNoProblems,
  axeViolations,
  confirmEmailFromMail,
  openAccountMenu,
  openNewAccountPage,
  uniqueEmail,
  waitForPath,
  inviteAndJoin,
} from "./helpers.mjs";

/** The owner invites `email` as a member; the colleague joins in a browser of their own. */
async function inviteColleague(owner, baseUrl, browser, email) {
  await confirmEmailFromMail(owner.page, baseUrl, owner.email);
  await owner.page.goto(`${baseUrl}/app`);
  await (await openAccountMenu(owner.page)).getByRole("link", { name: "Team" }).click();
  await waitForPath(owner.page, "/app/settings/team");
  return inviteAndJoin(owner, baseUrl, browser, email, "member");
}

export default {
  async "a Markdown note with an @mention: formatted, and the colleague's bell leads to it"({ baseUrl, browser }) {
    const owner = await openNewAccountPage(browser, baseUrl, { company: "Mention Works" });
    const colleague = uniqueEmail("bea");
    const guest = await inviteColleague(owner, baseUrl, browser, colleague);

    // A company to write on.
    const { page } = owner;
    await page.goto(`${baseUrl}/app/companies/new`);
    await page.getByLabel("Name", { exact: true }).fill("Analytical Engines");
    await page.getByRole("button", { name: /Create company/ }).click();
    await page.getByRole("heading", { level: 1, name: "Analytical Engines" }).waitFor({ timeout: WAIT_MS });

    const box = page.getByLabel("Add a note");
    await box.click();
    await page.keyboard.type("Call **today** about:\n\n- the engine\n- the loom\n\nAsk @");
    await page.keyboard.type(colleague.slice(0, 5));
    const option = page
      .getByRole("listbox", { name: "Members to mention" })
      .getByRole("option", { name: new RegExp(colleague.replace(/[.+]/g, "\\$&")) });
    await option.waitFor({ timeout: WAIT_MS });
    assert.equal(await box.getAttribute("aria-activedescendant"), await option.getAttribute("id"));
    assert.deepEqual(await axeViolations(page), [], "axe with the mention suggestions open");
    await page.keyboard.press("Enter");
    assert.match(await box.inputValue(), /Ask @\[[^\]]+\]\(user:[a-z2-7]{24}\) $/);
    await page.keyboard.type("please.");
    await page.getByRole("button", { name: "Add note" }).click();

    const note = page.locator(".timeline-note .note-body").first();
    await note.locator("strong", { hasText: "today" }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await note.locator("li").allInnerTexts(), ["the engine", "the loom"]);
    assert.equal(await note.locator(".mention").count(), 1);
    assert.deepEqual(await axeViolations(page), [], "axe on the company page with the note");

    // The colleague's bell has the mention, and opening it leads to the note.
    await guest.page.goto(`${baseUrl}/app/notifications`);
    const entry = guest.page.getByRole("button", { name: /mentioned you in a note on a company/ });
    await entry.waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(guest.page), [], "axe on the bell page");
    await entry.click();
    // A page load, not a swap: the address keeps the note's anchor and the browser scrolls to it.
    await guest.page.waitForURL(/\/app\/companies\/\d+#note-\d+$/, { timeout: WAIT_MS });
    await guest.page.locator(".note-body strong", { hasText: "today" }).waitFor({ timeout: WAIT_MS });
    assertNoProblems(owner.problems);
    assertNoProblems(guest.problems);
  },

  async "the company and contact comboboxes: search and pick by keyboard, create a company inline, fill a deal"({
    baseUrl,
    browser,
  }) {
    const { page, problems } = await openNewAccountPage(browser, baseUrl, { company: "Combo Works" });
    await page.goto(`${baseUrl}/app/companies/new`);
    await page.getByLabel("Name", { exact: true }).fill("Grace Hopper Labs");
    await page.getByRole("button", { name: /Create company/ }).click();
    await page.getByRole("heading", { level: 1, name: "Grace Hopper Labs" }).waitFor({ timeout: WAIT_MS });

    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Ada");
    const company = page.getByRole("combobox", { name: "Company" });
    await company.click();
    await company.pressSequentially("hopp");
    await page.getByRole("option", { name: "Grace Hopper Labs" }).waitFor({ timeout: WAIT_MS });
    assert.equal(await company.getAttribute("aria-expanded"), "true");
    assert.deepEqual(await axeViolations(page), [], "axe with the company options open");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    assert.equal(await company.inputValue(), "Grace Hopper Labs");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS });
    await page.getByRole("link", { name: "Grace Hopper Labs" }).first().waitFor({ timeout: WAIT_MS });

    // Typed but never picked: the form stays, saying so by the field, rather than saving no company at all.
    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Charles");
    await company.click();
    await company.pressSequentially("Difference Engines");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.getByText("Pick a company from the list, or create it there, or empty the field.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/app/contacts/new");
    assert.equal(await company.getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "combobox");

    // A company nobody has yet: created from the list, then the contact belongs to it.
    await company.fill("");
    await company.pressSequentially("Difference Engines");
    const create = page.getByRole("option", { name: "Create company “Difference Engines”" });
    await create.waitFor({ timeout: WAIT_MS });
    await create.click();
    await page.getByText("Company Difference Engines created and chosen.").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS });
    await page.getByRole("link", { name: "Difference Engines" }).first().waitFor({ timeout: WAIT_MS });

    // The deal form: its company and each contact row are the same comboboxes, searching the whole workspace.
    await page.goto(`${baseUrl}/app/contacts/new`);
    await page.getByLabel("First name").fill("Augusta");
    await page.getByLabel("Last name").fill("Lovelace");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS });
    await page.goto(`${baseUrl}/app/deals/new`);
    await page.getByLabel("Name", { exact: true }).fill("Engine order");
    const dealCompany = page.getByRole("combobox", { name: "Company" });
    await dealCompany.click();
    await dealCompany.pressSequentially("differ");
    await page.getByRole("option", { name: "Difference Engines" }).waitFor({ timeout: WAIT_MS });
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const contact = page.getByRole("combobox", { name: "Contact 1", exact: true });
    await contact.click();
    await contact.pressSequentially("lovel");
    await page.getByRole("option", { name: "Augusta Lovelace" }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(page), [], "axe with the contact options open");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    assert.equal(await contact.inputValue(), "Augusta Lovelace");
    await page.getByLabel("Role of contact 1").fill("Champion");
    await page.getByRole("button", { name: "Create deal" }).click();
    await page.waitForURL(/\/app\/deals\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const details = page.getByRole("region", { name: "Details" });
    await details.getByRole("link", { name: "Difference Engines" }).waitFor({ timeout: WAIT_MS });
    await details.getByRole("link", { name: "Augusta Lovelace" }).waitFor({ timeout: WAIT_MS });
    await details.getByText("Champion").waitFor({ timeout: WAIT_MS });
    assertNoProblems(problems);
  },
};
