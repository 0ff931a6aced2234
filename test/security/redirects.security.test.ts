/**
 * Open redirects: every redirect target the app takes from a request (`next` on /login, `back` on the
 * theme switch, the consent choice, the privacy notice and the contacts' bulk actions) gets a table of
 * payloads that browsers turn into another origin, and must answer with its own fallback instead.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, send, signUp } from "../helpers/http";
import { createContact, insertTag, post } from "../contacts/contact-helpers";
import { newTenant } from "../helpers/tenants";
import { PRIVACY_VERSION } from "../../src/lib/legal";

/** Targets that leave the site in some browser, or become a header the runtime refuses (CR, LF). */
const HOSTILE_TARGETS: [label: string, value: string][] = [
  ["tab", "/\t/evil.example/phish"],
  ["CR", "/\r/evil.example/"],
  ["LF", "/\n/evil.example/"],
  ["CRLF header injection", "/app\r\nSet-Cookie: x=1"],
  ["NUL", "/app\u0000"],
  ["leading space", " /app"],
  ["protocol-relative //", "//evil.example/"],
  ["slash backslash", "/\\evil.example"],
  ["backslash slash", "\\/evil.example"],
  ["encoded slash /%2F", "/%2F/evil.example"],
  ["encoded slash /%2f%2f", "/%2f%2fevil.example"],
  ["encoded backslash /%5C", "/%5C/evil.example"],
  ["double-encoded slash", "/%252F/evil.example"],
  ["dot segment to //", "/.//evil.example"],
  ["dot-dot segment to //", "/app/..//evil.example"],
  ["https:", "https://evil.example/"],
  ["scheme without slashes", "https:evil.example"],
  ["javascript:", "javascript:alert(1)"],
  ["full-width slashes", "／／evil.example"],
  ["slash and full-width slash", "/／evil.example"],
  ["full-width backslash", "/＼evil.example"],
  ["ideographic space", "/\u3000/evil.example"],
  ["empty", ""],
];

let owner: Awaited<ReturnType<typeof newTenant>>;
beforeAll(async () => {
  owner = await newTenant("Redirect Co");
});

/** One redirect parameter: how to send a value, and where the app must go when the value is refused. */
interface RedirectParameter {
  name: string;
  fallback: string | RegExp;
  /** The Location (or, for htmx fragments, the `back` the answer carries) for a value. */
  target: (value: string) => Promise<string | null>;
}

const backInput = (html: string) => html.match(/name="back" value="([^"]*)"/)?.[1]?.replaceAll("&amp;", "&") ?? null;
const location = (res: Response) => res.headers.get("Location");
const htmx = { "HX-Request": "true" };

const PARAMETERS: RedirectParameter[] = [
  {
    name: "GET /login?next= (signed in)",
    fallback: "/app",
    target: async (v) => location(await send(`/login?next=${encodeURIComponent(v)}`, { cookie: owner.cookie })),
  },
  {
    name: "POST /login?next= (logging in)",
    fallback: "/app",
    target: async (v) =>
      location(
        await send(`/login?next=${encodeURIComponent(v)}`, { form: { email: owner.email, password: GOOD_PASSWORD } }),
      ),
  },
  {
    name: "POST /preferences/theme back=",
    fallback: "/",
    target: async (v) => location(await send("/preferences/theme", { form: { theme: "dark", back: v } })),
  },
  {
    name: "POST /consent back=",
    fallback: "/",
    target: async (v) => location(await send("/consent", { form: { analytics: "reject", back: v } })),
  },
  {
    name: "POST /consent back= (htmx, cookie settings)",
    fallback: "/cookies",
    target: async (v) => {
      const headers = { ...htmx, "HX-Target": "cookie-settings" };
      // The settings show their buttons (and so their `back`) only with analytics configured.
      const res = await send("/consent", {
        form: { analytics: "reject", back: v },
        headers,
        env: { GA_MEASUREMENT_ID: "G-TEST12345" },
      });
      return backInput(await res.text());
    },
  },
  {
    name: "POST /app/privacy-notice back=",
    fallback: "/app",
    target: async (v) =>
      location(
        await send("/app/privacy-notice", { form: { version: PRIVACY_VERSION, back: v }, cookie: owner.cookie }),
      ),
  },
  {
    name: "POST /app/privacy-notice back= (htmx, an older notice)",
    fallback: "/app",
    target: async (v) => {
      const res = await send("/app/privacy-notice", {
        form: { version: "2000-01-01", back: v },
        cookie: owner.cookie,
        headers: htmx,
      });
      return backInput(await res.text());
    },
  },
  {
    name: "POST /app/contacts/bulk back=",
    fallback: /^\/app\/contacts\?notice=tagged&n=\d+$/,
    target: async (v) => {
      const contact = await createContact(owner.cookie, { first_name: "Ada" });
      const tag = await insertTag(owner.tenantId, `Tag ${contact}`);
      return location(
        await post("/app/contacts/bulk", owner.cookie, {
          action: "tag",
          ids: String(contact),
          tag_id: String(tag),
          back: v,
        }),
      );
    },
  },
];

describe("redirect targets taken from a request", () => {
  for (const p of PARAMETERS) {
    it(`${p.name}: stays on the site for every hostile value`, async () => {
      for (const [label, value] of HOSTILE_TARGETS) {
        const target = await p.target(value);
        if (typeof p.fallback === "string") expect(target, label).toBe(p.fallback);
        else expect(target, label).toMatch(p.fallback);
      }
    });
  }

  it("keeps a plain local path with its query and fragment", async () => {
    const { cookie } = await signUp();
    expect(location(await send(`/login?next=${encodeURIComponent("/app/contacts?q=ada")}`, { cookie }))).toBe(
      "/app/contacts?q=ada",
    );
    const theme = await send("/preferences/theme", { form: { theme: "light", back: "/cookies#cookie-settings" } });
    expect(location(theme)).toBe("/cookies#cookie-settings");
    const contact = await createContact(owner.cookie, { first_name: "Grace" });
    const tag = await insertTag(owner.tenantId, `Kept ${contact}`);
    const bulk = await post("/app/contacts/bulk", owner.cookie, {
      action: "tag",
      ids: String(contact),
      tag_id: String(tag),
      back: "/app/contacts?q=grace",
    });
    expect(location(bulk)).toBe("/app/contacts?q=grace&notice=tagged&n=1");
  });
});
