/**
 * Someone who signs up with another person's address must not leave a way in behind when its owner takes the
 * account back by a password reset (which ends sessions and emailed links): API keys, webhook endpoints and
 * calendar feeds are made only once the address is confirmed, and the form says so by its field.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { post } from "../contacts/contact-helpers";
import { textOf } from "../helpers/http";
import { confirmAddressOf, newTenant } from "../helpers/tenants";

const counts = async (tenantId: string) => {
  const n = async (table: string, column = "tenant_id") =>
    (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
      .bind(tenantId)
      .first<{ n: number }>())!.n;
  return { keys: await n("api_keys"), endpoints: await n("webhook_endpoints"), feeds: await n("calendar_feeds") };
};

describe("an account whose address is not confirmed", () => {
  it("cannot make an API key, a webhook endpoint or a calendar feed until it is", async () => {
    const owner = await newTenant("Unconfirmed Secrets Co");
    const forms: [string, Record<string, string | string[]>, string][] = [
      ["/app/settings/api", { name: "Zapier", scope: "read_write", expires: "never" }, "making an API key"],
      ["/app/settings/webhooks", { url: "https://hooks.example/in", events: ["contact.created"] }, "adding a webhook"],
      ["/app/settings/profile/calendar-feed", {}, "turning on a calendar feed"],
    ];
    for (const [path, form, what] of forms) {
      const res = await post(path, owner.cookie, form);
      expect(res.status, path).toBe(422);
      const html = await res.text();
      expect(html, path).toContain(`Confirm your email address before ${what}`);
      expect(html, path).not.toMatch(/ct_live_|\/cal\/[A-Za-z0-9_-]{20,}\.ics/);
    }
    expect(await counts(owner.tenantId)).toEqual({ keys: 0, endpoints: 0, feeds: 0 });

    await confirmAddressOf(owner.cookie);
    expect((await post("/app/settings/api", owner.cookie, forms[0]![1])).status).toBe(201);
    expect((await post("/app/settings/webhooks", owner.cookie, forms[1]![1])).status).toBe(303);
    expect(await textOf("/app/settings/profile", { cookie: owner.cookie })).toContain("Turn on the calendar feed");
    expect((await post("/app/settings/profile/calendar-feed", owner.cookie, {})).status).toBe(200);
    expect(await counts(owner.tenantId)).toEqual({ keys: 1, endpoints: 1, feeds: 1 });
  });
});
