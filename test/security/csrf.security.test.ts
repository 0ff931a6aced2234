import { describe, expect, it } from "vitest";
import { tableCounts } from "../helpers/db";
import { GOOD_PASSWORD, ORIGIN, send, signUp, uniqueEmail } from "../helpers/http";

const signupFields = () => ({
  email: uniqueEmail("csrf"),
  password: GOOD_PASSWORD,
  company_name: "Forged Co",
  age_confirmed: "on",
  accept_terms: "on",
});

describe("CSRF: state-changing requests from other sites are refused", () => {
  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["no Origin and no Sec-Fetch-Site", { origin: null }],
    ["Sec-Fetch-Site: cross-site and no Origin", { origin: null, headers: { "Sec-Fetch-Site": "cross-site" } }],
    ["a look-alike Origin", { origin: `${ORIGIN}.evil.example` }],
  ])("POST /signup with %s is 403 and writes nothing", async (_label, opts) => {
    const before = await tableCounts();
    const res = await send("/signup", { form: signupFields(), ...opts });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Not allowed");
    expect(await tableCounts()).toEqual(before);
  });

  it("POST /login with a foreign Origin is 403 and sets no session", async () => {
    const { email } = await signUp();
    const res = await send("/login", { form: { email, password: GOOD_PASSWORD }, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.getAll("Set-Cookie").some((c) => c.startsWith("__Host-session="))).toBe(false);
  });

  it("a forged logout leaves the session alone", async () => {
    const { cookie } = await signUp();
    const res = await send("/logout", { method: "POST", cookie, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await send("/app", { cookie })).status).toBe(200);
  });

  it("a forged theme change sets nothing", async () => {
    const res = await send("/preferences/theme", { form: { theme: "dark" }, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.getAll("Set-Cookie")).toEqual([]);
  });

  it("same-origin requests pass, by Origin or by Sec-Fetch-Site", async () => {
    expect((await send("/signup", { form: signupFields() })).status).toBe(303);
    expect(
      (await send("/signup", { form: signupFields(), origin: null, headers: { "Sec-Fetch-Site": "same-origin" } }))
        .status,
    ).toBe(303);
  });
});
