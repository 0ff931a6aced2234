import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, setCookies, signUp, uniqueEmail } from "../helpers/http";
import { invitationMailTo, invite, invitedMember, verifiedOwner } from "../team/team-helpers";

/** The text of the form-level alert, if any. */
function alertText(html: string): string | null {
  return html.match(/<div class="flash error" role="alert">([\s\S]*?)<\/div>/)?.[1]?.replace(/<[^>]+>/g, "") ?? null;
}

describe("login", () => {
  it("opens a new session and goes to /app", async () => {
    const { email, cookie: signupCookie } = await signUp();
    const { response, cookie } = await logIn(email);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/app");
    const issued = setCookies(response).get("__Host-session")!;
    expect(issued.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]),
    );
    // A new session, not the sign-up one.
    expect(cookie).not.toBe(signupCookie);
    expect((await send("/app", { cookie })).status).toBe(200);
    expect((await send("/app", { cookie: signupCookie })).status).toBe(200);
  });

  it("ends the browser's previous session when logging in again in it", async () => {
    const { email, cookie } = await signUp();
    const again = await send("/login", { form: { email, password: GOOD_PASSWORD }, cookie });
    expect(again.status).toBe(303);
    expect((await send("/app", { cookie })).status).toBe(303);
  });

  it("accepts the email in another case and with spaces", async () => {
    const { email } = await signUp();
    const { response } = await logIn(`  ${email.toUpperCase()} `);
    expect(response.status).toBe(303);
  });

  it("says the same thing for a wrong password and for an unknown email", async () => {
    const { email } = await signUp();
    const wrong = await logIn(email, "not the right password");
    const unknown = await logIn(uniqueEmail("nobody"), "not the right password");
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    const a = alertText(await wrong.response.text());
    const b = alertText(await unknown.response.text());
    expect(a).toContain("do not match an account");
    expect(a).toBe(b);
    expect(setCookies(wrong.response).has("__Host-session")).toBe(false);
  });

  it("returns to the page asked for, but never to another site", async () => {
    const { email } = await signUp();
    const ok = await send("/login?next=%2Fapp%3Fx%3D1", { form: { email, password: GOOD_PASSWORD } });
    expect(ok.headers.get("Location")).toBe("/app?x=1");
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await send(`/login?next=${encodeURIComponent(next)}`, { form: { email, password: GOOD_PASSWORD } });
      expect(res.headers.get("Location")).toBe("/app");
    }
  });

  it("re-renders with field messages for empty input", async () => {
    const res = await send("/login", { form: { email: "", password: "" } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="f-email-error"');
    expect(html).toContain('id="f-password-error"');
  });

  it("limits attempts per IP across accounts", async () => {
    const ip = "192.0.2.200";
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) last = (await logIn(uniqueEmail("spray"), "some password", { ip })).response;
    expect(last!.status).toBe(429);
    const { email } = await signUp();
    expect((await logIn(email, GOOD_PASSWORD, { ip: "192.0.2.201" })).response.status).toBe(303);
  });

  it("stores no account or IP in the rate-limit table", async () => {
    const email = uniqueEmail("private");
    await logIn(email, "some password", { ip: "192.0.2.9" });
    const rows = await env.DB.prepare("SELECT key FROM rate_limits").all<{ key: string }>();
    // The attempt was counted (per IP and per account), under keys that are hashes only.
    expect(rows.results.length).toBeGreaterThanOrEqual(2);
    for (const { key } of rows.results) {
      // The API's per-workspace counter is keyed by the workspace's id (no account, no address).
      if (/^api-workspace:[a-z2-7]{24}$/.test(key)) continue;
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}=?$/);
      expect(key).not.toContain(email);
      expect(key).not.toContain("192.0.2.9");
    }
  });
});

