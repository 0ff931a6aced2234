/**
 * Cookies and consent, as a browser meets them: the banner, the choice and its record, Google
 * Analytics' script tag and the CSP that lets it run (or not), on public pages and under /app.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COOKIES } from "../../src/lib/cookies";
import { ANALYTICS_PATHS } from "../../src/lib/analytics-consent";
import { LEGAL_DATES } from "../../src/lib/legal";
import { LIMITS } from "../../src/auth/rate-limit";
import { cookieHeader, randomIp, send, setCookies, signUp, textOf } from "../helpers/http";
import { GA_ENV, GA_ID, GOOGLE_HOST, attr, consentRows, cspDirectives, cspNonce, scriptTags } from "./helpers";

const CONSENT = COOKIES.consent.name;

/** Chooses through the banner's form as a browser without JavaScript does; returns the new cookies. */
async function choose(
  analytics: "accept" | "reject",
  cookie = "",
  extra: { back?: string; env?: Record<string, string> } = {},
) {
  const res = await send("/consent", {
    form: { analytics, back: extra.back ?? "/" },
    cookie,
    env: extra.env ?? GA_ENV,
  });
  expect(res.status).toBe(303);
  return { res, cookie: cookieHeader(res, cookie) };
}

function consentIdOf(cookie: string): string {
  const value = cookie
    .split("; ")
    .find((p) => p.startsWith(`${CONSENT}=`))!
    .slice(CONSENT.length + 1);
  return value.split(".")[0]!;
}

/** Asserts that a response neither loads GA nor allows Google's hosts. */
async function expectNoAnalytics(res: Response, label: string) {
  const html = await res.text();
  expect(
    scriptTags(html).filter((t) => GOOGLE_HOST.test(t) || /analytics\./.test(t)),
    label,
  ).toEqual([]);
  expect(html, label).not.toMatch(GOOGLE_HOST);
  expect(res.headers.get("Content-Security-Policy") ?? "", label).not.toMatch(GOOGLE_HOST);
  return html;
}

/** Asserts that a page loads GA's loader with the response's nonce and a CSP that lets it run. */
async function expectAnalytics(res: Response, label: string, loaderOrigin = "https://www.googletagmanager.com") {
  expect(res.status, label).toBe(200);
  const html = await res.text();
  const nonce = cspNonce(res);
  const loader = scriptTags(html).find((t) => attr(t, "src") === `${loaderOrigin}/gtag/js?id=${GA_ID}`);
  expect(loader, `${label}: the GA loader tag`).toBeDefined();
  expect(attr(loader!, "nonce"), `${label}: nonce`).toBe(nonce);
  const init = scriptTags(html).find((t) => attr(t, "data-measurement-id") === GA_ID);
  expect(init && attr(init, "src"), `${label}: our GA set-up script`).toMatch(/^\/assets\/analytics\.[0-9a-f]+\.js$/);
  expect(attr(init!, "nonce")).toBe(nonce);
  const csp = cspDirectives(res);
  expect(csp.get("script-src"), label).toContain(loaderOrigin);
  expect(csp.get("script-src"), label).toContain("https://www.googletagmanager.com");
  expect(csp.get("connect-src"), label).toEqual(
    expect.arrayContaining(["https://*.google-analytics.com", "https://*.analytics.google.com"]),
  );
  expect(csp.get("img-src"), label).toContain("https://*.google-analytics.com");
  // Still strict otherwise.
  expect([...csp.values()].flat(), label).not.toContain("'unsafe-inline'");
  expect(csp.get("default-src"), label).toEqual(["'self'"]);
  // Whole-page navigation, so GA cannot ride a boosted swap onto an /app page.
  expect(html, label).not.toContain("hx-boost");
  return html;
}

