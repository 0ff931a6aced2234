import { env } from "cloudflare:workers";
import { insertDeal } from "../deals/data-helpers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { expectToContainAll } from "../helpers/expect-html";
import { GOOD_PASSWORD, logIn, send, signUp, uniqueEmail, textOf } from "../helpers/http";
import { lastMail, linkPath } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

const sessionIdOf = (cookie: string) => cookie.match(/__Host-session=([^.;]+)\./)![1]!;

describe("/app/settings", () => {
  it("opens the reader's profile, where the menu's Settings link goes (it was a 404)", async () => {
    const { cookie } = await signUp();
    const res = await send("/app/settings", { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/app/settings/profile");
    expect((await send("/app/settings")).headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("sessions page", () => {
  it("lists each session with its device, IP and times, and marks this one", async () => {
    const { email, cookie } = await signUp({}, { headers: { "User-Agent": CHROME_LINUX }, ip: "192.0.2.10" });
    await logIn(email, GOOD_PASSWORD, { headers: { "User-Agent": SAFARI_IPHONE }, ip: "192.0.2.11" });
    const html = await textOf("/app/settings/security", { cookie, headers: { "User-Agent": CHROME_LINUX } });
    expectToContainAll(html, [
      "Chrome 120 on Linux",
      "Safari 17 on iOS 17.1 (mobile)",
      "192.0.2.10",
      "192.0.2.11",
      "(this device)",
      "Sign out all other sessions (1)",
    ]);
  });

  it("signs out one other session", async () => {
    const { email, cookie } = await signUp();
    const other = await logIn(email);
    const res = await send(`/app/settings/security/sessions/${sessionIdOf(other.cookie)}/revoke`, {
      method: "POST",
      cookie,
    });
    expect(res.status).toBe(200);
    expect((await send("/app", { cookie: other.cookie })).status).toBe(303);
    expect((await send("/app", { cookie })).status).toBe(200);
  });

  it("cannot sign out someone else's session: 404, and it keeps working", async () => {
    const a = await signUp();
    const b = await signUp();
    const res = await send(`/app/settings/security/sessions/${sessionIdOf(b.cookie)}/revoke`, {
      method: "POST",
      cookie: a.cookie,
    });
    expect(res.status).toBe(404);
    expect((await send("/app", { cookie: b.cookie })).status).toBe(200);
  });

  it("signs out all other sessions at once", async () => {
    const { email, cookie } = await signUp();
    const x = await logIn(email);
    const y = await logIn(email);
    const res = await send("/app/settings/security/sessions/revoke-others", { method: "POST", cookie });
    expect(await res.text()).toContain("2 other sessions were signed out");
    expect((await send("/app", { cookie: x.cookie })).status).toBe(303);
    expect((await send("/app", { cookie: y.cookie })).status).toBe(303);
    expect((await send("/app", { cookie })).status).toBe(200);
  });
});

describe("changing the email address", () => {
  it("confirms the new address by link, tells the old one, and then logs in with the new one", async () => {
    const { email, cookie } = await signUp();
    const next = uniqueEmail("moved");
    const wrong = await send("/app/settings/profile/email", {
      form: { email: next, password: "not my password" },
      cookie,
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toMatch(/id="f-password-error">That is not your current password/);

    const res = await send("/app/settings/profile/email", { form: { email: next, password: GOOD_PASSWORD }, cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`We have sent a confirmation link to ${next}`);
    expect((await lastMail(email, "email_change_requested")).text_body).toContain(next);
    // Nothing changes until the new address confirms.
    expect((await logIn(email)).response.status).toBe(303);

    const path = linkPath(await lastMail(next, "change_email"), "/verify-email/");
    const done = await send(path, { method: "POST" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`Your account now uses ${next}`);
    expect((await lastMail(email, "email_changed")).text_body).toContain(next);
    expect((await logIn(next)).response.status).toBe(303);
    expect((await logIn(email)).response.status).toBe(401);
  });

  it("refuses an address another account uses, and bad input, beside the field", async () => {
    const a = await signUp();
    const b = await signUp();
    const taken = await send("/app/settings/profile/email", {
      form: { email: b.email, password: GOOD_PASSWORD },
      cookie: a.cookie,
    });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain("Another account already uses this address");
    for (const bad of ["", "no-at-sign", "<script>@x", `${"a".repeat(260)}@example.com`]) {
      const res = await send("/app/settings/profile/email", {
        form: { email: bad, password: GOOD_PASSWORD },
        cookie: a.cookie,
      });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('id="f-email-error"');
    }
  });
});

describe("links asked for with a password that has since changed", () => {
  /** Asks for an email change to a fresh address and answers the confirmation link it mails. */
  async function pendingEmailChange(cookie: string) {
    const next = uniqueEmail("taker");
    await send("/app/settings/profile/email", { form: { email: next, password: GOOD_PASSWORD }, cookie });
    return { next, path: linkPath(await lastMail(next, "change_email"), "/verify-email/") };
  }

  it("an email change asked for before a password reset cannot be confirmed after it", async () => {
    // Whoever knew the password asks to move the account to their address; the owner, warned, resets it.
    const { email, cookie } = await signUp();
    const taker = await pendingEmailChange(cookie);
    await send("/password/forgot", { form: { email } });
    const reset = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    expect((await send(reset, { form: { password: "a brand new passphrase" } })).status).toBe(200);

    expect((await send(taker.path, { method: "POST" })).status).toBe(404);
    expect((await logIn(email, "a brand new passphrase")).response.status).toBe(303);
    expect((await logIn(taker.next, "a brand new passphrase")).response.status).toBe(401);
  });

  it("a password change cancels a pending email change and earlier reset links", async () => {
    const { email, cookie } = await signUp();
    const taker = await pendingEmailChange(cookie);
    await send("/password/forgot", { form: { email } });
    const reset = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    const changed = await send("/app/settings/security/password", {
      form: { current_password: GOOD_PASSWORD, new_password: "a brand new passphrase" },
      cookie,
    });
    expect(changed.status).toBe(200);

    expect((await send(taker.path, { method: "POST" })).status).toBe(404);
    expect((await send(reset, { form: { password: "the taker's passphrase" } })).status).toBe(404);
    expect((await logIn(email, "a brand new passphrase")).response.status).toBe(303);
  });

  it("a confirmed email change ends the reset links sent to the old address", async () => {
    const { email, cookie } = await signUp();
    await send("/password/forgot", { form: { email } });
    const reset = linkPath(await lastMail(email, "password_reset"), "/password/reset/");
    const moved = await pendingEmailChange(cookie);
    expect((await send(moved.path, { method: "POST" })).status).toBe(200);

    expect((await send(reset, { form: { password: "the old inbox's passphrase" } })).status).toBe(404);
    expect((await logIn(moved.next, GOOD_PASSWORD)).response.status).toBe(303);
  });
});

describe("guessing the password through the forms that ask for it again", () => {
  it("refuses the eleventh try in 15 minutes across the email, deletion and password forms, even the right one", async () => {
    const { email, cookie } = await signUp();
    const next = uniqueEmail("guess");
    const forms: [string, (password: string) => Record<string, string>][] = [
      ["/app/settings/profile/email", (password) => ({ email: next, password })],
      ["/app/settings/profile/delete", (password) => ({ delete_password: password, confirm_delete: "on" })],
      ["/app/settings/security/password", (password) => ({ current_password: password, new_password: "x".repeat(20) })],
    ];
    for (let i = 0; i < 10; i++) {
      const [path, form] = forms[i % forms.length]!;
      const res = await send(path, { form: form(`guess number ${i}`), cookie });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("That is not your current password");
    }
    for (const [path, form] of forms) {
      const res = await send(path, { form: form(GOOD_PASSWORD), cookie });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Too many attempts");
    }
    expect(await countRows("auth_tokens", "kind = 'change_email' AND email = ?", next)).toBe(0);
    expect(await countRows("users", "email = ?", email)).toBe(1);
  });
});

describe("deleting one's own account", () => {
  it("removes the member's login, sessions and personal data; the trail keeps entries without them", async () => {
    const owner = await newTenant("Leavers Co");
    const member = await memberOf(owner.tenantId, "member");
    const userId = (await env.DB.prepare("SELECT id FROM users WHERE email = ?")
      .bind(member.email)
      .first<{ id: string }>())!.id;
    // memberOf() gave them a workspace of their own at sign-up; an invited member owns none.
    await env.DB.prepare(
      "DELETE FROM tenants WHERE id IN (SELECT tenant_id FROM memberships WHERE user_id = ? AND role = 'owner')",
    )
      .bind(userId)
      .run();
    await send("/app/settings/security/sessions/revoke-others", { method: "POST", cookie: member.cookie }); // leaves an audit entry with their IP
    // A deal they own, made and moved: it stays with the workspace, without them.
    const dealId = await insertDeal(owner.tenantId, { name: "Leavers' deal", ownerId: userId, createdBy: userId });

    const wrong = await send("/app/settings/profile/delete", {
      form: { delete_password: "nope nope nope", confirm_delete: "on" },
      cookie: member.cookie,
    });
    expect(wrong.status).toBe(422);
    const unticked = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD },
      cookie: member.cookie,
    });
    expect(unticked.status).toBe(422);
    expect(await countRows("users", "id = ?", userId)).toBe(1);

    const res = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      cookie: member.cookie,
    });
    expect(res.status).toBe(303);
    expect(await countRows("users", "id = ?", userId)).toBe(0);
    expect(await countRows("sessions", "user_id = ?", userId)).toBe(0);
    expect(await countRows("memberships", "user_id = ?", userId)).toBe(0);
    expect(await countRows("auth_tokens", "user_id = ?", userId)).toBe(0);
    expect(await countRows("email_outbox", "to_address = ?", member.email)).toBe(0);
    expect(await countRows("audit_log", "actor_user_id = ?", userId)).toBe(0);
    expect(await countRows("audit_log", "tenant_id = ? AND action = 'member.left'", owner.tenantId)).toBe(1);
    expect((await send("/app", { cookie: member.cookie })).status).toBe(303);
    expect(
      await env.DB.prepare(
        `SELECT d.name, d.owner_id, d.created_by, h.actor_id FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id
         WHERE d.id = ?`,
      )
        .bind(dealId)
        .first(),
    ).toEqual({ name: "Leavers' deal", owner_id: null, created_by: null, actor_id: null });

    // The owner's audit page shows what they did as "former member".
    const audit = await textOf("/app/settings/audit", { cookie: owner.cookie });
    expect(audit).toContain("former member");
    expect(audit).not.toContain(member.email);
  });

  it("is refused to an owner until they hand over", async () => {
    const owner = await newTenant("Kept Co");
    const res = await send("/app/settings/profile/delete", {
      form: { delete_password: GOOD_PASSWORD, confirm_delete: "on" },
      cookie: owner.cookie,
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Transfer the ownership");
    expect(await countRows("users", "email = ?", owner.email)).toBe(1);
  });
});