describe("an account removed from its last workspace", () => {
  async function removed(label: string) {
    const owner = await verifiedOwner(`${label} Ltd`);
    const member = await invitedMember(owner, "member");
    const res = await send(`/app/settings/team/members/${member.userId}/remove`, { cookie: owner.cookie, form: {} });
    expect(res.status).toBeLessThan(400);
    expect(await countRows("memberships", "user_id = ?", member.userId)).toBe(0);
    return { owner, member };
  }

  it("is told so with the right password (a wrong one fails as ever) and can start a workspace of its own", async () => {
    const { member } = await removed("Left Behind");
    expect((await logIn(member.email, "not the password")).response.status).toBe(401);
    const told = await send("/login", { form: { email: member.email, password: GOOD_PASSWORD } });
    expect(told.status).toBe(409);
    const page = await told.text();
    expect(page).toContain("not part of any workspace");
    expect(page).toContain('name="company_name"');
    expect(setCookies(told).has("__Host-session")).toBe(false);

    const unnamed = await send("/login", { form: { email: member.email, password: GOOD_PASSWORD, company_name: " " } });
    expect(unnamed.status).toBe(422);
    expect(await unnamed.text()).toMatch(/id="f-company_name-error"/);
    const guessed = await send("/login", { form: { email: member.email, password: "a guess", company_name: "Mine" } });
    expect(guessed.status).toBe(401);
    expect(await countRows("memberships", "user_id = ?", member.userId)).toBe(0);

    const started = await send("/login", {
      form: { email: member.email, password: GOOD_PASSWORD, company_name: "Fresh Start Co" },
    });
    expect(started.status).toBe(303);
    expect(started.headers.get("Location")).toBe("/app");
    const cookie = `__Host-session=${setCookies(started).get("__Host-session")!.value}`;
    const home = await send("/app", { cookie });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Fresh Start Co");
    expect(await countRows("memberships", "user_id = ? AND role = 'owner'", member.userId)).toBe(1);
  });

  it("joins the workspace whose invitation it logs in from", async () => {
    const { owner, member } = await removed("Invites Back");
    await invite(owner.cookie, member.email, "viewer");
    const { token } = await invitationMailTo(member.email);
    const res = await send(`/login?next=${encodeURIComponent(`/invite/${token}`)}`, {
      form: { email: member.email, password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
    expect(
      await countRows(
        "memberships",
        "user_id = ? AND tenant_id = ? AND role = 'viewer'",
        member.userId,
        owner.tenantId,
      ),
    ).toBe(1);
    // An invitation to someone else's address joins nothing.
    const other = await removed("Not Theirs");
    const stranger = uniqueEmail("stranger");
    await invite(other.owner.cookie, stranger, "member");
    const theirs = await invitationMailTo(stranger);
    const refused = await send(`/login?next=${encodeURIComponent(`/invite/${theirs.token}`)}`, {
      form: { email: other.member.email, password: GOOD_PASSWORD },
    });
    expect(refused.status).toBe(409);
    expect(await countRows("memberships", "user_id = ?", other.member.userId)).toBe(0);
  });
});

describe("logout", () => {
  it("deletes the session row and clears the cookie", async () => {
    const { cookie } = await signUp();
    const sessionId = cookie.match(/__Host-session=([^.;]+)\./)![1]!;
    expect(await countRows("sessions", "id = ?", sessionId)).toBe(1);
    const res = await send("/logout", { method: "POST", cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?logged_out=1");
    const cleared = setCookies(res).get("__Host-session")!;
    expect(cleared.value).toBe("");
    expect(await countRows("sessions", "id = ?", sessionId)).toBe(0);
    // The old cookie, replayed, no longer works.
    expect((await send("/app", { cookie })).status).toBe(303);
  });

  it("cannot be triggered by a GET", async () => {
    const { cookie } = await signUp();
    const res = await send("/logout", { cookie });
    expect(res.status).toBe(404);
    expect((await send("/app", { cookie })).status).toBe(200);
  });
});
