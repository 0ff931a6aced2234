/**
 * Choosing a new password from a reset link, or changing it: the same rules as at sign-up (not the account's own
 * address), and whatever someone with the old password may have turned on stops: sessions, and calendar feeds.
 */
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, signUp } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { turnOnFeed } from "../calendar/helpers";

async function resetLink(email: string): Promise<string> {
  expect((await send("/password/forgot", { form: { email } })).status).toBe(200);
  return linkPath(await lastMail(email, "password_reset"), "/password/reset/");
}

describe("a password reset", () => {
  it("refuses the account's own email address as the new password, beside the field, and keeps the link", async () => {
    const { email } = await signUp();
    const path = await resetLink(email);
    const own = await send(path, { form: { password: email.toUpperCase() } });
    expect(own.status).toBe(422);
    expect(await own.text()).toMatch(/id="f-password-error">[^<]*email/);
    expect((await logIn(email, email)).response.status).toBe(401);
    // The link was not used up by the refusal.
    expect((await send(path, { form: { password: "a brand new passphrase" } })).status).toBe(200);
    expect((await logIn(email, "a brand new passphrase")).response.status).toBe(303);
  });

  it("turns the account's calendar feed off, and says so", async () => {
    const { email, cookie } = await signUp();
    const feed = await turnOnFeed(cookie);
    expect((await send(feed)).status).toBe(200);
    const done = await send(await resetLink(email), { form: { password: "a brand new passphrase" } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("your calendar feeds are off");
    expect((await send(feed)).status).toBe(404);
    expect(await countRows("calendar_feeds", "user_id = (SELECT id FROM users WHERE email = ?)", email)).toBe(0);
  });
});

describe("a password change", () => {
  it("turns the account's calendar feed off too", async () => {
    const { email, cookie } = await signUp();
    const feed = await turnOnFeed(cookie);
    expect((await send(feed)).status).toBe(200);
    const res = await send("/app/settings/security/password", {
      form: { current_password: GOOD_PASSWORD, new_password: "a brand new passphrase" },
      cookie,
    });
    expect(res.status).toBe(200);
    expect((await send(feed)).status).toBe(404);
    expect(await countRows("calendar_feeds", "user_id = (SELECT id FROM users WHERE email = ?)", email)).toBe(0);
  });
});
