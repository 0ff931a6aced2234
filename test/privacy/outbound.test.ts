/**
 * "The server sends personal data only to Stripe, Sentry and the mail provider" (/privacy), observed:
 * every request the Worker makes while a user signs up, works with records, imports, exports, starts
 * a checkout and meets a server error is recorded, and each goes to the local fakes that stand in for
 * those three (test/global-setup.ts). Nothing else leaves the Worker.
 */
import { afterEach, beforeEach, describe, expect, it, inject } from "vitest";
import { failingDatabase } from "../helpers/faults";
import { send, statusOf } from "../helpers/http";
import { deliveredTo } from "../helpers/mail";
import { newTenant } from "../helpers/tenants";
import { importFile } from "../import/helpers";

const realFetch = globalThis.fetch;
let outbound: string[] = [];

beforeEach(() => {
  outbound = [];
  // The Worker runs in this isolate: its fetch() calls (mail API, Stripe SDK, Sentry's transport) come here.
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    outbound.push(new Request(input, init).url);
    return realFetch(input, init);
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe("outbound requests", () => {
  it("go only to the mail provider, Stripe and Sentry", async () => {
    const fake = `127.0.0.1:${inject("fakeApiPort")}`;
    const owner = await newTenant("Outbound Co");
    // Records, an import, exports.
    expect(
      await statusOf("/app/contacts", {
        cookie: owner.cookie,
        form: { first_name: "Ada", last_name: "Lovelace", emails: "ada@example.com" },
      }),
    ).toBe(303);
    await importFile(owner.cookie, "First name,Email\nAlan,alan@example.com");
    expect((await send("/app/export/contacts.csv", { cookie: owner.cookie })).status).toBe(200);
    expect((await send("/app/export/contacts.json", { cookie: owner.cookie })).status).toBe(200);
    // Checkout (Stripe), and a server error reported to Sentry.
    const checkout = await send("/app/settings/billing/checkout", {
      cookie: owner.cookie,
      form: { interval: "monthly" },
    });
    expect(checkout.status).toBe(303);
    await send("/app", {
      cookie: owner.cookie,
      env: { DB: failingDatabase(), SENTRY_DSN: `http://publickey@${fake}/4242` },
    });
    await new Promise((r) => setTimeout(r, 200));

    const paths = outbound.map((u) => new URL(u));
    expect(paths.length).toBeGreaterThan(0);
    for (const u of paths) expect(u.host, u.href).toBe(fake);
    // Each of the three was used, so the check above saw real traffic, not an empty list.
    expect(paths.some((u) => u.pathname === "/mail/send")).toBe(true);
    expect(paths.some((u) => u.pathname.startsWith("/v1/"))).toBe(true);
    expect(paths.some((u) => u.pathname.includes("/api/4242/"))).toBe(true);
    expect(await deliveredTo(owner.email)).not.toHaveLength(0);
  });
});
