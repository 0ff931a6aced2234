// A team through the real pages in chromium: the owner confirms their address and invites a
// colleague, who opens the emailed link in a browser of their own, creates an account and lands in
// the workspace; the owner then lowers their role and removes them, and the colleague's next page
// load ends on /login. Emails are read in the development outbox (/dev/mail, mounted because the
// e2e server runs with DEV_MAIL=1).
import assert from "node:assert/strict";
import {
  PASSWORD,
  assertNoProblems,
  confirmEmailFromMail,
  linkFromMail,
  openPage,
  openNewAccountPage,
  uniqueEmail,
  waitForPath,
  openAccountMenu,
} from "./helpers.mjs";

/** Creates the invited account on the open invitation page; ends on /app. */
async function joinThroughInvitation(page) {
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("I am 18 or older.").check();
  await page.getByLabel(/I accept the Terms of Service/).check();
  await page.getByRole("button", { name: "Create account and join" }).click();
  await waitForPath(page, "/app");
}

/** The row of the members table for an address. */
function memberRow(page, email) {
  return page.getByRole("region", { name: "Members" }).getByRole("row").filter({ hasText: email });
}

export default {
  async "an owner invites a colleague, changes their role, removes them, and they are logged out"({
    baseUrl,
    browser,
  }) {
    const company = `Invite Flow ${Date.now().toString(36)}`;
    const colleague = uniqueEmail("colleague");

    // The owner signs up and confirms their address: only verified owners may invite.
    const owner = await openNewAccountPage(browser, baseUrl, { company });
    await confirmEmailFromMail(owner.page, baseUrl, owner.email);

    await owner.page.goto(`${baseUrl}/app`);
    await (await openAccountMenu(owner.page)).getByRole("link", { name: "Team" }).click();
    await waitForPath(owner.page, "/app/settings/team");
    await owner.page.getByLabel("Email address").fill(colleague);
    await owner.page.getByLabel("Role", { exact: true }).selectOption("member");
    await owner.page.getByRole("button", { name: "Send invitation" }).click();
    await waitForPath(owner.page, "/app/settings/team", "?notice=invited");
    await owner.page.getByText("Invitation sent.").waitFor();
    await owner.page
      .getByRole("region", { name: "Pending invitations" })
      .getByRole("cell", { name: colleague, exact: true })
      .waitFor();

    // The colleague opens the link in a browser of their own and creates an account.
    const guest = await openPage(browser);
    const link = await linkFromMail(guest.page, baseUrl, colleague, "/invite/");
    await guest.page.goto(link);
    await guest.page.getByRole("heading", { level: 1, name: `Join ${company}` }).waitFor();
    await guest.page.getByText(colleague).first().waitFor();
    await joinThroughInvitation(guest.page);
    await guest.page.getByRole("heading", { level: 1, name: company }).waitFor();
    await guest.page
      .getByRole("definition")
      .filter({ hasText: /^member$/ })
      .waitFor();

    // The owner sees the new member and lowers their role to viewer.
    await owner.page.reload();
    const row = memberRow(owner.page, colleague);
    await row.getByRole("cell", { name: "member", exact: true }).waitFor();
    await row.getByLabel(`Role of ${colleague}`).selectOption("viewer");
    await row.getByRole("button", { name: "Change role" }).click();
    await waitForPath(owner.page, "/app/settings/team", "?notice=role_changed");
    await memberRow(owner.page, colleague).getByRole("cell", { name: "viewer", exact: true }).waitFor();

    await guest.page.reload();
    await guest.page
      .getByRole("definition")
      .filter({ hasText: /^viewer$/ })
      .waitFor();

    // Removing asks for confirmation first (hx-confirm), then takes effect at once.
    owner.page.once("dialog", (dialog) => void dialog.accept());
    await memberRow(owner.page, colleague)
      .getByRole("button", { name: `Remove ${colleague}` })
      .click();
    await waitForPath(owner.page, "/app/settings/team", "?notice=removed");
    await owner.page.getByText("Member removed.").waitFor();
    assert.equal(
      await memberRow(owner.page, colleague).count(),
      0,
      "the removed colleague must leave the members table",
    );

    await guest.page.reload();
    await waitForPath(guest.page, "/login", "?next=%2Fapp");
    await guest.page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();

    assertNoProblems(owner.problems);
    assertNoProblems(guest.problems);
    await owner.context.close();
    await guest.context.close();
  },

  async "a used invitation link says it is no longer valid"({ baseUrl, browser }) {
    const owner = await openNewAccountPage(browser, baseUrl, { company: "Once Only Ltd" });
    await confirmEmailFromMail(owner.page, baseUrl, owner.email);
    const colleague = uniqueEmail("once");
    await owner.page.goto(`${baseUrl}/app/settings/team`);
    await owner.page.getByLabel("Email address").fill(colleague);
    await owner.page.getByRole("button", { name: "Send invitation" }).click();
    await waitForPath(owner.page, "/app/settings/team", "?notice=invited");

    const guest = await openPage(browser);
    const link = await linkFromMail(guest.page, baseUrl, colleague, "/invite/");
    await guest.page.goto(link);
    await joinThroughInvitation(guest.page);

    const again = await guest.page.goto(link);
    assert.equal(again?.status(), 404);
    await guest.page.getByRole("heading", { level: 1, name: "This invitation is no longer valid" }).waitFor();
    assertNoProblems(owner.problems);
    assertNoProblems(guest.problems);
    await owner.context.close();
    await guest.context.close();
  },
};
