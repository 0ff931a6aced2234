/**
 * Unreadable request bodies on every route that takes one. The routes come from the app's own route
 * table (`app.routes`), so a new route is covered without being listed here. Each gets a garbage
 * multipart body, JSON where a form belongs, a urlencoded body cut off in the middle of a field, and a
 * body stream that fails part way; /app routes signed in as the owner (who passes every role check),
 * the others also anonymously. Every answer must be a 4xx, and nothing may be written.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { UNREADABLE_FORM_MESSAGE } from "../../src/middleware/form-body";
import { unsubscribeToken } from "../../src/services/account/email-preferences";
import { send, type SendOptions } from "../helpers/http";
import { newTenant } from "../helpers/tenants";
import { createContact, insertCustomField, insertTag } from "../contacts/contact-helpers";
import { createCompanyThroughForm } from "../companies/helpers";

const encoder = new TextEncoder();

/** The request options of one kind of unreadable body, and the status a form route answers it with. */
const PAYLOADS: { name: string; status: number; options: () => SendOptions }[] = [
  {
    name: "garbage multipart",
    status: 400,
    options: () => ({ body: "garbage", headers: { "Content-Type": "multipart/form-data" } }),
  },
  {
    name: "truncated multipart",
    status: 400,
    options: () => ({
      body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nada@exa',
      headers: { "Content-Type": "multipart/form-data; boundary=XyZ" },
    }),
  },
  {
    name: "JSON to a form route",
    status: 415,
    options: () => ({
      body: '{"email":"ada@example.com","first_name":"Ada"}',
      headers: { "Content-Type": "application/json" },
    }),
  },
  {
    name: "urlencoded cut off in a field (Content-Length says more)",
    status: 400,
    options: () => {
      const body = "email=ada%40example.com&first_name=Ad";
      return {
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length + 25) },
      };
    },
  },
  {
    name: "urlencoded stream that fails part way",
    status: 400,
    options: () => ({
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode("first_name=Ada&name=Ada&digest=o"));
          controller.error(new Error("connection reset"));
        },
      }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  },
];

// Routes that read their own bodies: Stripe's signed JSON, the operators' JSON API, RFC 8058 one-click
// unsubscribes (any body, the token is the proof), the 20 MB import upload. Still 4xx, with their own status.
// The API reads its own JSON bodies, after the key (anonymous: 401 first; see test/api for its problem codes).
const OWN_BODY = (method: string, path: string) =>
  /^\/(webhooks|ops|unsubscribe|api)\//.test(path) || (method === "POST" && path === "/app/import");

let owner: Awaited<ReturnType<typeof newTenant>>;
let ids: Record<string, string>;

beforeAll(async () => {
  owner = await newTenant("Body Co");
  const contact = await createContact(owner.cookie, { first_name: "Ada", last_name: "Lovelace" });
  const company = await createCompanyThroughForm(owner.cookie, { name: "Analytical Engines" });
  expect(
    (await send(`/app/contacts/${contact}/notes`, { cookie: owner.cookie, form: { body: "A note" } })).status,
  ).toBe(303);
  const note = await env.DB.prepare("SELECT id FROM notes WHERE tenant_id = ?")
    .bind(owner.tenantId)
    .first<{ id: number }>();
  // Checkbox forms: a garbled request must not save "everything off".
  const prefs = await send("/app/settings/profile/email-preferences", {
    cookie: owner.cookie,
    form: { digest: "on", news: "on" },
  });
  expect(prefs.status).toBe(303);
  expect((await send("/app/settings/profile/name", { cookie: owner.cookie, form: { name: "Ada Owner" } })).status).toBe(
    303,
  );
  ids = {
    contacts: String(contact),
    companies: String(company),
    notes: String(note!.id),
    tags: String(await insertTag(owner.tenantId, "VIP")),
    fields: String(await insertCustomField(owner.tenantId, "Birthday", "text")),
    reopen: owner.tenantId,
  };
});

/** A concrete URL for a route: real records of the owner where the route names one, else a dead id. */
function sample(path: string): string {
  const parts = path.split("/");
  const value = (param: string, i: number) =>
    param === ":token" ? "a".repeat(32) : (ids[parts[i - 1]!] ?? "nosuchthing");
  return parts.map((part, i) => (part.startsWith(":") ? value(part, i) : part)).join("/");
}

/** Every row of every table, to show that nothing was written. */
async function everything(): Promise<Record<string, string[]>> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'contacts_fts_%'",
  ).all<{ name: string }>();
  const out: Record<string, string[]> = {};
  for (const { name } of tables.results) {
    const rows = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** The email preferences of a user, by address. */
const preferencesOf = (email: string) =>
  env.DB.prepare("SELECT digest, news FROM email_preferences ep JOIN users u ON u.id = ep.user_id WHERE u.email = ?")
    .bind(email)
    .first();

const GARBAGE: SendOptions = { body: "garbage", headers: { "Content-Type": "multipart/form-data" } };

/** Every route that takes a body, as "METHOD /path", from the app's route table. */
function bodyRoutes(): string[] {
  const unsafe = app.routes.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method));
  return [...new Set(unsafe.map((r) => `${r.method} ${r.path}`))].sort();
}

