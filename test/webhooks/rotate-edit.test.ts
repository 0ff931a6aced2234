/**
 * Changing an endpoint after it was added: its admin rotates the signing secret (the new one shown once, audited;
 * for 24 hours deliveries carry a signature under the old secret too, so a receiver verifies under either, then
 * only under the new), and edits its URL, description and events with the add form's checks. Members, viewers
 * and other workspaces cannot.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebhookMessage } from "../../src/services/webhooks/deliver";
import { fieldError, post } from "../contacts/contact-helpers";
import { send } from "../helpers/http";
import { memberOf, newTenant } from "../helpers/tenants";
import { deliver, HeldQueue, jobEnv } from "../jobs/helpers";
import { addEndpoint, received, receiverUrl } from "./helpers";
import { runCron } from "../helpers/cron";

afterEach(() => {
  vi.useRealTimers();
});

const SECRET = /<code id="signing-secret">(whsec_[A-Za-z0-9+/=]+)<\/code>/;

async function revealed(cookie: string, endpoint: string): Promise<string> {
  const html = await (await post(`/app/settings/webhooks/${endpoint}/secret`, cookie, {})).text();
  return html.match(SECRET)![1]!;
}

/** Sends a test event to the endpoint as its admin and runs its delivery; returns what the receiver got. */
async function testDelivery(cookie: string, endpoint: string, receiver: string) {
  const q = new HeldQueue();
  const bindings = jobEnv(q);
  const res = await send(`/app/settings/webhooks/${endpoint}/test`, { cookie, form: {}, env: bindings });
  expect(res.status).toBe(303);
  const message = q.held.find((m) => m.type === "webhooks.deliver") as WebhookMessage;
  expect(await deliver(bindings, message)).toBe(true);
  return (await received(receiver)).at(-1)!;
}

async function endpointRow(id: string) {
  return env.DB.prepare("SELECT url, description, events, secret FROM webhook_endpoints WHERE id = ?")
    .bind(id)
    .first<{ url: string; description: string | null; events: string; secret: string }>();
}

async function auditCount(tenantId: string, action: string) {
  return (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = ?")
    .bind(tenantId, action)
    .first<{ n: number }>())!.n;
}

describe("rotating an endpoint's signing secret", () => {
  it("shows the new secret once, audited; both secrets verify for 24 hours, then only the new", async () => {
    const t = await newTenant("Rotating Secrets");
    const other = await newTenant("Rotating Others");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("rotate"), ["contact.created"]);
    const old = await revealed(t.cookie, endpoint);
    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(t.tenantId, role);
      expect((await post(`/app/settings/webhooks/${endpoint}/rotate`, user.cookie, {})).status, role).toBe(403);
    }
    expect((await post(`/app/settings/webhooks/${endpoint}/rotate`, other.cookie, {})).status).toBe(404);
    expect((await endpointRow(endpoint))!.secret).toBe(old);
    expect(await auditCount(t.tenantId, "webhook.secret_rotated")).toBe(0);

    const res = await post(`/app/settings/webhooks/${endpoint}/rotate`, t.cookie, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    const fresh = html.match(SECRET)?.[1];
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(html).toContain("New signing secret (shown this once)");
    expect(html).toContain("signed with the previous secret too until");
    expect(await auditCount(t.tenantId, "webhook.secret_rotated")).toBe(1);
    expect(await revealed(t.cookie, endpoint)).toBe(fresh);

    // During the overlap: the receiver's own library verifies the delivery under either secret.
    const during = await testDelivery(t.cookie, endpoint, "rotate");
    expect(during.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect((new Webhook(old).verify(during.body, during.headers) as { type: string }).type).toBe("webhook.test");
    expect((new Webhook(fresh!).verify(during.body, during.headers) as { type: string }).type).toBe("webhook.test");

    // A day and a minute later (only Date is faked: the signatures' timestamps and the app's clock move together).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 24 * 3_600_000 + 60_000);
    const after = await testDelivery(t.cookie, endpoint, "rotate");
    expect(after.headers["webhook-id"]).not.toBe(during.headers["webhook-id"]);
    expect((new Webhook(fresh!).verify(after.body, after.headers) as { type: string }).type).toBe("webhook.test");
    expect(() => new Webhook(old).verify(after.body, after.headers)).toThrow(/No matching signature/);
    const page = await (await send(`/app/settings/webhooks/${endpoint}`, { cookie: t.cookie })).text();
    expect(page).not.toContain("previous secret");
  });
});

