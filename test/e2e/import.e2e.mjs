// Importing in chromium against `wrangler dev`, whose local Queue and R2 do the work: upload the
// Google Contacts fixture through the form, watch the preview arrive without reloading, commit and
// watch the progress to the end, find the contacts in the list, then undo and see them gone. A
// reload in the middle shows the same job where it is. A second file's preview lists its updates
// and possible duplicates.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { WAIT_MS, assertNoProblems, openNewAccountPage, waitForPath } from "./helpers.mjs";

const GOOGLE = readFileSync(new URL("../fixtures/imports/google-contacts.csv", import.meta.url));
const SLOW = WAIT_MS * 3;

export default {
  async "upload, preview, commit with progress, see the contacts, undo"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Import E2E Ltd" });
    await page.goto(`${baseUrl}/app/settings/profile`);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Import" }).click();
    await waitForPath(page, "/app/import");
    await page.getByText("No imports yet.").waitFor();

    await page.getByLabel("The file holds").selectOption("contacts");
    await page
      .getByLabel("CSV file", { exact: true })
      .setInputFiles({ name: "google-contacts.csv", mimeType: "text/csv", buffer: GOOGLE });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/app\/import\/[a-z0-9]+$/, { timeout: WAIT_MS, waitUntil: "commit" });
    const jobPath = new URL(page.url()).pathname;

    // The preview arrives by itself (htmx asks every second while the job works).
    await page.getByRole("heading", { name: "Preview" }).waitFor({ timeout: SLOW });
    const counts = await page.locator(".stat-list").innerText();
    assert.match(counts, /40\s+rows in the file/);
    assert.match(counts, /40\s+new/);
    // The mapping form shows each column with its field, labelled by the header.
    assert.equal(await page.getByLabel("E-mail 1 - Value").inputValue(), "email");
    assert.equal(await page.getByLabel("Middle Name").inputValue(), "");

    await page.getByRole("button", { name: "Import 40 contacts" }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: SLOW });
    assert.match(await page.locator(".stat-list").innerText(), /40\s+created/);

    // A reload shows the same job, finished.
    await page.reload();
    await page.getByRole("heading", { name: "Result" }).waitFor();

    await page.getByRole("link", { name: "See your contacts" }).click();
    await waitForPath(page, "/app/contacts");
    await page.getByText("1–40 of 40").first().waitFor();
    await page.getByRole("link", { name: "Søren Nakamura" }).first().waitFor();

    // Undo, from the job's page.
    await page.goto(`${baseUrl}${jobPath}`);
    await page.getByText("Undo this import…").click();
    await page.getByRole("button", { name: "Undo the import" }).click();
    await page.getByText("The import is undone").waitFor({ timeout: SLOW });
    await page.goto(`${baseUrl}/app/contacts`);
    await page.getByText("No contacts yet.").waitFor();
    assertNoProblems(problems);
    await context.close();
  },

  async "the preview lists updates with before → after and a possible duplicate, and the columns show samples"({
    baseUrl,
    browser,
  }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Import Review Ltd" });
    const upload = async (name, buffer) => {
      await page.goto(`${baseUrl}/app/import`);
      await page.getByLabel("CSV file", { exact: true }).setInputFiles({ name, mimeType: "text/csv", buffer });
      await page.getByRole("button", { name: "Upload and preview" }).click();
      await page.getByRole("heading", { name: "Preview" }).waitFor({ timeout: SLOW });
    };
    await upload("google-contacts.csv", GOOGLE);
    await page.getByRole("button", { name: "Import 40 contacts" }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: SLOW });

    // Søren gets a new job title; Katherine shares his phone under another name.
    const file =
      "First name,Last name,Email,Phone,Job title\nSøren,Nakamura,snakamura0@globex.example,,CEO\nKatherine,Johnson,kj@example.com,+44 20 7946 0900,Analyst\n";
    await upload("changes.csv", Buffer.from(file));
    assert.match(await page.locator(".stat-list").innerText(), /1\s+new \(1 possible duplicate, listed below\)/);
    const duplicates = page.getByRole("region", { name: "Possible duplicates (1)" });
    assert.match(
      await duplicates.getByRole("row").nth(1).innerText(),
      /Katherine Johnson\s+\+44 20 7946 0900\s+Søren Nakamura/,
    );
    await duplicates.getByRole("link", { name: "Søren Nakamura" }).waitFor();
    const updates = page.getByRole("region", { name: "Updates (1)" });
    assert.match(await updates.innerText(), /Job title: CTO → CEO/);
    assert.equal(
      await page.getByRole("link", { name: /Download the full list/ }).getAttribute("href"),
      `${new URL(page.url()).pathname}/review.csv`,
    );
    // Each column of the mapping step says what it holds.
    assert.match(await page.locator("#col-1-hint").innerText(), /e\.g\. Nakamura · Johnson/);
    assert.equal(await page.getByLabel("Last name", { exact: true }).getAttribute("aria-describedby"), "col-1-hint");

    await page.getByRole("button", { name: "Import 2 contacts" }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: SLOW });
    await duplicates.getByRole("link", { name: "Søren Nakamura" }).click();
    await page.getByRole("heading", { name: "Søren Nakamura" }).waitFor();
    assertNoProblems(problems);
    await context.close();
  },

  async "a binary file is refused on the form, with the message by the field"({ baseUrl, browser }) {
    const { page, problems, context } = await openNewAccountPage(browser, baseUrl, { company: "Import Refusal Ltd" });
    await page.goto(`${baseUrl}/app/import`);
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "contacts.xlsx",
      mimeType: "application/octet-stream",
      buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]),
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.locator("#f-file-error").waitFor();
    assert.match(await page.locator("#f-file-error").innerText(), /not a CSV file/);
    assert.equal(await page.getByLabel("CSV file", { exact: true }).getAttribute("aria-invalid"), "true");
    await page.getByText("No imports yet.").waitFor();
    assertNoProblems(problems.filter((p) => !/status of 400/.test(p)));
    await context.close();
  },
};
