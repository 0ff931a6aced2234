/**
 * The legal pages as a visitor reads them, the cookie list rendered from the code's own list, and
 * the privacy-policy change notice a signed-in user sees once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COOKIES, cookieLifetime } from "../../src/lib/cookies";
import { LEGAL_DATES, PRIVACY_VERSION, needsPrivacyNotice } from "../../src/lib/legal";
import {
  FEATURE_EVENT_NAMES,
  FEATURE_EVENTS,
  USAGE_RETENTION,
  usageDisclosure,
} from "../../src/services/usage/definitions";
import { cookieHeader, send, setCookies, signUp, textOf } from "../helpers/http";

/** The page's text without tags, with HTML entities decoded, whitespace collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("legal pages", () => {
  it("each renders with its Last updated date, and links to the contact page", async () => {
    for (const [path, heading, date] of [
      ["/privacy", "Privacy policy", LEGAL_DATES.privacy],
      ["/terms", "Terms of service", LEGAL_DATES.terms],
      ["/cookies", "Cookies", LEGAL_DATES.cookies],
    ] as const) {
      const res = await send(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain(`<h1>${heading}</h1>`);
      expect(html, path).toContain(`Last updated: <time datetime="${date}">${date}</time>`);
      expect(html.match(/<main[\s\S]*<\/main>/)![0], `${path}: a contact link in the page itself`).toContain(
        'href="/contact"',
      );
    }
  });

  it("the privacy policy states what the published policy promises", async () => {
    const text = plainText(await textOf("/privacy"));
    for (const claim of [
      "We do not sell, rent or trade personal information",
      "California Consumer Privacy Act (CCPA)",
      "the right to know",
      "the right to delete",
      "We do not sell personal information",
      "Cloudflare D1 Time Travel) age out within 30 days",
      "minimal billing ledger",
      "30 days in which it can be reopened",
      "18 and over",
      "Download my data",
      "suppression list",
      "weekly activity digest, on until you turn it off, and product news, off until you turn it on",
      "one-click unsubscribe",
      "Stripe",
      "Google Analytics",
      "Sentry",
      "never inside the app",
      "Signed-in users see a notice about it once",
      "Your calendar feed: off unless you turn it on in your profile",
      "no email addresses, phone numbers, notes or descriptions",
      "Anyone who holds the address can read the feed",
    ]) {
      expect(text, claim).toContain(claim);
    }
  });

  it("/privacy and /cookies state the app's usage data from its definitions: what, with what, never what, how long", async () => {
    // A tag's end leaves a space before punctuation in plainText: "deal.won : a deal marked won".
    const privacy = plainText(await textOf("/privacy")).replace(/ ([:;,.])/g, "$1");
    const cookies = plainText(await textOf("/cookies")).replace(/ ([:;,.])/g, "$1");
    for (const name of FEATURE_EVENT_NAMES) {
      expect(privacy, name).toContain(`${name}: ${FEATURE_EVENTS[name]}`);
    }
    for (const c of usageDisclosure().collected) expect(privacy, c.label).toContain(`${c.label}: ${c.detail}`);
    for (const text of [privacy, cookies]) {
      expect(text).toContain(`kept at most ${USAGE_RETENTION.rawEventDays} days`);
      expect(text).toContain(`${USAGE_RETENTION.dailyAggregateMonths} months`);
      expect(text).toContain("no cookie: our usage script sets and reads none");
      expect(text).toContain("no IP address");
      expect(text).toContain("no third party");
    }
    expect(privacy).toContain(`usage of the app: raw records at most ${USAGE_RETENTION.rawEventDays} days`);
    // Analytics Engine keeps production's raw points three months and cannot delete one user's: said as such.
    expect(USAGE_RETENTION.rawEventDays).toBeGreaterThanOrEqual(92);
    expect(privacy).toContain(
      `yours stay there, no longer used, until they expire (at most ${USAGE_RETENTION.rawEventDays} days after`,
    );
  });

  it("/cookies lists every cookie the code sets, by name, kind, purpose and lifetime", async () => {
    const html = await textOf("/cookies");
    const rows = [
      ...html.matchAll(
        /<tr><td><code>([\s\S]*?)<\/code><\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/g,
      ),
    ].map((m) =>
      m
        .slice(1)
        .map(plainText)
        .map((s) => s.trim()),
    );
    const listed = Object.values(COOKIES);
    expect(rows).toHaveLength(listed.length);
    for (const cookie of listed) {
      const row = rows.find((r) => r[0] === cookie.name);
      expect(row, cookie.name).toBeDefined();
      expect(row![1]!.toLowerCase(), cookie.name).toContain(cookie.category);
      expect(row![2], cookie.name).toBe(cookie.purpose);
      expect(row![3], cookie.name).toBe(cookieLifetime(cookie));
    }
    // The consent cookie and Google Analytics' cookies are among them.
    expect(rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(["__Host-consent", "_ga", "_ga_<id>", "__Host-session", "theme"]),
    );
    expect(rows.find((r) => r[0] === COOKIES.workspace.name)![3]).toBe("30 days; removed when you log out.");
  });

  it("sets each cookie with the max-age /cookies publishes for it", async () => {
    const { cookie, response } = await signUp();
    const seen = new Map<string, string[]>();
    const collect = (res: Response) => {
      for (const [name, { attributes }] of setCookies(res)) seen.set(name, attributes);
    };
    collect(response);
    collect(await send("/app", { cookie }));
    collect(await send("/preferences/theme", { form: { theme: "dark", back: "/" } }));
    collect(await send("/consent", { form: { analytics: "reject", back: "/" } }));
    const withAge = Object.values(COOKIES).filter(
      (k): k is typeof k & { maxAge: number } => "maxAge" in k && typeof k.maxAge === "number",
    );
    expect(withAge.map((k) => k.name).sort()).toEqual(
      [COOKIES.consent.name, COOKIES.workspace.name, COOKIES.theme.name].sort(),
    );
    for (const k of withAge) {
      const attributes = seen.get(k.name);
      expect(attributes, k.name).toBeDefined();
      expect(
        attributes!.find((a) => /^max-age=/i.test(a)),
        k.name,
      ).toBe(`Max-Age=${k.maxAge}`);
    }
    // Logging out removes the workspace cookie with the session, as /cookies says.
    const out = await send("/logout", { method: "POST", cookie: cookieHeader(await send("/app", { cookie }), cookie) });
    expect(setCookies(out).get(COOKIES.workspace.name)?.attributes).toContainEqual(
      expect.stringMatching(/^max-age=0$/i),
    );
  });

  it("every page's footer links to the contact page and the cookie settings", async () => {
    const { cookie } = await signUp();
    for (const [path, c] of [
      ["/", ""],
      ["/terms", ""],
      ["/app", cookie],
    ] as const) {
      const footer = (await textOf(path, { cookie: c })).match(/<footer[\s\S]*<\/footer>/)![0];
      expect(footer, path).toContain('<a href="/contact">Contact</a>');
      expect(footer, path).toContain('<a href="/cookies#cookie-settings">Cookie settings</a>');
    }
  });
});

describe("the privacy-policy change notice", () => {
  const NOTICE = 'id="privacy-notice"';

  async function userRow(email: string) {
    return (await env.DB.prepare("SELECT id, terms_accepted_at, privacy_seen_version FROM users WHERE email = ?")
      .bind(email)
      .first<{
        id: string;
        terms_accepted_at: number;
        privacy_seen_version: string | null;
      }>())!;
  }

  /** A user who accepted the policy before its current date (signed up earlier). */
  async function longStandingUser() {
    const user = await signUp();
    await env.DB.prepare("UPDATE users SET terms_accepted_at = ? WHERE email = ?")
      .bind(Date.parse("2025-03-01T12:00:00Z"), user.email)
      .run();
    return user;
  }

  it("is not shown to someone who signed up under the current policy", async () => {
    const { cookie } = await signUp();
    const res = await send("/app", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Dashboard · CustomerTrackr</title>");
    expect(html).not.toContain(NOTICE);
  });

  it("shows once to a user who accepted an older policy, on every page, until dismissed", async () => {
    const { cookie, email } = await longStandingUser();
    for (const path of ["/app", "/app/contacts", "/privacy"]) {
      const html = await textOf(path, { cookie });
      expect(html, path).toContain(NOTICE);
      expect(html, path).toContain(`We updated our privacy policy on <time datetime="${PRIVACY_VERSION}">`);
    }

    // Dismissing without JavaScript: a POST, then back to the page.
    const dismissed = await send("/app/privacy-notice", {
      cookie,
      form: { version: PRIVACY_VERSION, back: "/app/contacts" },
    });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.get("Location")).toBe("/app/contacts");
    expect((await userRow(email)).privacy_seen_version).toBe(PRIVACY_VERSION);
    for (const path of ["/app", "/app/contacts", "/privacy"]) {
      const res = await send(path, { cookie });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain('<main id="main"');
      expect(html, path).not.toContain(NOTICE);
    }
  });

  it("dismisses with htmx by removing just the notice", async () => {
    const { cookie } = await longStandingUser();
    const res = await send("/app/privacy-notice", {
      cookie,
      form: { version: PRIVACY_VERSION, back: "/app" },
      headers: { "HX-Request": "true" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await textOf("/app", { cookie })).not.toContain(NOTICE);
  });

  it("a notice of an older version dismisses nothing: the current one comes back", async () => {
    const { cookie, email } = await longStandingUser();
    const res = await send("/app/privacy-notice", {
      cookie,
      form: { version: "2025-01-01", back: "/app" },
      headers: { "HX-Request": "true" },
    });
    expect(await res.text()).toContain(`datetime="${PRIVACY_VERSION}"`);
    expect((await userRow(email)).privacy_seen_version).toBeNull();
    expect(await textOf("/app", { cookie })).toContain(NOTICE);
  });

  it("shows again when the policy's date is newer than the one the user dismissed", async () => {
    const { cookie, email } = await longStandingUser();
    await send("/app/privacy-notice", { cookie, form: { version: PRIVACY_VERSION, back: "/app" } });
    expect(await textOf("/app", { cookie })).not.toContain(NOTICE);
    const row = await userRow(email);
    const user = { termsAcceptedAt: row.terms_accepted_at, privacySeenVersion: row.privacy_seen_version };
    // The stored state, against today's policy and against a policy dated later.
    expect(needsPrivacyNotice(user)).toBe(false);
    expect(needsPrivacyNotice(user, "2099-01-01")).toBe(true);

    // What the user sees once the date they dismissed is older than the policy's (as after a change).
    await env.DB.prepare("UPDATE users SET privacy_seen_version = '2025-06-01' WHERE email = ?").bind(email).run();
    expect(await textOf("/app", { cookie })).toContain(NOTICE);
    await send("/app/privacy-notice", { cookie, form: { version: PRIVACY_VERSION, back: "/app" } });
    expect(await textOf("/app", { cookie })).not.toContain(NOTICE);
  });

  it("needs a session to dismiss", async () => {
    const res = await send("/app/privacy-notice", { form: { version: PRIVACY_VERSION } });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});
