import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail } from "../helpers/http";
import { lastMail, linkPath, mailTo } from "../helpers/mail";

function mainText(html: string): string {
  return html.match(/<main[^>]*>([\s\S]*)<\/main>/)![1]!;
}

describe("password reset", () => {
  it("answers the same whether or not the account exists, and mails only real accounts", async () => {
    const { email } = await signUp();
    const unknown = uniqueEmail("ghost");
    const a = await send("/password/forgot", { form: { email } });
    const b = await send("/password/forgot", { form: { email: unknown } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(mainText(await a.text()).replace(email, "X")).toBe(mainText(await b.text()).replace(unknown, "X"));
    expect((await mailTo(email)).some((m) => m.kind === "password_reset")).toBe(true);
    expect(await mailTo(unknown)).toHaveLength(0);
  });

  it("sets a new password once, ends every session and tells the owner", async () => {
    const { email, cookie } = await signUp();
    const other = await logIn(email);
    await send("/password/forgot", { form: { email } });
    const path = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    expect((await send(path)).status).toBe(200);

    const weak = await send(path, { form: { password: "password" } });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain("most common");

    const done = await send(path, { form: { password: "a brand new passphrase" } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your password has been changed");
    expect((await send("/app", { cookie })).status).toBe(303);
    expect((await send("/app", { cookie: other.cookie })).status).toBe(303);
    expect(await countRows("sessions", "user_id = (SELECT id FROM users WHERE email = ?)", email)).toBe(0);
    expect((await logIn(email, GOOD_PASSWORD)).response.status).toBe(401);
    expect((await logIn(email, "a brand new passphrase")).response.status).toBe(303);
    expect((await lastMail(email, "password_changed")).essential).toBe(1);

    // Single use.
    expect((await send(path, { form: { password: "yet another passphrase" } })).status).toBe(404);
  });

  it("expires within an hour", async () => {
    const { email } = await signUp();
    await send("/password/forgot", { form: { email } });
    const path = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    const row = await env.DB.prepare(
      "SELECT created_at, expires_at FROM auth_tokens WHERE kind = 'password_reset' AND email = ?",
    )
      .bind(email)
      .first<{ created_at: number; expires_at: number }>();
    expect(row!.expires_at - row!.created_at).toBeLessThanOrEqual(3_600_000);
    await env.DB.prepare("UPDATE auth_tokens SET expires_at = ? WHERE kind = 'password_reset' AND email = ?")
      .bind(Date.now() - 1, email)
      .run();
    expect((await send(path)).status).toBe(404);
    expect((await send(path, { form: { password: "a brand new passphrase" } })).status).toBe(404);
    expect((await logIn(email, GOOD_PASSWORD)).response.status).toBe(303);
  });

  it("a newer link retires the older one", async () => {
    const { email } = await signUp();
    await send("/password/forgot", { form: { email } });
    const first = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    await send("/password/forgot", { form: { email } });
    expect((await send(first, { form: { password: "a brand new passphrase" } })).status).toBe(404);
  });

  it("validates the form", async () => {
    expect((await send("/password/forgot", { form: { email: "nope" } })).status).toBe(422);
    expect((await send("/password/forgot", { form: {} })).status).toBe(422);
  });
});

describe("changing the password", () => {
  it("needs the current password", async () => {
    const { cookie } = await signUp();
    const res = await send("/app/settings/security/password", {
      form: { current_password: "not it at all", new_password: "a brand new passphrase" },
      cookie,
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("That is not your current password");
  });

  it("refuses a weak new password beside the field", async () => {
    const { cookie } = await signUp();
    const res = await send("/app/settings/security/password", {
      form: { current_password: GOOD_PASSWORD, new_password: "password1" },
      cookie,
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-new_password-error">[^<]*most common/);
  });

  it("changes it, keeps this session, ends the others and tells the owner", async () => {
    const { email, cookie } = await signUp();
    const other = await logIn(email);
    const res = await send("/app/settings/security/password", {
      form: { current_password: GOOD_PASSWORD, new_password: "a brand new passphrase" },
      cookie,
    });
    expect(res.status).toBe(200);
    expect((await send("/app", { cookie })).status).toBe(200);
    expect((await send("/app", { cookie: other.cookie })).status).toBe(303);
    expect((await logIn(email, "a brand new passphrase")).response.status).toBe(303);
    expect((await lastMail(email, "password_changed")).subject).toContain("password was changed");
  });
});
