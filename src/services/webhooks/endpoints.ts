/**
 * A workspace's webhook endpoints, managed by its admins at /app/settings/webhooks: add (URL, events), edit,
 * reveal or rotate the signing secret, disable and enable, delete, send a test event. Each change and its audit
 * entry go in one batch.
 */
import { desc, eq, sql } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import { insertWhere } from "../../db/sql";
import { encodeBase64 } from "@oslojs/encoding";
import type { TenantDb } from "../../db/scoped";
import { webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookEndpoint } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { newId } from "../../lib/ids";
import { auditInsert, auditRow, type AuditAction } from "../audit/audit";
import { TEST_EVENT_TYPE, type WebhookEventType } from "./events";

/** Endpoints one workspace may have: each change fans out to every one of them. */
export const MAX_ENDPOINTS = 20;

export interface EndpointInput {
  url: string;
  description: string | null;
  events: WebhookEventType[];
}

/** How long a rotated-out secret still signs deliveries, so the receiver can switch to the new one. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

/** An endpoint as the pages show it (never a secret). */
export type EndpointSummary = Omit<WebhookEndpoint, "secret" | "previousSecret" | "tenantId" | "events"> & {
  events: string[];
};

const summary = ({
  secret: _s,
  previousSecret: _p,
  tenantId: _t,
  events,
  ...rest
}: WebhookEndpoint): EndpointSummary => ({
  ...rest,
  events: JSON.parse(events) as string[],
});

/** A new signing secret: `whsec_` and 24 random bytes in base64, as Standard Webhooks writes them. */
export function newSigningSecret(): string {
  return `whsec_${encodeBase64(crypto.getRandomValues(new Uint8Array(24)))}`;
}

const audit = (t: TenantDb, actor: Actor, action: AuditAction, e: { id: string; url: string }) =>
  auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action,
    targetType: "webhook",
    targetId: e.id,
    targetLabel: e.url,
    ...actor,
  });

/** The workspace's endpoints, newest first. */
export async function listEndpoints(t: TenantDb): Promise<EndpointSummary[]> {
  const rows = await t.db
    .select()
    .from(webhookEndpoints)
    .where(t.where(webhookEndpoints))
    .orderBy(desc(webhookEndpoints.createdAt));
  return rows.map(summary);
}

async function findEndpoint(t: TenantDb, id: string): Promise<WebhookEndpoint | null> {
  const [row] = await t.db
    .select()
    .from(webhookEndpoints)
    .where(t.where(webhookEndpoints, eq(webhookEndpoints.id, id)))
    .limit(1);
  return row ?? null;
}

/** One endpoint of the workspace, or null. */
export async function getEndpoint(t: TenantDb, id: string): Promise<EndpointSummary | null> {
  const row = await findEndpoint(t, id);
  return row ? summary(row) : null;
}

export type CreateResult = { ok: true; id: string } | { ok: false; field: "url"; message: string };

/** Adds an endpoint with a new secret; refused past MAX_ENDPOINTS (counted inside the batch). */
export async function createEndpoint(t: TenantDb, actor: Actor, input: EndpointInput): Promise<CreateResult> {
  const id = newId();
  const [inserted] = await t.db.batch([
    t.db
      .insert(webhookEndpoints)
      // Every column in the schema's order (no previous secret yet).
      .select(
        sql`SELECT ${id}, ${t.tenantId}, ${input.url}, ${input.description}, ${JSON.stringify(input.events)},
          ${newSigningSecret()}, NULL, NULL, 1, NULL, NULL, ${actor.now}, ${actor.now}
          WHERE (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ${t.tenantId}) < ${MAX_ENDPOINTS}`,
      )
      .returning({ id: webhookEndpoints.id }),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "webhook.created",
      targetType: "webhook",
      targetId: id,
      targetLabel: input.url,
      detail: { events: input.events.join(" ") },
      ...actor,
    }),
  ]);
  if (inserted.length === 0)
    return { ok: false, field: "url", message: `A workspace can have at most ${MAX_ENDPOINTS} endpoints.` };
  return { ok: true, id };
}

/** The signing secret, for an admin who asked to see it (audited). Null when the endpoint is not the tenant's. */
export async function revealSecret(t: TenantDb, actor: Actor, id: string): Promise<string | null> {
  const row = await findEndpoint(t, id);
  if (!row) return null;
  await audit(t, actor, "webhook.secret_shown", row);
  return row.secret;
}

/**
 * Gives the endpoint a new signing secret and returns it (audited); the old one signs deliveries beside it for
 * PREVIOUS_SECRET_MS, unless an earlier rotation's previous secret still does: that one stays, to its own end.
 * Null when the endpoint is not the tenant's.
 */
