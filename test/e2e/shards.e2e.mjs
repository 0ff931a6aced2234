// A workspace moved to another database, as the people involved see it: an admin finds it in the staff console,
// starts the move from its page and watches it end; meanwhile and after, its owner's contacts are all there, a
// contact added after the move opens, and the console counts it where it now lives. The move's freeze is shortened
// here (SHARD_FREEZE_GRACE_S, scripts/e2e.mjs) so the test does not wait half a minute.
import assert from "node:assert/strict";
import { WAIT_MS, assertNoProblems, axeViolations, openNewAccountPage } from "./helpers.mjs";
import { signedInStaff } from "./staff.mjs";

/** Adds a contact through the form and returns its page's path. */
async function addContact(page, baseUrl, first, last) {
  await page.goto(`${baseUrl}/app/contacts/new`);
  await page.getByLabel("First name").fill(first);
  await page.getByLabel("Last name").fill(last);
  await page.getByRole("button", { name: "Create contact" }).click();
  await page.waitForURL(/\/app\/contacts\/\d+$/, { timeout: WAIT_MS, waitUntil: "commit" });
  await page.getByRole("heading", { level: 1, name: `${first} ${last}` }).waitFor({ timeout: WAIT_MS });
  return new URL(page.url()).pathname;
}

export default {
  async "an admin moves a workspace to SHARD_1 from the console; its owner keeps working and finds everything"({
    baseUrl,
    browser,
  }) {
    const owner = await openNewAccountPage(browser, baseUrl, { company: "Moving House Ltd" });
    await addContact(owner.page, baseUrl, "Ada", "Lovelace");
    await addContact(owner.page, baseUrl, "Grace", "Hopper");

    const staff = await signedInStaff(browser, baseUrl, "admin");
    const s = staff.page;
    await s.getByLabel("Workspace id or owner's email").fill(owner.email);
    await s.getByRole("button", { name: "Find" }).click();
    await s.getByRole("link", { name: "Moving House Ltd" }).click();
    const database = s.getByRole("region", { name: "Database" });
    await database.getByText("Its records are on DB.").waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await axeViolations(s), [], "axe on the console's workspace page with its Database section");
    await database.getByLabel("Move it to").selectOption("SHARD_1");
    await database.getByRole("button", { name: "Start the move" }).click();
    await s.getByText("The move to SHARD_1 has started.").waitFor({ timeout: WAIT_MS });

    // The owner goes on reading while it moves; the console shows it done within the queue's few hops.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await owner.page.goto(`${baseUrl}/app/contacts`);
      await owner.page.getByRole("link", { name: "Ada Lovelace" }).waitFor({ timeout: WAIT_MS });
      await s.reload();
      if ((await s.locator('[data-move-status="done"]').count()) > 0) break;
      assert.ok(Date.now() < deadline, `the move did not end: ${await s.locator("[data-move-status]").textContent()}`);
      await s.waitForTimeout(2000);
    }
    await database.getByText("Its records are on SHARD_1.").waitFor({ timeout: WAIT_MS });

    // After the move: both contacts listed, a new one added and opened, the console counting three there.
    await owner.page.goto(`${baseUrl}/app/contacts`);
    await owner.page.getByRole("link", { name: "Grace Hopper" }).waitFor({ timeout: WAIT_MS });
    await addContact(owner.page, baseUrl, "Katherine", "Johnson");
    await owner.page.goto(`${baseUrl}/app/contacts`);
    for (const name of ["Ada Lovelace", "Grace Hopper", "Katherine Johnson"])
      await owner.page.getByRole("link", { name }).waitFor({ timeout: WAIT_MS });
    await s.reload();
    assert.equal(await s.locator('td[data-label="Contacts"]').first().textContent(), "3");
    assertNoProblems(owner.problems);
  },
};
