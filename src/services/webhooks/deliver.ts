/**
 * One delivery attempt, run by the Queue consumer (src/jobs.ts): claims the delivery (a conditional
 * UPDATE, so a duplicate message sends nothing twice), POSTs the event signed per Standard Webhooks,
 * and records the answer. A failure is tried again with growing delays for three days, its message
 * sent with a delay; the sweep (sweep.ts) re-sends any message that was lost. An endpoint that has
 * failed for three days without a success is disabled and the workspace's admins are emailed.
 */
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { createDb } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import { memberships, tenants, users, webhookDeliveries, webhookEndpoints, webhookEvents } from "../../db/schema";
import type { Bindings } from "../../env";
import { isProduction } from "../../lib/dev-tools";
import { webhookDisabledMail } from "../../mail/webhook-messages";
import { oneLineSubject } from "../mail/outbox";
import { mailLink } from "../reminders/links";
import { newId } from "../../lib/ids";
import { runRawBatchRows } from "../../db/raw-batch";
import { workspacePlacement } from "../shards/workspace-db";
import { TEST_EVENT_TYPE } from "./events";
import { checkEndpointUrl } from "./url";

export interface WebhookMessage {
  type: "webhooks.deliver";
  tenantId: string;
  deliveryId: string;
}

/** The message that runs a delivery's next attempt. */
export const webhookMessage = (row: { tenantId: string; id: string }): WebhookMessage => ({
  type: "webhooks.deliver",
  tenantId: row.tenantId,
  deliveryId: row.id,
});

/** Seconds before attempts 2, 3, ...; the last repeats until RETRY_FOR_MS is spent (Queue delays go up to 12 h). */
export const RETRY_DELAYS_S = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600] as const;
/** How long a delivery is tried, and how long an endpoint may fail without a success before it is disabled. */
export const RETRY_FOR_MS = 3 * 24 * 3_600_000;
/**
 * An endpoint is disabled when it has failed for RETRY_FOR_MS less this: its first failure is the first event's
 * first attempt, a little after the event (the sweep runs every minute), and that event's last attempt, at its
 * deadline, must find the endpoint failing for three days.
 */
const FIRST_ATTEMPT_SLACK_MS = 15 * 60_000;
/** How long one attempt holds its claim: longer than the request's timeout. */
const LEASE_MS = 60_000;
const TIMEOUT_MS = 15_000;
/** A message may arrive a little before its time (clocks differ): it still counts as due. */
const EARLY_MS = 1_000;
const SNIPPET_BYTES = 1024;
export const AUTO_DISABLED_REASON = "Deliveries failed for three days.";

/** The delay before the attempt after `attempts` attempts. */
export const retryDelayMs = (attempts: number) => RETRY_DELAYS_S[Math.min(attempts, RETRY_DELAYS_S.length) - 1]! * 1000;

/** The first SNIPPET_BYTES of an answer's body, without reading the rest. */
async function snippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < SNIPPET_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes.slice(0, SNIPPET_BYTES)).replace(/\uFFFD$/, "");
}

/** The body sent for an event: its type, when it happened and its data (the same on every attempt). */
export function eventBody(e: { type: string; createdAt: number; payload: string }): string {
  return `{"type":${JSON.stringify(e.type)},"timestamp":${JSON.stringify(new Date(e.createdAt).toISOString())},"data":${e.payload}}`;
}

interface Attempt {
  status: number | null;
  durationMs: number;
  response: string;
}

/**
 * The secrets a delivery at `now` is signed with: the endpoint's, and for a day after a rotation the one before it,
 * so a receiver still on the old secret verifies too (Standard Webhooks takes several space-separated signatures).
 */
function signingSecrets(
  e: { secret: string; previousSecret: string | null; previousSecretExpiresAt: number | null },
  now: number,
): string[] {
  const previous = e.previousSecret && (e.previousSecretExpiresAt ?? 0) > now ? [e.previousSecret] : [];
  return [e.secret, ...previous];
}