describe("before any choice", () => {
  it("without a measurement id there is no banner, no GA and no Google host in the CSP", async () => {
    for (const path of ["/", "/privacy", "/contact", "/signup"]) {
      const res = await send(path);
      const html = await expectNoAnalytics(res, path);
      expect(html, path).not.toContain('id="consent-banner"');
    }
  });

  it("asks with two equal, keyboard-reachable buttons that work without JavaScript, and loads nothing from Google", async () => {
    const res = await send("/", { env: GA_ENV });
    const html = await expectNoAnalytics(res, "/");
    const banner = html.match(/<section id="consent-banner"[\s\S]*?<\/section>/)?.[0];
    expect(banner).toBeDefined();
    const form = banner!.match(/<form\b[^>]*>/)![0];
    expect(attr(form, "method")).toBe("post");
    expect(attr(form, "action")).toBe("/consent");
    expect(attr(form, "hx-post")).toBe("/consent");
    const buttons = banner!.match(/<button\b[^>]*>[\s\S]*?<\/button>/g)!;
    expect(buttons).toHaveLength(2);
    const [accept, reject] = buttons.map((b) => ({
      tag: b.match(/<button\b[^>]*>/)![0],
      label: b.replace(/<[^>]+>/g, "").trim(),
    }));
    expect(accept!.label).toBe("Accept analytics cookies");
    expect(reject!.label).toBe("Reject analytics cookies");
    // The same element, type and class: neither is more prominent, and both are in the tab order.
    expect(attr(accept!.tag, "class")).toBe(attr(reject!.tag, "class"));
    expect(attr(accept!.tag, "type")).toBe("submit");
    expect(attr(reject!.tag, "type")).toBe("submit");
    for (const b of [accept!, reject!]) {
      expect(b.tag).not.toMatch(/tabindex|disabled|hidden/);
      expect(attr(b.tag, "name")).toBe("analytics");
    }
    // Essential cookies only: no consent, analytics or theme cookie before a choice.
    expect(
      [...setCookies(res).keys()].filter((n) => n === CONSENT || n.startsWith("_ga") || n === COOKIES.theme.name),
    ).toEqual([]);
  });

  it("shows the banner only on public pages to signed-out visitors, never under /app", async () => {
    const { cookie } = await signUp({}, { env: GA_ENV });
    for (const path of ["/app", "/app/contacts", "/app/settings/profile", "/privacy"]) {
      const html = await textOf(path, { cookie, env: GA_ENV });
      expect(html, path).not.toContain('id="consent-banner"');
      expect(html, path).toContain('href="/cookies#cookie-settings"'); // the footer link is everywhere
    }
    expect(await textOf("/login", { env: GA_ENV })).not.toContain('id="consent-banner"');
  });
});

