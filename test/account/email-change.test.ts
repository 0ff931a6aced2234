/**
 * Changing the email address, seen from the two inboxes it writes to: the new address is not flooded with
 * confirmation links, and the old one is told what actually works if the change was not theirs.
 */
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail } from "../helpers/http";
import { lastMail, linkPath, mailTo } from "../helpers/mail";

const askFor = (cookie: string, email: string) =>
  send("/app/settings/profile/email", { cookie, form: { email, password: GOOD_PASSWORD } });

describe("confirmation links to a new address", () => {
  it("at most three a day reach one address, whoever asks; the fourth asker is told by the field", async () => {
    const victim = uniqueEmail("victim");
    const first = await signUp();
    for (let i = 0; i < 3; i++) expect((await askFor(first.cookie, victim)).status).toBe(200);
    expect((await mailTo(victim)).filter((m) => m.kind === "change_email")).toHaveLength(3);

    const second = await signUp();
    const refused = await askFor(second.cookie, victim);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/id="f-email-error">[^<]*several confirmation links today/);
    expect((await mailTo(victim)).filter((m) => m.kind === "change_email")).toHaveLength(3);
    expect(await countRows("email_outbox", "to_address = ? AND kind = 'email_change_requested'", second.email)).toBe(0);
    // Another address is not held back by it.
    expect((await askFor(second.cookie, uniqueEmail("mine"))).status).toBe(200);
  });
});

describe("the notice to the old address", () => {
  it("once the change is done, says to sign in with the new address and where to write, not to reset at the old one", async () => {
    const { email, cookie } = await signUp();
    const next = uniqueEmail("moved");
    expect((await askFor(cookie, next)).status).toBe(200);
    expect(
      (await send(linkPath(await lastMail(next, "change_email"), "/verify-email/"), { method: "POST" })).status,
    ).toBe(200);
    const notice = await lastMail(email, "email_changed");
    for (const body of [notice.text_body, notice.html_body]) {
      expect(body).not.toMatch(/reset your password/i);
      expect(body).toContain(`sign in with ${next} and your password`);
      expect(body).toContain("contact form");
    }
    // What it says works: the new address signs in, and a reset asked for with the old one mails nobody.
    expect((await logIn(next)).response.status).toBe(303);
    await send("/password/forgot", { form: { email } });
    expect((await mailTo(email)).some((m) => m.kind === "password_reset")).toBe(false);
  });
});