/** POSTs a signed event; never throws (a network failure is an attempt without a status). */
async function post(
  send: typeof fetch,
  url: string,
  secrets: string[],
  event: { id: string; body: string },
  now: number,
): Promise<Attempt> {
  const at = new Date(now);
  const signature = secrets.map((secret) => new Webhook(secret).sign(event.id, at, event.body)).join(" ");
  const started = Date.now();
  try {
    const res = await send(url, {
      method: "POST",
      // Redirects are not followed: a receiver must answer at the address its admin typed.
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "CustomerTrackr-Webhooks/1",
        "webhook-id": event.id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: event.body,
    });
    const response = await snippet(res).catch(() => "");
    return { status: res.status, durationMs: Date.now() - started, response };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    return {
      status: null,
      durationMs: Date.now() - started,
      response: timedOut
        ? `No answer within ${TIMEOUT_MS / 1000} seconds.`
        : `Could not connect: ${String(err).slice(0, 200)}`,
    };
  }
}

/** Claims a due pending delivery for one attempt; null when it is not due, done or not this workspace's. */
async function claim(t: TenantDb, id: string, now: number) {
  const [row] = await t
    .update(
      webhookDeliveries,
      { attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: now + LEASE_MS, updatedAt: now },
      eq(webhookDeliveries.id, id),
      eq(webhookDeliveries.status, "pending"),
      sql`${webhookDeliveries.nextAttemptAt} <= ${now + EARLY_MS}`,
    )
    .returning();
  if (!row) return null;
  const [found] = await t.db
    .select({ endpoint: webhookEndpoints, event: webhookEvents })
    .from(webhookEndpoints)
    .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, t.tenantId), eq(webhookEvents.id, row.eventId)))
    .where(t.where(webhookEndpoints, eq(webhookEndpoints.id, row.endpointId)));
  return found ? { delivery: row, ...found } : null;
}