describe("accepting", () => {
  it("records the choice, sets the consent cookie and goes back (no JavaScript)", async () => {
    const { res, cookie } = await choose("accept", "", { back: "/privacy" });
    expect(res.headers.get("Location")).toBe("/privacy");
    const set = setCookies(res).get(CONSENT)!;
    expect(set.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(["path=/", "secure", "httponly", "samesite=lax"]),
    );
    expect(Number(set.attributes.find((a) => /^max-age=/i.test(a))!.slice(8))).toBe(180 * 24 * 3600);
    const id = consentIdOf(cookie);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const rows = await consentRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      consent_id: id,
      analytics: "accepted",
      policy_version: LEGAL_DATES.cookies,
      user_id: null,
    });
    expect(Math.abs(Number(rows[0]!.created_at) - Date.now())).toBeLessThan(60_000);
    // No IP address is kept with a consent, in any column.
    expect(Object.keys(rows[0]!).filter((k) => /ip/.test(k))).toEqual([]);
  });

  it("then every public page loads the GA loader with the page's nonce, and the CSP allows Google's hosts", async () => {
    const { cookie } = await choose("accept");
    for (const path of ANALYTICS_PATHS) {
      const html = await expectAnalytics(await send(path, { cookie, env: GA_ENV }), path);
      expect(html, path).not.toContain('id="consent-banner"');
    }
  });

  it("never on /app pages, nor anywhere while signed in", async () => {
    const { cookie: consent } = await choose("accept");
    const { cookie: session } = await signUp({}, { env: GA_ENV });
    const cookie = `${session}; ${consent}`;
    for (const path of [
      "/app",
      "/app/contacts",
      "/app/contacts/new",
      "/app/companies",
      "/app/settings/profile",
      "/app/settings/team",
      "/app/no-such-page",
      "/",
      "/privacy",
      "/contact",
    ]) {
      await expectNoAnalytics(await send(path, { cookie, env: GA_ENV }), path);
    }
  });

  it("never on pages outside the public list, error pages or form answers", async () => {
    const { cookie } = await choose("accept");
    for (const [path, opts] of [
      ["/login", {}],
      ["/password/forgot", {}],
      ["/password/reset/sometoken", {}],
      ["/no-such-page", {}],
      ["/contact", { form: { name: "", email: "", message: "" } }],
      ["/signup", { form: { email: "bad" } }],
    ] as const) {
      await expectNoAnalytics(await send(path, { cookie, env: GA_ENV, ...opts }), path);
    }
    // An htmx fragment never carries the loader either.
    await expectNoAnalytics(
      await send("/privacy", { cookie, env: GA_ENV, headers: { "HX-Request": "true" } }),
      "fragment",
    );
  });

  it("loads the loader from GA_SCRIPT_ORIGIN when set, and allows that origin in the CSP", async () => {
    const { cookie } = await choose("accept");
    const res = await send("/", { cookie, env: { ...GA_ENV, GA_SCRIPT_ORIGIN: "http://127.0.0.1:9" } });
    await expectAnalytics(res, "stub origin", "http://127.0.0.1:9");
  });

  it("fails closed on a malformed measurement id or loader origin", async () => {
    const { cookie } = await choose("accept");
    await expectNoAnalytics(await send("/", { cookie, env: { GA_MEASUREMENT_ID: 'G-X"><script>' } }), "bad id");
    await expectNoAnalytics(
      await send("/", { cookie, env: { ...GA_ENV, GA_SCRIPT_ORIGIN: "javascript:alert(1)" } }),
      "bad origin",
    );
  });
});

