/** Staff identities: their own sign-in with a second factor, their own cookie and lifetimes. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { totpCodeAt } from "../../src/auth/totp";
import { GOOD_PASSWORD, send, setCookies, signUp, uniqueEmail } from "../helpers/http";
import { createStaffLink, forgetLastCode, newStaff, OPS_ENV, staffSignIn, totpKeyOf } from "./helpers";

describe("staff sign-in", () => {
  it("needs the password and a current authenticator code, each code good once", async () => {
    const staff = await newStaff("support");
    const key = await totpKeyOf(staff.email);
    await forgetLastCode(staff.email);
    const wrongCode = await staffSignIn(staff.email, totpCodeAt(key, Date.now() - 10 * 60_000));
    expect(wrongCode.response.status).toBe(401);
    const wrongPassword = await staffSignIn(staff.email, totpCodeAt(key, Date.now()), "not the password at all");
    expect(wrongPassword.response.status).toBe(401);

    const code = totpCodeAt(key, Date.now());
    const first = await staffSignIn(staff.email, code);
    expect(first.response.status).toBe(303);
    const cookie = setCookies(first.response).get("__Host-staff")!;
    expect(cookie.attributes).toEqual(expect.arrayContaining(["HttpOnly", "Secure", "SameSite=Strict", "Path=/"]));
    // The same code again (seen over a shoulder) opens nothing.
    expect((await staffSignIn(staff.email, code)).response.status).toBe(401);
  });

  it("locks out a guesser's network, not the staff member, and answers an unknown address the same", async () => {
    const staff = await newStaff("admin");
    const key = await totpKeyOf(staff.email);
    const guess = (email: string, ip: string) =>
      send("/staff/login", { form: { email, password: "a wrong guess", code: "000000" }, ip });
    const ghost = uniqueEmail("not-staff");
    for (let i = 0; i < 5; i++) {
      expect((await guess(staff.email, "203.0.113.7")).status).toBe(401);
      expect((await guess(ghost, "203.0.113.7")).status).toBe(401);
    }
    // The sixth from there is refused, for a staff address and for one that is none alike.
    expect((await guess(staff.email, "203.0.113.7")).status).toBe(429);
    expect((await guess(ghost, "203.0.113.7")).status).toBe(429);
    // The staff member, elsewhere, signs in.
    await forgetLastCode(staff.email);
    const own = await send("/staff/login", {
      form: { email: staff.email, password: GOOD_PASSWORD, code: totpCodeAt(key, Date.now()) },
      ip: "198.51.100.20",
    });
    expect(own.status).toBe(303);
  });

  it("takes each recovery code once, in place of the authenticator", async () => {
    const staff = await newStaff("support");
    expect(staff.recoveryCodes).toHaveLength(10);
    const code = staff.recoveryCodes[0]!;
    expect((await staffSignIn(staff.email, code.toUpperCase())).response.status).toBe(303);
    expect((await staffSignIn(staff.email, code)).response.status).toBe(401);
    const stored = await env.DB.prepare("SELECT code_hash FROM staff_recovery_codes WHERE staff_id = ?")
      .bind(staff.id)
      .all<{ code_hash: string }>();
    expect(stored.results.map((r) => r.code_hash)).not.toContain(code);
  });

  it("is not a customer's sign-in: a customer's address and password open nothing here", async () => {
    const customer = await signUp();
    const res = await staffSignIn(customer.email, "123456", GOOD_PASSWORD);
    expect(res.response.status).toBe(401);
    expect(setCookies(res.response).has("__Host-staff")).toBe(false);
  });

  it("refuses an enrolment link twice, and a code that is not the authenticator's", async () => {
    const link = await createStaffLink("support", "Sam");
    const bad = await send(link.path, { form: { password: GOOD_PASSWORD, code: "000000" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("not the one your authenticator shows");
    const key = await totpKeyOf(link.email);
    expect(
      (await send(link.path, { form: { password: GOOD_PASSWORD, code: totpCodeAt(key, Date.now()) } })).status,
    ).toBe(200);
    expect((await send(link.path)).status).toBe(404);
  });

  it("ends a session after 30 minutes idle or 8 hours in all", async () => {
    const staff = await newStaff("admin");
    expect((await send("/staff", { cookie: staff.cookie })).status).toBe(200);
    await env.DB.prepare("UPDATE staff_sessions SET last_active_at = ? WHERE staff_id = ?")
      .bind(Date.now() - 31 * 60_000, staff.id)
      .run();
    const idle = await send("/staff", { cookie: staff.cookie });
    expect(idle.status).toBe(303);
    expect(idle.headers.get("Location")).toMatch(/^\/staff\/login/);

    const again = await newStaff("admin");
    await env.DB.prepare("UPDATE staff_sessions SET created_at = ?, last_active_at = ? WHERE staff_id = ?")
      .bind(Date.now() - 8 * 3_600_000 - 1000, Date.now(), again.id)
      .run();
    expect((await send("/staff", { cookie: again.cookie })).status).toBe(303);
  });

  it("keeps the two kinds of cookie apart: a customer's opens no staff page, a staff one no customer page", async () => {
    const customer = await signUp();
    const staff = await newStaff("admin");
    for (const path of ["/staff", "/staff/team", "/staff/break-glass"]) {
      const res = await send(path, { cookie: customer.cookie });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toMatch(/^\/staff\/login/);
    }
    for (const path of ["/app", "/app/contacts", "/app/settings/profile"]) {
      const res = await send(path, { cookie: staff.cookie });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toMatch(/^\/login/);
    }
  });

  it("disables a staff member at once, ending their sessions", async () => {
    const admin = await newStaff("admin");
    const other = await newStaff("support");
    expect((await send(`/staff/team/${other.id}/disable`, { cookie: admin.cookie, form: {} })).status).toBe(200);
    expect((await send("/staff", { cookie: other.cookie })).status).toBe(303);
    expect((await send(`/staff/team/${admin.id}/disable`, { cookie: admin.cookie, form: {} })).status).toBe(403);
  });

  it("lets only admins manage staff, and the operator token create them", async () => {
    const support = await newStaff("support");
    expect((await send("/staff/team", { cookie: support.cookie })).status).toBe(403);
    // An admin adds support and billing staff; another admin only the operator token makes (the two-person rule).
    const admin = await newStaff("admin");
    const second = uniqueEmail("second-admin");
    const refused = await send("/staff/team", {
      cookie: admin.cookie,
      form: { name: "Me Again", email: second, role: "admin" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Admins are added with the operator token");
    expect(await env.DB.prepare("SELECT 1 FROM staff WHERE email = ?").bind(second).first()).toBeNull();
    const helper = uniqueEmail("support-helper");
    const added = await send("/staff/team", {
      cookie: admin.cookie,
      form: { name: "Helper", email: helper, role: "support" },
    });
    expect(added.status).toBe(200);
    expect(await env.DB.prepare("SELECT role FROM staff WHERE email = ?").bind(helper).first("role")).toBe("support");
    const noToken = await send("/ops/staff", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "x@example.com", name: "X", role: "admin" }),
      env: OPS_ENV,
    });
    expect(noToken.status).toBe(401);
  });
});