describe("editing an endpoint", () => {
  it("changes URL, description and events with the add form's checks; others cannot", async () => {
    const t = await newTenant("Editing Hooks");
    const other = await newTenant("Editing Others");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("edit"), ["contact.created"]);
    const before = await endpointRow(endpoint);
    const form = { url: receiverUrl("edited"), description: "CRM sync", events: ["contact.created", "deal.created"] };

    for (const role of ["member", "viewer"] as const) {
      const user = await memberOf(t.tenantId, role);
      expect((await send(`/app/settings/webhooks/${endpoint}/edit`, { cookie: user.cookie })).status).toBe(403);
      expect((await post(`/app/settings/webhooks/${endpoint}`, user.cookie, form)).status, role).toBe(403);
    }
    expect((await send(`/app/settings/webhooks/${endpoint}/edit`, { cookie: other.cookie })).status).toBe(404);
    expect((await post(`/app/settings/webhooks/${endpoint}`, other.cookie, form)).status).toBe(404);
    expect(await endpointRow(endpoint)).toEqual(before);

    const edit = await (await send(`/app/settings/webhooks/${endpoint}/edit`, { cookie: t.cookie })).text();
    expect(edit).toContain(`value="${receiverUrl("edit")}"`);
    const version = edit.match(/name="version" value="(\d+)"/)![1]!;

    // In production: a private address is refused by the URL field, and nothing changes.
    const production = await send(`/app/settings/webhooks/${endpoint}`, {
      cookie: t.cookie,
      form: { url: "https://10.0.0.7/hook", events: "contact.created", version },
      env: { ENVIRONMENT: "production" },
    });
    expect(production.status).toBe(422);
    const refused = await production.text();
    expect(fieldError(refused, "f-url")).toMatch(/public address/);
    expect(refused).toContain('value="https://10.0.0.7/hook"');
    const noEvents = await post(`/app/settings/webhooks/${endpoint}`, t.cookie, { url: form.url, version });
    expect(noEvents.status).toBe(422);
    expect(await noEvents.text()).toContain("Choose at least one event.");
    expect(await endpointRow(endpoint)).toEqual(before);
    expect(await auditCount(t.tenantId, "webhook.updated")).toBe(0);

    const saved = await post(`/app/settings/webhooks/${endpoint}`, t.cookie, { ...form, version });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/app/settings/webhooks/${endpoint}?notice=updated`);
    expect(await endpointRow(endpoint)).toEqual({
      url: form.url,
      description: "CRM sync",
      events: JSON.stringify(form.events),
      secret: before!.secret,
    });
    expect(await auditCount(t.tenantId, "webhook.updated")).toBe(1);

    // A second form read before that save: a conflict, its changes not written.
    const stale = await post(`/app/settings/webhooks/${endpoint}`, t.cookie, {
      url: receiverUrl("stale"),
      events: "contact.created",
      version,
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Someone else changed this endpoint while you were editing");
    expect((await endpointRow(endpoint))!.url).toBe(form.url);
    expect(await auditCount(t.tenantId, "webhook.updated")).toBe(1);
  });
});

describe("rotating again, and the secrets rotated out", () => {
  it("a second rotation within the day keeps the secret the receiver has; retention forgets it once it stops", async () => {
    const t = await newTenant("Rotating Twice");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("twice"), ["contact.created"]);
    const original = await revealed(t.cookie, endpoint);
    const first = (await (await post(`/app/settings/webhooks/${endpoint}/rotate`, t.cookie, {})).text()).match(
      SECRET,
    )![1]!;
    // A reload of that page, or a second press: the receiver still holds the original, which keeps signing.
    const second = (await (await post(`/app/settings/webhooks/${endpoint}/rotate`, t.cookie, {})).text()).match(
      SECRET,
    )![1]!;
    expect(new Set([original, first, second]).size).toBe(3);
    const during = await testDelivery(t.cookie, endpoint, "twice");
    expect((new Webhook(original).verify(during.body, during.headers) as { type: string }).type).toBe("webhook.test");
    expect((new Webhook(second).verify(during.body, during.headers) as { type: string }).type).toBe("webhook.test");
    expect(() => new Webhook(first).verify(during.body, during.headers)).toThrow(/No matching signature/);

    const kept = () =>
      env.DB.prepare("SELECT previous_secret FROM webhook_endpoints WHERE id = ?")
        .bind(endpoint)
        .first<string | null>("previous_secret");
    expect(await kept()).toBe(original);
    await runCron(Date.now() + 24 * 3_600_000 - 60_000);
    expect(await kept()).toBe(original);
    await runCron(Date.now() + 24 * 3_600_000 + 60_000);
    expect(await kept()).toBeNull();
  });
});

describe("editing a failing endpoint's URL", () => {
  it("gives the new address its own three days; an edit of the events alone keeps the clock", async () => {
    const t = await newTenant("Failing Edit");
    const endpoint = await addEndpoint(t.cookie, receiverUrl("failing"), ["contact.created"]);
    const since = Date.now() - 2 * 86_400_000;
    await env.DB.prepare("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").bind(since, endpoint).run();
    const failingSince = () =>
      env.DB.prepare("SELECT failing_since FROM webhook_endpoints WHERE id = ?")
        .bind(endpoint)
        .first<number | null>("failing_since");
    const versionOf = async () =>
      (await (await send(`/app/settings/webhooks/${endpoint}/edit`, { cookie: t.cookie })).text()).match(
        /name="version" value="(\d+)"/,
      )![1]!;

    const sameUrl = { url: receiverUrl("failing"), events: ["contact.created", "deal.created"] };
    expect(
      (await post(`/app/settings/webhooks/${endpoint}`, t.cookie, { ...sameUrl, version: await versionOf() })).status,
    ).toBe(303);
    expect(await failingSince()).toBe(since);

    const moved = { url: receiverUrl("fixed"), events: "contact.created" };
    expect(
      (await post(`/app/settings/webhooks/${endpoint}`, t.cookie, { ...moved, version: await versionOf() })).status,
    ).toBe(303);
    expect(await failingSince()).toBeNull();
  });
});