describe("rejecting", () => {
  it("is recorded, loads nothing, and removes GA's cookies", async () => {
    const { res, cookie } = await choose("reject", `_ga=GA1.1.123.456; _ga_${GA_ID.slice(2)}=GS1.1.789`);
    const id = consentIdOf(cookie);
    expect((await consentRows(id)).map((r) => r.analytics)).toEqual(["rejected"]);
    // Both GA cookies are expired (host-only and for this host as a domain).
    const lines = res.headers.getAll("Set-Cookie");
    for (const name of ["_ga", `_ga_${GA_ID.slice(2)}`]) {
      const removals = lines.filter((l) => l.startsWith(`${name}=;`) && /max-age=0/i.test(l));
      expect(removals.length, name).toBe(2);
    }
    for (const path of ANALYTICS_PATHS) {
      const html = await expectNoAnalytics(await send(path, { cookie, env: GA_ENV }), path);
      expect(html, path).not.toContain('id="consent-banner"');
    }
  });

  it("with htmx answers only the banner's replacement (no reload) and tells the page to stop GA", async () => {
    const res = await send("/consent", {
      form: { analytics: "reject", back: "/" },
      headers: { "HX-Request": "true", "HX-Target": "consent-banner", "HX-Current-URL": "http://localhost/" },
      env: GA_ENV,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Location")).toBeNull();
    expect(JSON.parse(res.headers.get("HX-Trigger")!)).toEqual({ "analytics-consent": "rejected" });
    const html = await res.text();
    expect(html).toMatch(/^<section id="consent-banner"/);
    expect(html).toContain("You rejected analytics cookies");
    expect(html).not.toContain("<title>"); // the page's title stays
    expect(html).not.toContain("<html");
    expect(setCookies(res).get(CONSENT)?.value).toMatch(/\.rejected\./);
  });
});

describe("changing the choice", () => {
  it("from the cookie settings keeps one consent id and records every choice", async () => {
    let { cookie } = await choose("accept");
    const id = consentIdOf(cookie);
    await expectAnalytics(await send("/cookies", { cookie, env: GA_ENV }), "accepted");

    const settings = await send("/consent", {
      form: { analytics: "reject", back: "/cookies#cookie-settings" },
      cookie,
      headers: { "HX-Request": "true", "HX-Target": "cookie-settings" },
      env: GA_ENV,
    });
    expect(settings.status).toBe(200);
    const fragment = await settings.text();
    expect(fragment).toMatch(/^<section id="cookie-settings"/);
    expect(fragment).toContain("You rejected analytics cookies");
    cookie = cookieHeader(settings, cookie);
    expect(consentIdOf(cookie)).toBe(id);
    await expectNoAnalytics(await send("/", { cookie, env: GA_ENV }), "after withdrawing");

    ({ cookie } = await choose("accept", cookie));
    expect(consentIdOf(cookie)).toBe(id);
    await expectAnalytics(await send("/", { cookie, env: GA_ENV }), "accepted again");
    expect((await consentRows(id)).map((r) => r.analytics)).toEqual(["accepted", "rejected", "accepted"]);
  });

  it("the cookies page shows the current choice and the same two buttons", async () => {
    const { cookie } = await choose("reject");
    const html = await textOf("/cookies", { cookie, env: GA_ENV });
    const section = html.match(/<section id="cookie-settings"[\s\S]*?<\/section>/)![0];
    expect(section).toContain("You rejected analytics cookies");
    expect(section).toContain("Accept analytics cookies");
    expect(section).toContain("Reject analytics cookies");
  });

  it("a choice made under an older cookie policy is asked again, under the same consent id", async () => {
    const { cookie } = await choose("accept");
    const id = consentIdOf(cookie);
    const old = `${CONSENT}=${id}.accepted.2020-01-01`;
    const html = await expectNoAnalytics(await send("/", { cookie: old, env: GA_ENV }), "old policy");
    expect(html).toContain('id="consent-banner"');
    const again = await choose("reject", old);
    expect(consentIdOf(again.cookie)).toBe(id);
  });

  it("records the signed-in user who chose", async () => {
    const { cookie, email } = await signUp({}, { env: GA_ENV });
    const chosen = await choose("reject", cookie);
    const row = (await consentRows(consentIdOf(chosen.cookie)))[0]!;
    const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
    expect(row.user_id).toBe(user!.id);
  });

  it("limits choices per IP, so anonymous scripts cannot fill the consent record", async () => {
    const ip = randomIp();
    for (let i = 0; i < LIMITS.consentPerIp.max; i++) {
      expect(
        (await send("/consent", { form: { analytics: i % 2 ? "accept" : "reject" }, ip, env: GA_ENV })).status,
      ).toBe(303);
    }
    const refused = await send("/consent", { form: { analytics: "accept" }, ip, env: GA_ENV });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(setCookies(refused).has(CONSENT)).toBe(false);
  });

  it("refuses anything but accept or reject", async () => {
    const res = await send("/consent", { form: { analytics: "maybe" }, env: GA_ENV });
    expect(res.status).toBe(400);
    expect(setCookies(res).has(CONSENT)).toBe(false);
  });
});

describe("the colour-scheme cookie", () => {
  it("is set only once the visitor picks a scheme", async () => {
    const { cookie } = await signUp();
    for (const [path, c] of [
      ["/", ""],
      ["/privacy", ""],
      ["/cookies", ""],
      ["/app", cookie],
      ["/app/settings/profile", cookie],
    ] as const) {
      const res = await send(path, { cookie: c });
      expect(setCookies(res).has(COOKIES.theme.name), path).toBe(false);
      expect(await res.text(), path).toContain('data-theme="system"');
    }
    const picked = await send("/preferences/theme", { form: { theme: "dark", back: "/privacy" } });
    expect(picked.status).toBe(303);
    expect(picked.headers.get("Location")).toBe("/privacy");
    const set = setCookies(picked).get(COOKIES.theme.name)!;
    expect(set.value).toBe("dark");
    expect(set.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(["path=/", "secure", "samesite=lax"]),
    );
    const after = await send("/privacy", { cookie: cookieHeader(picked) });
    expect(await after.text()).toContain('data-theme="dark"');
  });
});
