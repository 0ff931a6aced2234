// Support access as the issue tells it: an owner gives 1 hour read-only access; a new staff member (created with
// `npm run ops -- create-staff`) enrols and signs in with a TOTP code, finds the workspace by its owner's address,
// views a contact in the support view and cannot edit it; the owner sees the view in the audit trail, ends the
// grant, and the staff member's next page answers 403.
import assert from "node:assert/strict";
import { join } from "node:path";
import { WAIT_MS, assertNoProblems, axeViolations, openPage, signUpByRequest } from "./helpers.mjs";
import { signedInStaff } from "./staff.mjs";

export default {
  async "an owner grants 1 hour read-only; staff sign in with TOTP, view a contact, cannot edit; the owner ends it"({
    baseUrl,
    browser,
    artifactsDir,
  }) {
    const owner = await openPage(browser);
    const { email: ownerEmail } = await signUpByRequest(owner.context, owner.page, baseUrl, {
      company: "Support Me Ltd",
    });
    await owner.page.goto(`${baseUrl}/app/contacts/new`);
    await owner.page.getByLabel("First name").fill("Ada");
    await owner.page.getByLabel("Last name").fill("Lovelace");
    await owner.page.getByRole("button", { name: /^(Create|Save)/ }).click();
    await owner.page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });

    await owner.page.goto(`${baseUrl}/app/settings/support`);
    await owner.page.getByLabel("Access", { exact: true }).selectOption("read");
    await owner.page.getByLabel("For", { exact: true }).selectOption("1h");
    await owner.page.getByLabel("Ticket reference (optional)").fill("T-2001");
    await owner.page.getByRole("button", { name: "Give access" }).click();
    await owner.page.getByText("Support access given.").waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(owner.page), [], "axe on Settings → Support access");

    // A new staff member: enrols from the link the operator was given, then signs in with the app's code.
    const staff = await signedInStaff(browser, baseUrl, "support");
    const s = staff.page;

    await s.getByLabel("Workspace id or owner's email").fill(ownerEmail);
    await s.getByRole("button", { name: "Find" }).click();
    await s.getByRole("link", { name: "Support Me Ltd" }).click();
    await s.getByRole("heading", { name: "Support Me Ltd" }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(s), [], "axe on the console's workspace page");
    await s.getByRole("link", { name: /Open the support view \(read-only\)/ }).click();
    await s.locator(".support-banner").waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(s), [], "axe on the support view");
    await s.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts" }).click();
    // The list's own address first, so its history entry is not pushed after the contact's.
    await s.waitForURL(/\/staff\/support\/[a-z2-7]{24}\/app\/contacts$/, { timeout: WAIT_MS });
    await s.getByRole("link", { name: "Ada Lovelace" }).first().click();
    await s.getByRole("heading", { name: "Ada Lovelace" }).waitFor({ timeout: WAIT_MS });
    // The address stays in the support view (htmx pushes it once the page is swapped in).
    await s.waitForURL(/\/staff\/support\/[a-z2-7]{24}\/app\/contacts\/\d+$/, { timeout: WAIT_MS });
    assert.equal(
      await s.getByRole("link", { name: "Edit", exact: true }).count(),
      0,
      "no Edit under a read-only grant",
    );
    const edit = await s.goto(`${s.url()}/edit`);
    assert.equal(edit.status(), 403);
    await s.screenshot({ path: join(artifactsDir, "support-view-contact.png"), fullPage: true });

    await owner.page.goto(`${baseUrl}/app/settings/audit`);
    await owner.page.getByText("Support · Alex (CustomerTrackr)").first().waitFor({ timeout: WAIT_MS });
    // A contact by its id: the trail is append-only, and erasing the person must leave no name in it.
    const contactId = s.url().match(/\/contacts\/(\d+)/)?.[1];
    assert.ok(await owner.page.getByText(`contact #${contactId}`).count(), "the view is in the audit trail");
    await owner.page.goto(`${baseUrl}/app/settings/support`);
    await owner.page.getByRole("button", { name: /^End now/ }).click();
    await owner.page.getByText("Support access ended.").waitFor({ timeout: WAIT_MS });

    const after = await s.goto(s.url().replace(/\/edit$/, ""));
    assert.equal(after.status(), 403);
    assertNoProblems(owner.problems);
  },
};
