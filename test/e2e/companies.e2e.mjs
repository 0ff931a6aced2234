// Companies, notes, tags and custom fields through the real pages in chromium: an owner (an admin
// and more) creates a tag and a custom field, sees both on the company form, creates a company, adds
// a note with a URL and some HTML (shown as text, the URL a safe link), edits it inline and deletes
// it; the dashboard then lists the company as recently viewed. No CSP or script errors on the way.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, openNewAccountPage, waitForPath, openAccountMenu } from "./helpers.mjs";

export default {
  async "an admin sets up a tag and a field, creates a company, and adds, edits and deletes a note"({
    baseUrl,
    browser,
  }) {
    const { page, problems } = await openNewAccountPage(browser, baseUrl, {
      company: `Rocket Supplies ${Date.now().toString(36)}`,
    });

    // Settings: a tag and a custom field for companies.
    await (await openAccountMenu(page)).getByRole("link", { name: "Settings" }).click();
    await waitForPath(page, "/app/settings/profile");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Tags" }).click();
    await waitForPath(page, "/app/settings/tags");
    const newTag = page.getByRole("region", { name: "New tag" });
    await newTag.getByLabel("Name").fill("Key account");
    await newTag.getByLabel("Colour").selectOption("green");
    await newTag.getByRole("button", { name: "Create tag" }).click();
    await waitForPath(page, "/app/settings/tags", "?notice=created");
    await page.getByRole("region", { name: "Your tags" }).locator(".tag-green", { hasText: "Key account" }).waitFor();

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Custom fields" }).click();
    await waitForPath(page, "/app/settings/fields");
    const newField = page.getByRole("region", { name: "New field" });
    await newField.getByLabel("For").selectOption("company");
    await newField.getByLabel("Name").fill("Tier");
    await newField.getByLabel("Kind").selectOption("select");
    await newField.getByLabel("Options").fill("Gold\nSilver");
    await newField.getByRole("button", { name: "Create field" }).click();
    await waitForPath(page, "/app/settings/fields", "?notice=created");
    await page
      .getByRole("region", { name: "Company fields" })
      .getByRole("cell", { name: "Tier", exact: true })
      .waitFor();

    // The company form offers both; create a company with them.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Companies" }).click();
    await waitForPath(page, "/app/companies");
    await page.getByRole("link", { name: "New company" }).click();
    await waitForPath(page, "/app/companies/new");
    await page.getByLabel("Name", { exact: true }).fill("Acme Rockets");
    await page.getByLabel("Website domain").fill("https://www.acme-rockets.example/");
    await page.getByLabel("Key account").check();
    await page.getByLabel("Tier").selectOption("Gold");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.waitForURL(/\/app\/companies\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    await page.getByRole("heading", { level: 1, name: "Acme Rockets" }).waitFor();
    const details = page.getByRole("region", { name: "Details" });
    await details.getByText("acme-rockets.example", { exact: true }).waitFor();
    await details.getByText("Gold", { exact: true }).waitFor();
    await page.locator(".tag-green", { hasText: "Key account" }).first().waitFor();

    // A note with a URL and HTML: the HTML shows as text, the URL is a link that cannot reach back.
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByLabel("Add a note").fill("Specs at https://example.com/docs and <b>bold</b> claims");
    await timeline.getByRole("button", { name: "Add note" }).click();
    const note = timeline.getByRole("article").first();
    await note.getByText("<b>bold</b> claims").waitFor();
    assert.equal(await timeline.locator(".note-body b").count(), 0, "note HTML must not be rendered");
    const link = note.getByRole("link", { name: "https://example.com/docs" });
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow ugc");
    await timeline.getByText("added a note").waitFor();
    // htmx replaced the timeline in place: still on the company page, and the form is empty again.
    assert.match(new URL(page.url()).pathname, /^\/app\/companies\/\d+$/);
    assert.equal(await timeline.getByLabel("Add a note").inputValue(), "");

    // Edit inline, then delete.
    await note.getByRole("link", { name: /^Edit/ }).click();
    const editBox = timeline.getByLabel("Edit note");
    await editBox.waitFor();
    assert.match(await editBox.inputValue(), /<b>bold<\/b>/);
    await editBox.fill("Specs moved to https://example.com/v2");
    await timeline.getByRole("button", { name: "Save note" }).click();
    await timeline.getByRole("link", { name: "https://example.com/v2" }).waitFor();
    await timeline.getByText("edited a note").waitFor();
    // No confirm: the note goes to the trash, and an Undo shows above the timeline.
    await timeline
      .getByRole("article")
      .first()
      .getByRole("button", { name: /^Delete/ })
      .click();
    await timeline.getByText("deleted a note").waitFor();
    await timeline.getByRole("link", { name: "https://example.com/v2" }).waitFor({ state: "detached" });
    assert.equal(await timeline.getByRole("article").count(), 0, "the note must be gone");

    // The page's beacon recorded the view: the dashboard lists the company as recently viewed.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await waitForPath(page, "/app");
    await page.getByRole("region", { name: "Recently viewed" }).getByRole("link", { name: "Acme Rockets" }).waitFor();
    assertNoProblems(problems);
  },

  async "a duplicate company merged: offered by its name, reviewed, merged with its contact; the other's page is gone"({
    baseUrl,
    browser,
  }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Merge Companies Ltd" });
    const create = async (fields) => {
      await page.goto(`${baseUrl}/app/companies/new`);
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole("button", { name: "Create company" }).click();
      await page.waitForURL(/\/app\/companies\/\d+$/, { timeout: WAIT_MS });
      return Number(new URL(page.url()).pathname.split("/").pop());
    };
    const kept = await create({ Name: "Initech", "Website domain": "initech.example" });
    const other = await create({ Name: "INITECH", Industry: "Software" });
    // A contact at the duplicate (the form's company preselected, as the company page's link does).
    await page.goto(`${baseUrl}/app/contacts/new?company_id=${other}`);
    await page.getByLabel("First name").fill("Peter");
    await page.getByLabel("Last name").fill("Gibbons");
    await page.getByRole("button", { name: "Create contact" }).click();
    await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS });

    await page.goto(`${baseUrl}/app/companies/${kept}`);
    await page.getByRole("link", { name: "Merge…" }).click();
    await page.getByRole("heading", { level: 1, name: "Merge a duplicate into Initech" }).waitFor();
    await page.getByRole("link", { name: "INITECH", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Merge INITECH into Initech?" }).waitFor();
    await page.getByRole("cell", { name: "Software" }).first().waitFor();
    await page.getByRole("button", { name: "Merge", exact: true }).click();
    await page.waitForURL(`${baseUrl}/app/companies/${kept}`, { timeout: WAIT_MS });
    await page.getByRole("link", { name: "Peter Gibbons" }).waitFor();
    await page.getByText("merged a duplicate into this one").waitFor();
    assertNoProblems(problems);
    const gone = await page.goto(`${baseUrl}/app/companies/${other}`);
    assert.equal(gone?.status(), 404);
    await context.close();
  },
};
