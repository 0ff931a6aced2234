/**
 * Deliveries: signed so the receiver's own Standard Webhooks library verifies them, tried again with growing
 * delays when the receiver fails, never stranded by a lost Queue message, and an endpoint that fails for
 * three days is disabled and its workspace's admins told. Isolated: the cron runs at chosen future times.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { WebhookMessage } from "../../src/services/webhooks/deliver";
import { RETRY_FOR_MS, runWebhookDelivery } from "../../src/services/webhooks/deliver";
import { post } from "../contacts/contact-helpers";
import { send } from "../helpers/http";
import { mailTo } from "../helpers/mail";
import { memberOf, newTenant } from "../helpers/tenants";
import { deliver, HeldQueue, jobEnv, runCron, type JobEnv } from "../jobs/helpers";
import { addEndpoint, deliveriesOf, eventsOf, received, receiverUrl, scriptReceiver } from "./helpers";

/** A workspace with one endpoint on the receiver `name`, a queue that holds what the app sends, and a contact created. */
async function hookedWorkspace(name: string, company = `Hooks ${name}`) {
  const t = await newTenant(company);
  const endpoint = await addEndpoint(t.cookie, receiverUrl(name), ["contact.created"]);
  const q = new HeldQueue();
  const bindings = jobEnv(q);
  await addContact(t.cookie, bindings, "Ada");
  return { t, endpoint, q, bindings };
}

/** Adds a contact through the form, with the app's queue held by the test. */
async function addContact(cookie: string, bindings: JobEnv, firstName: string) {
  const res = await send("/app/contacts", {
    cookie,
    env: bindings,
    form: { first_name: firstName, last_name: "Lovelace", emails: `${firstName.toLowerCase()}@example.com` },
  });
  expect(res.status).toBe(303);
}

/** The held message of the workspace's one delivery, taken off the queue. */
function takeDelivery(q: HeldQueue, tenantId: string): WebhookMessage {
  const i = q.held.findIndex((m) => m.type === "webhooks.deliver" && m.tenantId === tenantId);
  expect(i, "a held delivery message").toBeGreaterThanOrEqual(0);
  return q.held.splice(i, 1)[0] as WebhookMessage;
}

const attemptAt = (bindings: JobEnv, message: WebhookMessage, at: number) =>
  runWebhookDelivery(bindings as never, message, at);

/** The origin the app's mail links to: the attempts run with no request to take one from. */
const APP_URL = "https://crm.example.test";

/** Attempts the workspace's one delivery, against a receiver failing every time, until the endpoint is disabled. */
async function failForThreeDays(t: { tenantId: string }, q: HeldQueue, bindings: JobEnv) {
  const t0 = Date.now();
  await runCron(bindings, t0);
  const message = takeDelivery(q, t.tenantId);
  let at = t0;
  for (let i = 0; i < 30; i += 1) {
    await attemptAt(bindings, message, at);
    const [row] = await deliveriesOf(t.tenantId);
    if (row!.status !== "pending") break;
    at = row!.next_attempt_at;
  }
  return at;
}

