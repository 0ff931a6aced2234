import { describe, expect, it } from "vitest";
import { COOKIES } from "../src/lib/cookies";
import { cookieHeader, send, setCookies, signUp, textOf } from "./helpers/http";
import { createContact, insertTag } from "./contacts/contact-helpers";
import { newTenant } from "./helpers/tenants";

describe("colour scheme", () => {
  it("defaults to the system scheme and sets no preference cookie until one is picked", async () => {
    const res = await send("/");
    expect(await res.text()).toContain('data-theme="system"');
    expect(setCookies(res).has(COOKIES.theme.name)).toBe(false);
  });

  it("keeps a picked scheme in a cookie and renders it server-side, on public and app pages", async () => {
    const res = await send("/preferences/theme", { form: { theme: "dark", back: "/privacy" } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/privacy");
    const themeCookie = setCookies(res).get(COOKIES.theme.name)!;
    expect(themeCookie.value).toBe("dark");
    expect(themeCookie.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(["secure", "samesite=lax", "path=/"]),
    );
    const cookie = cookieHeader(res);
    const page = await textOf("/privacy", { cookie });
    expect(page).toContain('data-theme="dark"');
    expect(page).toMatch(/value="dark" aria-pressed="true"/);
    const user = await signUp();
    const app = await textOf("/app", { cookie: `${user.cookie}; ${cookie}` });
    expect(app).toContain('data-theme="dark"');
  });

  it("refuses an unknown scheme and never redirects off-site", async () => {
    expect((await send("/preferences/theme", { form: { theme: "neon" } })).status).toBe(400);
    const res = await send("/preferences/theme", { form: { theme: "light", back: "//evil.example" } });
    expect(res.headers.get("Location")).toBe("/");
    const forged = await send("/", { cookie: `${COOKIES.theme.name}="><script>x</script>` });
    expect(await forged.text()).toContain('data-theme="system"');
  });
});

describe("forms are accessible", () => {
  it.each(["/signup", "/login"])("%s labels every input and ties errors to fields", async (path) => {
    const html = await textOf(path);
    const inputs = [...html.matchAll(/<input[^>]*>/g)].map((m) => m[0]).filter((t) => !t.includes('type="hidden"'));
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) {
      const id = input.match(/ id="([^"]+)"/)?.[1];
      expect(id, input).toBeDefined();
      expect(html, input).toContain(`for="${id}"`);
    }
    for (const button of html.match(/<button[^>]*>[^<]*<\/button>/g) ?? []) {
      expect(button.replace(/<[^>]+>/g, "").trim().length, button).toBeGreaterThan(0);
    }
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('class="skip-link" href="#main"');
    expect(html).toContain('name="viewport"');
  });

  it("links public pages that sign-up refers to", async () => {
    for (const path of ["/terms", "/privacy", "/cookies"]) {
      const res = await send(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain("Last updated");
    }
  });

  it("lists on /cookies every cookie the code sets", async () => {
    const html = await textOf("/cookies");
    // Names are shown as text: "_ga_<id>" arrives HTML-escaped.
    const escaped = (name: string) => name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    for (const c of Object.values(COOKIES)) expect(html).toContain(`<code>${escaped(c.name)}</code>`);
  });
});

describe("a record's tags", () => {
  it("are announced as tags: the word is in the text, not an aria-label a paragraph cannot carry", async () => {
    const user = await newTenant();
    const vip = await insertTag(user.tenantId, "VIP");
    const id = await createContact(user.cookie, { first_name: "Ada", last_name: "Lovelace", tag_ids: String(vip) });
    const page = await textOf(`/app/contacts/${id}`, { cookie: user.cookie });
    const list = page.match(/<p class="tag-list">(.*?)<\/p>/s)?.[1] ?? "";
    expect(list).toContain('<span class="visually-hidden">Tags: </span>');
    expect(list).toContain("VIP");
    expect(page).not.toMatch(/<p[^>]*aria-label="Tags"/);
  });
});

describe("navigation", () => {
  // htmx processes every link under a boosted element as a page loads; a boosted <body> cost the contacts list a
  // third of its start-up script time on a phone.
  const boosted = (html: string) => [...html.matchAll(/<(\w+)\b[^>]*\bhx-boost="true"[^>]*>/g)].map((m) => m[0]);

  it("boosts the header's and the settings' navigation only: content links and forms load whole pages", async () => {
    const user = await newTenant("Nav Co");
    await createContact(user.cookie, { first_name: "Ada", last_name: "Lovelace" });
    const list = await textOf("/app/contacts", { cookie: user.cookie });
    expect(list).toMatch(/<body>/);
    expect(boosted(list)).toEqual([expect.stringMatching(/^<nav class="site-nav"/)]);
    expect(list).toMatch(/<a href="\/app\/contacts\/\d+"/);

    // Billing's forms post as pages (the answer is a redirect to Stripe); its tab in the boosted settings
    // navigation opts out, because the billing page has its own CSP.
    const billing = await textOf("/app/settings/billing", { cookie: user.cookie });
    expect(boosted(billing).map((tag) => tag.match(/^<nav class="([^"]+)"/)?.[1])).toEqual([
      "site-nav",
      "tabs settings-nav",
    ]);
    expect(billing).toMatch(/<a href="\/app\/settings\/billing"[^>]*hx-boost="false"/);
    expect(billing).toMatch(/<form method="post" action="\/app\/settings\/billing\/checkout"/);
  });
});