describe("unreadable bodies on every route that takes one", () => {
  it("finds the routes in the app's route table", () => {
    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(50);
    const expected = [
      "POST /login",
      "POST /signup",
      "POST /password/forgot",
      "POST /contact",
      "POST /consent",
      "POST /preferences/theme",
      "POST /app/import",
    ];
    for (const r of expected) expect(routes).toContain(r);
  });

  for (const payload of PAYLOADS) {
    it(`${payload.name}: a 4xx everywhere, and nothing written`, async () => {
      const before = await everything();
      for (const route of bodyRoutes()) {
        const [method, path] = route.split(" ") as [string, string];
        // /app routes as the owner; public routes (the anonymous attack surface) both ways.
        const senders: [string, string | undefined][] = path.startsWith("/app")
          ? [["owner", owner.cookie]]
          : [
              ["anonymous", undefined],
              ["owner", owner.cookie],
            ];
        for (const [who, cookie] of senders) {
          const res = await send(sample(path), { method, cookie, ...payload.options() });
          const label = `${payload.name} to ${route} (${who})`;
          expect(res.status, label).toBeGreaterThanOrEqual(400);
          expect(res.status, label).toBeLessThan(500);
          if (!OWN_BODY(method, path)) expect(res.status, label).toBe(payload.status);
        }
      }
      expect(await everything()).toEqual(before);
      expect(await preferencesOf(owner.email)).toEqual({ digest: 1, news: 1 });
    }, 120_000); // every route that takes a body, twice for public ones: ~10 s alone, several times that under load
  }
});

describe("the answer to an unreadable form", () => {
  it("is the form again with a message, under the page's own CSP", async () => {
    const res = await send("/login?next=%2Fapp%2Fcontacts", { method: "POST", ...GARBAGE });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(UNREADABLE_FORM_MESSAGE);
    expect(html).toContain('action="/login?next=%2Fapp%2Fcontacts"');
    const nonce = res.headers.get("Content-Security-Policy")!.match(/'nonce-([^']+)'/)![1]!;
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it("is a record's edit form for its update, signed in", async () => {
    const res = await send(`/app/contacts/${ids.contacts}`, { method: "POST", cookie: owner.cookie, ...GARBAGE });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(UNREADABLE_FORM_MESSAGE);
    expect(html).toContain(`action="/app/contacts/${ids.contacts}"`);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("is a fragment for htmx, and an error page where there is no form page", async () => {
    const htmx = { "Content-Type": "multipart/form-data", "HX-Request": "true" };
    const fragment = await send(`/app/contacts/${ids.contacts}/notes`, {
      method: "POST",
      cookie: owner.cookie,
      body: "garbage",
      headers: htmx,
    });
    expect(fragment.status).toBe(400);
    expect(await fragment.text()).not.toContain("<html");
    const logout = await send("/logout", { method: "POST", cookie: owner.cookie, ...GARBAGE });
    expect(logout.status).toBe(400);
    expect(await logout.text()).toContain("That request could not be read");
  });

  it("leaves readable forms alone: an empty checkbox form still saves every box unticked", async () => {
    const { cookie, email } = await newTenant("Checkbox Co");
    const empty = { body: "", headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    const res = await send("/app/settings/profile/email-preferences", { method: "POST", cookie, ...empty });
    expect(res.status).toBe(303);
    expect(await preferencesOf(email)).toEqual({ digest: 0, news: 0 });
  });

  it("leaves RFC 8058 one-click unsubscribes alone: multipart, urlencoded or any body, the signed link works", async () => {
    const multipart = new FormData();
    multipart.set("List-Unsubscribe", "One-Click");
    const bodies: [string, SendOptions][] = [
      ["multipart", { body: multipart }],
      [
        "urlencoded",
        { body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
      ],
      ["garbage multipart", GARBAGE],
    ];
    for (const [label, options] of bodies) {
      const { email } = await newTenant("One-click Co");
      const user = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first<{ id: string }>();
      const path = `/unsubscribe/${await unsubscribeToken(env.UNSUBSCRIBE_KEY!, user!.id, "digest")}`;
      const res = await send(path, { method: "POST", origin: null, ...options });
      expect(res.status, label).toBe(200);
      const prefs = await env.DB.prepare("SELECT digest FROM email_preferences WHERE user_id = ?")
        .bind(user!.id)
        .first();
      expect(prefs, label).toEqual({ digest: 0 });
    }
  });
});