describe("webhook deliveries", () => {
  it("are signed per Standard Webhooks: the library's own verify accepts them, and refuses another secret", async () => {
    const { t, endpoint, q, bindings } = await hookedWorkspace("signed");
    await runCron(bindings, Date.now());
    expect(await deliver(bindings, takeDelivery(q, t.tenantId))).toBe(true);

    const [got] = await received("signed");
    expect(got).toBeDefined();
    const page = await (await post(`/app/settings/webhooks/${endpoint}/secret`, t.cookie, {})).text();
    const secret = page.match(/<code id="signing-secret">(whsec_[A-Za-z0-9+/=]+)<\/code>/)![1]!;
    const body = new Webhook(secret).verify(got!.body, got!.headers) as { type: string; data: { first_name: string } };
    expect(body.type).toBe("contact.created");
    expect(body.data.first_name).toBe("Ada");
    expect(got!.headers["webhook-id"]).toBe((await eventsOf(t.tenantId))[0]!.id);
    expect(() => new Webhook(`whsec_${btoa("another secret of 24 byte")}`).verify(got!.body, got!.headers)).toThrow();

    const [done] = await deliveriesOf(t.tenantId);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, last_status: 200, response: "received" });
  });

  it("are tried again with growing delays when the receiver fails, until it answers", async () => {
    const { t, q, bindings } = await hookedWorkspace("flaky");
    await scriptReceiver("flaky", [500, 503]);
    const t0 = Date.now();
    await runCron(bindings, t0);
    const message = takeDelivery(q, t.tenantId);

    await attemptAt(bindings, message, t0);
    let [row] = await deliveriesOf(t.tenantId);
    expect(row).toMatchObject({ status: "pending", attempts: 1, last_status: 500, next_attempt_at: t0 + 5_000 });
    expect(row!.response).toContain("receiver failed with 500");
    // The retry's message was sent by the attempt itself.
    expect(q.held.filter((m) => m.type === "webhooks.deliver")).toHaveLength(1);

    // A message that arrives before its time sends nothing.
    await attemptAt(bindings, message, t0 + 1_000);
    expect(await received("flaky")).toHaveLength(1);

    await attemptAt(bindings, message, t0 + 5_000);
    [row] = await deliveriesOf(t.tenantId);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 2,
      last_status: 503,
      next_attempt_at: t0 + 5_000 + 300_000,
    });

    await attemptAt(bindings, message, t0 + 305_000);
    [row] = await deliveriesOf(t.tenantId);
    expect(row).toMatchObject({ status: "succeeded", attempts: 3, last_status: 200 });
    // A duplicate of the message after success sends nothing more.
    await attemptAt(bindings, message, t0 + 400_000);
    const got = await received("flaky");
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
  });

  it("are queued by the cron, and sent again when their Queue message is lost", async () => {
    const { t, q, bindings } = await hookedWorkspace("lost");
    expect(q.held.filter((m) => m.type === "webhooks.deliver")).toHaveLength(0);
    const t0 = Date.now();
    await runCron(bindings, t0);
    takeDelivery(q, t.tenantId); // lost
    await runCron(bindings, t0 + 60_000);
    expect(q.held.filter((m) => m.type === "webhooks.deliver")).toHaveLength(0);
    await runCron(bindings, t0 + 3 * 60_000);
    const resent = takeDelivery(q, t.tenantId);
    await attemptAt(bindings, resent, t0 + 3 * 60_000);
    expect(await received("lost")).toHaveLength(1);
    expect((await deliveriesOf(t.tenantId))[0]).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("disable an endpoint that fails for three days and email the workspace's admins, once", async () => {
    const { t, endpoint, q, bindings } = await hookedWorkspace("down");
    const admin = await memberOf(t.tenantId, "admin");
    const member = await memberOf(t.tenantId, "member");
    await scriptReceiver("down", Array(40).fill(500));
    const at = await failForThreeDays(t, q, { ...bindings, APP_URL });
    const [row] = await deliveriesOf(t.tenantId);
    expect(row!.status).toBe("failed");
    expect(row!.attempts).toBeGreaterThan(6);
    expect(at - row!.created_at).toBe(RETRY_FOR_MS);

    const ep = await env.DB.prepare("SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = ?")
      .bind(endpoint)
      .first<{ enabled: number; disabled_reason: string }>();
    expect(ep).toEqual({ enabled: 0, disabled_reason: "Deliveries failed for three days." });
    for (const who of [t.email, admin.email])
      expect((await mailTo(who)).filter((m) => m.kind === "webhook_disabled")).toHaveLength(1);
    // The link opens the endpoint in its workspace, whichever of theirs the reader's browser works in.
    const [mail] = (await mailTo(t.email)).filter((m) => m.kind === "webhook_disabled");
    expect(mail!.text_body).toContain(
      `${APP_URL}/app/workspaces/open/${t.tenantId}?to=${encodeURIComponent(`/app/settings/webhooks/${endpoint}`)}`,
    );
    expect((await mailTo(member.email)).filter((m) => m.kind === "webhook_disabled")).toHaveLength(0);

    // Disabled: a new change writes no event; the page says why.
    await addContact(t.cookie, bindings, "Later");
    expect(await eventsOf(t.tenantId)).toHaveLength(1);
    const page = await (await post(`/app/settings/webhooks/${endpoint}/secret`, t.cookie, {})).text();
    expect(page).toContain("Deliveries failed for three days.");
  });

  it("disable an endpoint with a mail whose subject is one line, whatever the workspace's name holds", async () => {
    const { t, q, bindings } = await hookedWorkspace("crlf", "Hooks\r\nBcc: everyone@example.com");
    await scriptReceiver("crlf", Array(40).fill(500));
    await failForThreeDays(t, q, { ...bindings, APP_URL });
    const [mail] = (await mailTo(t.email)).filter((m) => m.kind === "webhook_disabled");
    expect(mail!.subject).toBe("A webhook endpoint of Hooks Bcc: everyone@example.com was disabled");
    expect(mail!.subject).not.toMatch(/[\r\n]/);
  });

  it("disable an endpoint without APP_URL, and mail no link to a path alone", async () => {
    const { t, endpoint, q, bindings } = await hookedWorkspace("no-origin");
    await scriptReceiver("no-origin", Array(40).fill(500));
    await failForThreeDays(t, q, bindings);
    const ep = await env.DB.prepare("SELECT enabled FROM webhook_endpoints WHERE id = ?").bind(endpoint).first();
    expect(ep).toEqual({ enabled: 0 });
    const mails = await mailTo(t.email);
    expect(mails.filter((m) => m.kind === "webhook_disabled")).toHaveLength(0);
    for (const m of mails) expect(m.html_body, m.kind).not.toMatch(/href="(?!https?:\/\/)/);
  });

  it("keep an endpoint that takes the other events enabled, however long it refuses one", async () => {
    const { t, endpoint, q, bindings } = await hookedWorkspace("picky");
    // The first event is refused every time; one made two days later is taken.
    await scriptReceiver("picky", Array(40).fill(400));
    const t0 = Date.now();
    await runCron(bindings, t0);
    const refused = takeDelivery(q, t.tenantId);
    let at = t0;
    let tookAnother = false;
    for (let i = 0; i < 30; i += 1) {
      if (!tookAnother && at > t0 + 2 * 86_400_000) {
        tookAnother = true;
        q.held.splice(0); // the refused one's retry messages: the test runs its attempts itself
        await scriptReceiver("picky", [200, ...Array(40).fill(400)]);
        await addContact(t.cookie, bindings, "Grace");
        await runCron(bindings, at - 1);
        await attemptAt(bindings, takeDelivery(q, t.tenantId), at - 1);
      }
      await attemptAt(bindings, refused, at);
      const row = (await deliveriesOf(t.tenantId)).find((d) => d.id === refused.deliveryId)!;
      if (row.status !== "pending") break;
      at = row.next_attempt_at;
    }
    expect(tookAnother).toBe(true);
    const statuses = (await deliveriesOf(t.tenantId)).map((d) => [d.id === refused.deliveryId, d.status]);
    expect(statuses.sort()).toEqual([
      [false, "succeeded"],
      [true, "failed"],
    ]);
    const ep = await env.DB.prepare("SELECT enabled FROM webhook_endpoints WHERE id = ?").bind(endpoint).first();
    expect(ep).toEqual({ enabled: 1 });
    expect((await mailTo(t.email)).filter((m) => m.kind === "webhook_disabled")).toHaveLength(0);
  });

  it("send an admin's test event at once, to that endpoint alone, and replay a delivery as the same event", async () => {
    const { t, endpoint, q, bindings } = await hookedWorkspace("tested");
    await runCron(bindings, Date.now());
    await deliver(bindings, takeDelivery(q, t.tenantId));
    const test = await send(`/app/settings/webhooks/${endpoint}/test`, { cookie: t.cookie, form: {}, env: bindings });
    expect(test.headers.get("Location")).toBe(`/app/settings/webhooks/${endpoint}?notice=tested#deliveries-heading`);
    expect(await deliver(bindings, takeDelivery(q, t.tenantId))).toBe(true);
    const got = await received("tested");
    expect(got.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(["contact.created", "webhook.test"]);

    const first = (await deliveriesOf(t.tenantId))[0]!;
    const replay = await send(`/app/settings/webhooks/deliveries/${first.id}/replay`, {
      cookie: t.cookie,
      form: {},
      env: bindings,
    });
    expect(replay.status).toBe(303);
    await deliver(bindings, takeDelivery(q, t.tenantId));
    const again = await received("tested");
    expect(again).toHaveLength(3);
    expect(again[2]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
    const log = await (await send(`/app/settings/webhooks/${endpoint}`, { cookie: t.cookie })).text();
    expect(log.match(/Succeeded/g)).toHaveLength(3);
  });
});
