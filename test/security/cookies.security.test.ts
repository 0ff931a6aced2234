/**
 * Every cookie the app reads (COOKIES, so a new one is covered by itself) with hostile values, on the
 * pages that read them, signed in: nothing may answer 5xx. `__Host-tenant=x%22` once put a quote into
 * the contacts search's FTS expression ("D1_ERROR: unterminated string").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { COOKIES } from "../../src/lib/cookies";
import { deferSessionCheck } from "../../src/middleware/session";
import { send } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createContact } from "../contacts/contact-helpers";
import { createCompanyThroughForm } from "../companies/helpers";

const GA_ID = "G-TEST12345";

/** Values a cookie header can carry (percent escapes are decoded by the cookie parser). */
const HOSTILE_VALUES: [label: string, value: string][] = [
  ["empty", ""],
  ["double quote", '"'],
  ["quote at the end", "x%22"],
  ["quote in the middle", 'abc"def'],
  ["FTS syntax", '" OR tenant : *'],
  ["star", "*"],
  ["NUL, escaped", "%00"],
  ["control characters, escaped", "%01%1F%7F"],
  ["lone percent", "%"],
  ["broken escape", "%zz%E0%A4%A"],
  ["semicolon", "a;b"],
  ["equals", "a=b"],
  ["dots", "..."],
  ["non-ASCII, escaped", "%C3%A9%E2%80%AE%F0%9F%92%A5"],
  ["upper-case look-alike id", "A".repeat(24)],
  ["very long", "a".repeat(4000)],
  ["session-like", "a.b"],
];

let owner: Awaited<ReturnType<typeof newTenant>>;
let pages: { method: string; path: string; form?: Record<string, string> }[];

beforeAll(async () => {
  owner = await newTenant("Cookie Co");
  const contact = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
  const company = await createCompanyThroughForm(owner.cookie, { name: "Analytical Engines" });
  pages = [
    { method: "GET", path: "/app/contacts?q=ada" },
    { method: "GET", path: "/app/contacts" },
    { method: "GET", path: `/app/contacts/${contact}` },
    { method: "GET", path: `/app/companies/${company}` },
    { method: "GET", path: "/app/deals" },
    { method: "GET", path: "/app/deals/list" },
    { method: "GET", path: "/app/search?q=ada" },
    { method: "GET", path: "/app/tasks?assignee=all" },
    { method: "GET", path: "/app" },
    { method: "GET", path: "/" },
    { method: "GET", path: "/cookies" },
    { method: "GET", path: "/login" },
    { method: "POST", path: "/consent", form: { analytics: "reject", back: "/" } },
    // The device cookie is read by the login (an unknown address, so the owner's session and counters stay).
    { method: "POST", path: "/login", form: { email: "nobody-here@example.com", password: "not a password" } },
  ];
});

/** The signed-in browser's cookies with one replaced (or added). */
function withCookie(name: string, value: string): string {
  const others = owner.cookie
    .split(";")
    .map((s) => s.trim())
    .filter((pair) => pair && !pair.startsWith(`${name}=`));
  return [...others, `${name}=${value}`].join("; ");
}

describe("hostile cookie values", () => {
  const names = Object.values(COOKIES).map((c) => c.name.replace("<id>", GA_ID.slice(2)));

  it.each(names)("%s: no page answers 5xx", async (name) => {
    for (const [label, value] of HOSTILE_VALUES) {
      for (const page of pages) {
        const cookie = withCookie(name, value);
        const res = await send(page.path, {
          method: page.method,
          form: page.form,
          cookie,
          env: { GA_MEASUREMENT_ID: GA_ID },
        });
        expect(res.status, `${name}=${label} on ${page.method} ${page.path}`).toBeLessThan(500);
      }
    }
  });

  it("covers every page that reads the workspace cookie itself (the routes that start with deferSessionCheck)", () => {
    const deferring = app.routes.filter((r) => r.handler === deferSessionCheck);
    const pattern = (path: string) => new RegExp(`^${path.replace(/:[a-z]+/g, "[^/?]+")}(\\?|$)`);
    const missing = deferring.filter((r) => !pages.some((p) => p.method === r.method && pattern(r.path).test(p.path)));
    expect(deferring.length).toBeGreaterThan(0);
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it("a malformed workspace cookie still shows the session's own search results", async () => {
    const res = await send("/app/contacts?q=ada", { cookie: withCookie(COOKIES.workspace.name, "x%22") });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Lovelace");
    // The hint is put right for the next request.
    expect(
      res.headers.getAll("Set-Cookie").some((c) => c.startsWith(`${COOKIES.workspace.name}=${owner.tenantId};`)),
    ).toBe(true);
  });
});