/** Runs one delivery's attempt at `now`. */
export async function runWebhookDelivery(env: Bindings, message: WebhookMessage, now: number): Promise<void> {
  // The delivery is where the workspace's records are (a shard, after a move); its people on the control database.
  const { t, moving } = await workspacePlacement(env, createDb(env.DB), message.tenantId);
  // A move's catch-up must see every write: the attempt waits out the freeze, then runs where the directory says.
  if (moving) return sendLater(env, message, FROZEN_RETRY_MS);
  const claimed = await claim(t, message.deliveryId, now);
  if (!claimed) return;
  const { delivery, endpoint, event } = claimed;
  const finish = (values: Partial<typeof webhookDeliveries.$inferInsert>) =>
    t.update(webhookDeliveries, { ...values, updatedAt: now }, eq(webhookDeliveries.id, delivery.id));
  // A disabled endpoint gets nothing more, except the test an admin sends to check it.
  if (!endpoint.enabled && event.type !== TEST_EVENT_TYPE) {
    await finish({ status: "failed", response: "Not sent: the endpoint is disabled." });
    return;
  }
  const url = checkEndpointUrl(endpoint.url, isProduction(env));
  if (!url.ok) {
    await finish({ status: "failed", response: `Not sent: ${url.message}` });
    return;
  }
  const send = env.WEBHOOK_FETCH ?? fetch;
  const secrets = signingSecrets(endpoint, now);
  const attempt = await post(send, url.url, secrets, { id: event.id, body: eventBody(event) }, now);
  const recorded = { lastStatus: attempt.status, durationMs: attempt.durationMs, response: attempt.response };
  const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
  if (ok) {
    await t.db.batch([
      finish({ status: "succeeded", ...recorded }),
      t.update(webhookEndpoints, { failingSince: null }, eq(webhookEndpoints.id, endpoint.id)),
    ]);
    return;
  }
  // The last attempt is at the deadline itself, so an endpoint that failed all along is disabled by it.
  const deadline = delivery.createdAt + RETRY_FOR_MS;
  const retry = now < deadline;
  const next = Math.min(now + retryDelayMs(delivery.attempts), deadline);
  await t.db.batch([
    finish({ status: retry ? "pending" : "failed", nextAttemptAt: next, queuedAt: now, ...recorded }),
    t.update(
      webhookEndpoints,
      // Failing since this attempt, unless already failing: the first failure after its last success (an old
      // event it keeps refusing while it takes the others does not make it "failing for three days").
      { failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now})` },
      eq(webhookEndpoints.id, endpoint.id),
    ),
  ]);
  const failingSince = endpoint.failingSince ?? now;
  if (endpoint.enabled && failingSince <= now - RETRY_FOR_MS + FIRST_ATTEMPT_SLACK_MS)
    await disableFailing(t, endpoint.id, env.APP_URL?.replace(/\/+$/, "") || undefined, now);
  if (retry) await sendLater(env, message, next - now);
}

/** How long an attempt waits, when its workspace is being moved, before it looks again. */
const FROZEN_RETRY_MS = 60_000;

/** The retry's message, delayed; a refused send is left to the sweep. */
async function sendLater(env: Bindings, message: WebhookMessage, delayMs: number): Promise<void> {
  try {
    await env.JOBS.send(message, { delaySeconds: Math.min(43_200, Math.ceil(delayMs / 1000)) });
  } catch (err) {
    console.error(
      JSON.stringify({
        type: "job_send_failed",
        job: message.type,
        id: message.deliveryId,
        error: String(err).slice(0, 300),
      }),
    );
  }
}

/**
 * Disables an endpoint that has failed for three days and emails the workspace's admins and owners: the mails
 * are written only when this run's UPDATE is the one that disabled it, so they go out once. On DB both go in
 * one batch; for a workspace on a shard the endpoint is there and the outbox on the control database, so the
 * mails follow the UPDATE that disabled it (a crash between the two loses them, never sends them twice; the
 * endpoint's page says why it was disabled).
 */
async function disableFailing(t: TenantDb, endpointId: string, baseUrl: string | undefined, now: number) {
  const [tenant] = await t.control.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId));
  const admins = await t.control
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, t.tenantId), inArray(memberships.role, ["admin", "owner"])));
  const [endpoint] = await t.db
    .select({ url: webhookEndpoints.url })
    .from(webhookEndpoints)
    .where(t.where(webhookEndpoints, eq(webhookEndpoints.id, endpointId)));
  if (!endpoint) return;
  const mail = webhookDisabledMail({
    tenantName: tenant?.name ?? "your workspace",
    url: endpoint.url,
    link: mailLink(baseUrl ?? "", t.tenantId, `/app/settings/webhooks/${endpointId}`),
  });
  // No APP_URL (no request to take an origin from): disabled without mail, as reminders and the digest go unsent.
  if (!baseUrl) console.error(JSON.stringify({ type: "mail_skipped_no_app_url", kind: mail.kind, tenant: t.tenantId }));
  const recipients = JSON.stringify(baseUrl ? admins.map((a) => ({ id: newId(), user: a.id, to: a.email })) : []);
  const disable = t
    .update(
      webhookEndpoints,
      { enabled: false, disabledReason: AUTO_DISABLED_REASON, updatedAt: now },
      eq(webhookEndpoints.id, endpointId),
      eq(webhookEndpoints.enabled, true),
    )
    .returning({ id: webhookEndpoints.id });
  const mails = (condition: SQL) => sql`INSERT INTO email_outbox (id, tenant_id, user_id, to_address, kind, essential,
      subject, text_body, html_body, status, attempts, next_attempt_at, created_at, updated_at)
    SELECT json_extract(j.value, '$.id'), ${t.tenantId}, json_extract(j.value, '$.user'), json_extract(j.value, '$.to'),
      ${mail.kind}, 1, ${oneLineSubject(mail.subject)}, ${mail.text}, ${mail.html}, 'pending', 0, ${now}, ${now}, ${now}
    FROM json_each(${recipients}) j WHERE ${condition}`;
  let disabled: boolean;
  if (t.db === t.control) {
    // changes() is the UPDATE's just before, in this batch's one connection: 1 only for the run that disabled it.
    const results = await runRawBatchRows(t.db, [
      disable,
      mails(sql`changes() = 1 AND EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = ${t.tenantId}
        AND id = ${endpointId} AND enabled = 0 AND updated_at = ${now} AND disabled_reason = ${AUTO_DISABLED_REASON})`),
    ]);
    disabled = results[0]!.length > 0;
  } else {
    disabled = (await disable).length > 0;
    if (disabled) await t.control.run(mails(sql`true`));
  }
  if (disabled)
    console.log(JSON.stringify({ type: "webhook_endpoint_disabled", tenant: t.tenantId, endpoint: endpointId }));
}