export async function rotateSecret(t: TenantDb, actor: Actor, id: string): Promise<string | null> {
  const row = await findEndpoint(t, id);
  if (!row) return null;
  const secret = newSigningSecret();
  const [updated] = await t.db.batch([
    t
      .update(
        webhookEndpoints,
        {
          // SQLite reads every right-hand side before it writes: the old secret moves, the new one takes its place.
          // While an earlier rotation's previous secret still signs, it stays (the receiver most likely still has
          // it: a second rotation, or a reload of the page, must not cut it off); the one in between is dropped.
          previousSecret: sql`CASE WHEN ${webhookEndpoints.previousSecretExpiresAt} > ${actor.now}
            THEN ${webhookEndpoints.previousSecret} ELSE ${webhookEndpoints.secret} END`,
          previousSecretExpiresAt: sql`CASE WHEN ${webhookEndpoints.previousSecretExpiresAt} > ${actor.now}
            THEN ${webhookEndpoints.previousSecretExpiresAt} ELSE ${actor.now + PREVIOUS_SECRET_MS} END`,
          secret,
          updatedAt: actor.now,
        },
        eq(webhookEndpoints.id, id),
      )
      .returning({ id: webhookEndpoints.id }),
    audit(t, actor, "webhook.secret_rotated", row),
  ]);
  return updated.length ? secret : null;
}

export type UpdateResult =
  | { ok: true }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; current: EndpointSummary };

/**
 * Changes an endpoint's URL, description and events (audited), only if it is still as the form read it
 * (`version`, its updated_at; undefined: not checked). Another change in between is a conflict, nothing written.
 */
export async function updateEndpoint(
  t: TenantDb,
  actor: Actor,
  id: string,
  version: number | undefined,
  input: EndpointInput,
): Promise<UpdateResult> {
  const row = await findEndpoint(t, id);
  if (!row) return { ok: false, reason: "not_found" };
  const asRead = sql`EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = ${t.tenantId} AND id = ${id}
    AND updated_at = ${version ?? row.updatedAt})`;
  const entry = auditRow({
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "webhook.updated",
    targetType: "webhook",
    targetId: id,
    targetLabel: input.url,
    detail: { events: input.events.join(" "), ...(row.url === input.url ? {} : { previous_url: row.url }) },
    ...actor,
  });
  // The audit entry first: it checks the version before the UPDATE changes updated_at.
  const [, updated] = await rawBatchResults(t.db, [
    insertWhere(entry, asRead),
    sql`UPDATE webhook_endpoints SET url = ${input.url}, description = ${input.description},
        events = ${JSON.stringify(input.events)}, updated_at = ${actor.now},
        -- A new address gets its own three days: the old one's failures do not count against it.
        failing_since = CASE WHEN url = ${input.url} THEN failing_since ELSE NULL END
      WHERE tenant_id = ${t.tenantId} AND id = ${id} AND updated_at = ${version ?? row.updatedAt} RETURNING id`,
  ]);
  if (updated!.results.length) return { ok: true };
  const current = await findEndpoint(t, id);
  return current ? { ok: false, reason: "conflict", current: summary(current) } : { ok: false, reason: "not_found" };
}

/** Disables or enables an endpoint; enabling starts its failure clock afresh. False when it is not the tenant's. */
export async function setEndpointEnabled(t: TenantDb, actor: Actor, id: string, enabled: boolean): Promise<boolean> {
  const row = await findEndpoint(t, id);
  if (!row) return false;
  if (row.enabled === enabled) return true;
  await t.db.batch([
    t.update(
      webhookEndpoints,
      enabled
        ? { enabled, disabledReason: null, failingSince: null, updatedAt: actor.now }
        : { enabled, disabledReason: "Disabled by an admin.", updatedAt: actor.now },
      eq(webhookEndpoints.id, id),
    ),
    audit(t, actor, enabled ? "webhook.enabled" : "webhook.disabled", row),
  ]);
  return true;
}

/** Deletes an endpoint and its delivery log. False when it is not the tenant's. */
export async function deleteEndpoint(t: TenantDb, actor: Actor, id: string): Promise<boolean> {
  const row = await findEndpoint(t, id);
  if (!row) return false;
  await t.db.batch([
    t.delete(webhookDeliveries, eq(webhookDeliveries.endpointId, id)),
    t.delete(webhookEndpoints, eq(webhookEndpoints.id, id)),
    audit(t, actor, "webhook.deleted", row),
  ]);
  return true;
}

/**
 * Queues a test event for this endpoint alone (enabled or not: an admin checks a receiver before
 * turning it on). Returns the delivery's id, or null when the endpoint is not the tenant's.
 */
export async function sendTestEvent(t: TenantDb, actor: Actor, id: string): Promise<string | null> {
  const row = await findEndpoint(t, id);
  if (!row) return null;
  const eventId = `msg_${newId()}`;
  const deliveryId = newId();
  const now = actor.now;
  await t.db.batch([
    t.insert(webhookEvents, {
      id: eventId,
      type: TEST_EVENT_TYPE,
      payload: JSON.stringify({ endpoint_id: id, message: "A test event sent from the settings page." }),
      createdAt: now,
    }),
    t.insert(webhookDeliveries, {
      id: deliveryId,
      endpointId: id,
      eventId,
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    }),
  ]);
  return deliveryId;
}
