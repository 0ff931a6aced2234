// Email verification and password reset through the real pages, reading the emails in the
// development outbox (/dev/mail, mounted because the e2e server runs with DEV_MAIL=1).
import assert from "node:assert/strict";
import {
  PASSWORD,
  assertNoProblems,
  confirmEmailFromMail,
  linkFromMail,
  logInThroughForm,
  openPage,
  openSignedUpPage,
  uniqueEmail,
  waitForPath,
} from "./helpers.mjs";

export default {
  async "signs up, sees the banner, confirms the email from the link, and the banner goes"({ baseUrl, browser }) {
    const { context, page, problems, email } = await openSignedUpPage(browser, baseUrl, { company: "Verify Me Ltd" });
    await page.getByText("Please confirm your email address").waitFor();

    await confirmEmailFromMail(page, baseUrl, email);

    await page.getByRole("link", { name: "Continue to CustomerTrackr" }).click();
    await waitForPath(page, "/app");
    await page.getByRole("heading", { level: 1, name: "Verify Me Ltd" }).waitFor();
    assert.equal(
      await page.getByText("Please confirm your email address").count(),
      0,
      "the banner must go once confirmed",
    );
    assertNoProblems(problems);
    await context.close();
  },

  async "resets a forgotten password from the emailed link and logs in with the new one"({ baseUrl, browser }) {
    const first = await openSignedUpPage(browser, baseUrl, { company: "Forgetful Ltd" });
    const { email } = first;
    await first.context.close();

    const { context, page, problems } = await openPage(browser);
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await waitForPath(page, "/password/forgot");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText(`If an account exists for ${email}`).waitFor();

    const link = await linkFromMail(page, baseUrl, email, "/password/reset/");
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).and(page.locator("input")).fill("password");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("one of the most common").waitFor();
    const newPassword = `${PASSWORD} again`;
    await page.getByLabel("New password", { exact: true }).and(page.locator("input")).fill(newPassword);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByRole("heading", { name: "Your password has been changed" }).waitFor();

    await page.getByRole("link", { name: "Log in" }).first().click();
    await waitForPath(page, "/login");
    await logInThroughForm(page, email, PASSWORD);
    await page.getByText("do not match an account").waitFor();
    await logInThroughForm(page, email, newPassword);
    await waitForPath(page, "/app");
    await page.getByRole("heading", { level: 1, name: "Forgetful Ltd" }).waitFor();

    // The link works once.
    await page.goto(link);
    await page.getByRole("heading", { name: "This link no longer works" }).waitFor();
    assertNoProblems(problems);
    await context.close();
  },

  async "the unknown address gets the same answer"({ baseUrl, browser }) {
    const { context, page, problems } = await openPage(browser);
    const ghost = uniqueEmail("ghost");
    await page.goto(`${baseUrl}/password/forgot`);
    await page.getByLabel("Email").fill(ghost);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText(`If an account exists for ${ghost}`).waitFor();
    assertNoProblems(problems);
    await context.close();
  },
};
