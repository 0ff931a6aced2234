import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows, tableCounts } from "../helpers/db";
import { GOOD_PASSWORD, logIn, send, setCookies, signUp, uniqueEmail, textOf } from "../helpers/http";

function signupForm(overrides: Record<string, string | undefined> = {}) {
  const form: Record<string, string> = {
    email: uniqueEmail("signup"),
    password: GOOD_PASSWORD,
    company_name: "Acme Ltd",
    age_confirmed: "on",
    accept_terms: "on",
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete form[k];
    else form[k] = v;
  }
  return form;
}

/** The error message rendered beside a field, found through its aria-describedby link. */
function fieldError(html: string, field: string): string | null {
  const input = html.match(new RegExp(`<input[^>]*name="${field}"[^>]*>`))?.[0];
  if (!input?.includes(`aria-describedby="`) || !input.includes(`aria-invalid="true"`)) return null;
  const m = html.match(new RegExp(`<p class="field-error" id="f-${field}-error">([^<]*)</p>`));
  return m ? m[1]! : null;
}

describe("sign-up", () => {
  it("creates tenant, owner and session in one go and signs the user in", async () => {
    const before = await tableCounts();
    const email = uniqueEmail("owner");
    const res = await send("/signup", { form: signupForm({ email, company_name: "Bright Bakery" }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
    expect(await tableCounts()).toEqual({
      tenants: before.tenants + 1,
      users: before.users + 1,
      memberships: before.memberships + 1,
      sessions: before.sessions + 1,
    });
    const role = await env.DB.prepare(
      "SELECT m.role, t.name FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id WHERE u.email = ?",
    )
      .bind(email)
      .first<{ role: string; name: string }>();
    expect(role).toEqual({ role: "owner", name: "Bright Bakery" });
  });

  it("sets a __Host-session cookie that is HttpOnly, Secure, SameSite=Lax, Path=/ and has no Domain", async () => {
    const { response } = await signUp();
    const cookie = setCookies(response).get("__Host-session");
    expect(cookie).toBeDefined();
    const attrs = cookie!.attributes.map((a) => a.toLowerCase());
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("secure");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
    expect(attrs.some((a) => a.startsWith("expires="))).toBe(true);
  });

  it("lets the new user into /app, which shows the company and the user", async () => {
    const { cookie, email } = await signUp({ company_name: "Harbour Florists" });
    const res = await send("/app", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Harbour Florists");
    expect(html).toContain(email);
    expect(html).toContain("owner");
  });

  it("normalises the email: case and spaces do not make a second account", async () => {
    const email = uniqueEmail("case");
    await signUp({ email });
    const before = await tableCounts();
    const res = await send("/signup", { form: signupForm({ email: `  ${email.toUpperCase()}  ` }) });
    expect(res.status).toBe(409);
    expect(await tableCounts()).toEqual(before);
  });

  it("answers an email already registered with links to log in or reset, and writes nothing", async () => {
    const { email } = await signUp();
    const before = await tableCounts();
    const res = await send("/signup", { form: signupForm({ email, company_name: "Second Co" }) });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("already exists");
    expect(html).toContain('href="/login"');
    expect(html).toContain('href="/password/forgot"');
    expect(res.headers.getAll("Set-Cookie").some((c) => c.startsWith("__Host-session="))).toBe(false);
    expect(await tableCounts()).toEqual(before);
    expect(await countRows("tenants", "name = ?", "Second Co")).toBe(0);
  });

  it("lets only one of two simultaneous sign-ups with one email through", async () => {
    const email = uniqueEmail("race");
    const before = await tableCounts();
    const [a, b] = await Promise.all([
      send("/signup", { form: signupForm({ email }), ip: "198.51.100.1" }),
      send("/signup", { form: signupForm({ email }), ip: "198.51.100.2" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect(await countRows("users", "email = ?", email)).toBe(1);
    expect((await tableCounts()).tenants).toBe(before.tenants + 1);
  });

  it.each([
    ["password", "one of the most common"],
    ["Password123", "one of the most common"],
    ["short", "at least 8 characters"],
    ["x".repeat(257), "at most 256 characters"],
  ])("refuses the password %j with a message beside the field", async (password, message) => {
    const before = await tableCounts();
    const res = await send("/signup", { form: signupForm({ password }) });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "password")).toContain(message);
    expect(await tableCounts()).toEqual(before);
  });

  it("accepts a 256-character password and a password with spaces and non-ASCII letters", async () => {
    for (const password of ["ä".repeat(256), "мой пароль очень длинный"]) {
      const { email, response } = await signUp({ password });
      expect(response.headers.get("Location")).toBe("/app");
      // The whole password was kept: it signs in, and one character less does not.
      expect((await logIn(email, password)).response.status).toBe(303);
      expect((await logIn(email, password.slice(0, -1))).response.status).toBe(401);
    }
  });

  it.each([
    [{ age_confirmed: undefined }, "age_confirmed", "18 or older"],
    [{ accept_terms: undefined }, "accept_terms", "accept the Terms"],
    [{ email: "" }, "email", "Enter your email"],
    [{ email: "not-an-email" }, "email", "like name@example.com"],
    [{ email: "x'; DROP TABLE users; --@example.com" }, "email", "like name@example.com"],
    [{ email: `${"a".repeat(250)}@example.com` }, "email", "at most 254"],
    [{ company_name: "" }, "company_name", "Enter company name"],
    [{ company_name: "   " }, "company_name", "Enter company name"],
    [{ company_name: "x".repeat(101) }, "company_name", "at most 100"],
    [{ company_name: "Bad\u0000Name" }, "company_name", "cannot store"],
  ])("refuses %j with a message beside the field and writes nothing", async (overrides, field, message) => {
    const before = await tableCounts();
    const res = await send("/signup", { form: signupForm(overrides) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, field)).toContain(message);
    expect(await tableCounts()).toEqual(before);
  });

  it("re-renders the form with what was typed, except the password", async () => {
    const res = await send("/signup", {
      form: signupForm({ email: "kept@example.com", company_name: "Kept Co", password: "password" }),
    });
    const html = await res.text();
    expect(html).toContain('value="kept@example.com"');
    expect(html).toContain('value="Kept Co"');
    expect(html).not.toContain('value="password"');
  });

  it("refuses malformed UTF-8 in a field with a 422, not a 500", async () => {
    const before = await tableCounts();
    const bytes = new TextEncoder().encode(
      `email=${uniqueEmail()}&password=${encodeURIComponent(GOOD_PASSWORD)}&age_confirmed=on&accept_terms=on&company_name=`,
    );
    const body = new Uint8Array([...bytes, 0xc3, 0x28, 0xff, 0x41]);
    const res = await send("/signup", {
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      method: "POST",
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "company_name")).toContain("cannot store");
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses a file where text belongs", async () => {
    const before = await tableCounts();
    const form = new FormData();
    for (const [k, v] of Object.entries(signupForm())) form.set(k, v);
    form.set("company_name", new File(["<svg/>"], "logo.svg", { type: "image/svg+xml" }));
    const res = await send("/signup", { method: "POST", body: form });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "company_name")).toContain("must be text");
    expect(await tableCounts()).toEqual(before);
  });

  it("stores HTML and SQL typed into the company name as text and shows it escaped", async () => {
    const name = `<script>alert(1)</script>'); DROP TABLE tenants;--`;
    const { cookie } = await signUp({ company_name: name });
    const html = await textOf("/app", { cookie });
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(await countRows("tenants", "name = ?", name)).toBe(1);
  });

  it("answers 413 to a body over the limit and writes nothing", async () => {
    const before = await tableCounts();
    const res = await send("/signup", { form: signupForm({ company_name: "x".repeat(300_000) }) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Too large");
    expect(await tableCounts()).toEqual(before);
  });

  it("rate-limits sign-ups per IP with a 429 and a clear message", async () => {
    const ip = "192.0.2.77";
    for (let i = 0; i < 10; i++) {
      const res = await send("/signup", { form: signupForm({ password: "x" }), ip });
      expect(res.status).toBe(422); // invalid attempts are not counted...
    }
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await send("/signup", { form: signupForm(), ip });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await last!.text()).toContain("Too many sign-ups");
    // ...and another IP is not affected.
    expect((await send("/signup", { form: signupForm(), ip: "192.0.2.78" })).status).toBe(303);
  });

  it("sends a signed-in user from /signup to the app", async () => {
    const { cookie } = await signUp();
    const res = await send("/signup", { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
  });
});
