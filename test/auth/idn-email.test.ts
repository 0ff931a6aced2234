/**
 * Addresses on internationalised domains: the Unicode form (Firefox sends it as typed) and the ASCII form (Chrome
 * sends punycode) are one address, stored in ASCII, so signing up in one browser and logging in from another works.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, send } from "../helpers/http";

const form = (email: string) => ({
  email,
  password: GOOD_PASSWORD,
  company_name: "Müller GmbH",
  age_confirmed: "on",
  accept_terms: "on",
});

const stored = (email: string) =>
  env.DB.prepare("SELECT email FROM users WHERE email = ?").bind(email).first<{ email: string }>();

describe("email addresses on internationalised domains", () => {
  it("signs up anna@müller.de as anna@xn--mller-kva.de, and either form logs in", async () => {
    const local = `anna-${Date.now().toString(36)}`;
    const res = await send("/signup", { form: form(`${local}@Müller.de`) });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await stored(`${local}@xn--mller-kva.de`)).toEqual({ email: `${local}@xn--mller-kva.de` });
    for (const typed of [`${local}@müller.de`, `${local}@xn--mller-kva.de`]) {
      const { response } = await logIn(typed);
      expect(response.status, typed).toBe(303);
    }
    // The other form is the same address: no second account.
    expect((await send("/signup", { form: form(`${local}@xn--mller-kva.de`) })).status).toBe(409);
  });

  it("takes a whole IDNA domain (.рф) and refuses what is no address", async () => {
    const local = `ivan-${Date.now().toString(36)}`;
    expect((await send("/signup", { form: form(`${local}@пример.рф`) })).status).toBe(303);
    expect(await stored(`${local}@xn--e1afmkfd.xn--p1ai`)).not.toBeNull();
    for (const bad of ["anna@müller.de/x", "anna@mül ler.de", "anna@müller", "änna@example.com", "anna@müller.de@x"]) {
      const refused = await send("/signup", { form: form(bad) });
      expect(refused.status, bad).toBe(422);
      expect(await refused.text(), bad).toContain("Enter an email address like name@example.com.");
    }
  });
});
