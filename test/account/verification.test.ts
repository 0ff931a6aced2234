import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { send, signUp, textOf } from "../helpers/http";
import { lastMail, linkPath, mailTo } from "../helpers/mail";

async function verified(email: string): Promise<boolean> {
  const row = await env.DB.prepare("SELECT email_verified_at FROM users WHERE email = ?")
    .bind(email)
    .first<{ email_verified_at: number | null }>();
  return row!.email_verified_at !== null;
}

describe("email verification", () => {
  it("shows a banner until the address is confirmed through the emailed link", async () => {
    const { email, cookie } = await signUp();
    expect(await textOf("/app", { cookie })).toContain("Please confirm your email address");
    const path = linkPath(await lastMail(email, "verify_email"), "/verify-email/");

    // Opening the link changes nothing by itself: a GET shows a button.
    const page = await send(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`action="${path}"`);
    expect(await verified(email)).toBe(false);

    // It works without a session (the link may be opened on another device).
    const confirm = await send(path, { method: "POST" });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Email address confirmed");
    expect(await verified(email)).toBe(true);
    expect(await textOf("/app", { cookie })).not.toContain("Please confirm your email address");
  });

  it("says the address is confirmed without asking to confirm it, when the link is opened signed in", async () => {
    const { email, cookie } = await signUp();
    const path = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    const confirm = await textOf(path, { method: "POST", cookie });
    expect(confirm).toContain("Email address confirmed");
    expect(confirm).not.toContain("Please confirm your email address");
  });

  it("uses a link once", async () => {
    const { email } = await signUp();
    const path = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    expect((await send(path, { method: "POST" })).status).toBe(200);
    const again = await send(path, { method: "POST" });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("This link no longer works");
    expect((await send(path)).status).toBe(404);
  });

  it("refuses an expired link", async () => {
    const { email } = await signUp();
    const path = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    await env.DB.prepare("UPDATE auth_tokens SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)")
      .bind(Date.now() - 1, email)
      .run();
    expect((await send(path, { method: "POST" })).status).toBe(404);
    expect(await verified(email)).toBe(false);
  });

  it("stores only a hash of the token", async () => {
    const { email } = await signUp();
    const token = linkPath(await lastMail(email, "verify_email"), "/verify-email/")
      .split("/")
      .pop()!;
    expect(await countRows("auth_tokens", "token_hash = ?", token)).toBe(0);
    const dump = JSON.stringify((await env.DB.prepare("SELECT * FROM auth_tokens").all()).results);
    expect(dump).not.toContain(token);
  });

  it("resends a fresh link on request, and the old link stops working", async () => {
    const { email, cookie } = await signUp();
    const first = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    const res = await send("/verify-email/resend", { method: "POST", cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("We have sent a new confirmation link");
    const second = linkPath(await lastMail(email, "verify_email"), "/verify-email/");
    expect(second).not.toBe(first);
    expect((await send(first, { method: "POST" })).status).toBe(404);
    expect((await send(second, { method: "POST" })).status).toBe(200);
  });

  it("limits resends", async () => {
    const { email, cookie } = await signUp();
    for (let i = 0; i < 5; i++)
      expect((await send("/verify-email/resend", { method: "POST", cookie })).status).toBe(200);
    const limited = await send("/verify-email/resend", { method: "POST", cookie });
    expect(limited.status).toBe(429);
    expect((await mailTo(email)).filter((m) => m.kind === "verify_email")).toHaveLength(6);
  });

  it("refuses garbage tokens without touching the database", async () => {
    for (const bad of ["x", "%27%20OR%201%3D1--", "a".repeat(300), "<script>"]) {
      expect((await send(`/verify-email/${bad}`, { method: "POST" })).status).toBe(404);
    }
  });
});
