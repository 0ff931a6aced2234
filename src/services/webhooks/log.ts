/**
 * An endpoint's delivery log (the last WEBHOOK_LOG_DAYS days, a page at a time, by status) and Replay: of one
 * delivery, or of every failed one at once. A disabled endpoint gets nothing, so neither replays there.
 */
import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { rawBatchResults } from "../../db/raw-batch";
import { insertWhere } from "../../db/sql";
import {
  WEBHOOK_DELIVERY_STATUSES,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookDeliveryStatus,
} from "../../db/schema";
import { newId } from "../../lib/ids";
import { RETRY_FOR_MS } from "./deliver";

/** Days events and their deliveries are kept; the retention job deletes older ones. */
export const WEBHOOK_LOG_DAYS = 30;
/** Deliveries one page of the log shows, newest first. */
export const LOG_PAGE_SIZE = 100;
/**
 * Failed deliveries one "Replay failed deliveries" re-queues at most: one UPDATE, whose rows the cron's sweep sends
 * at 2,000 a minute. An endpoint with more (days of a busy workspace's changes) is replayed in a few presses.
 */
export const BULK_REPLAY_LIMIT = 5_000;

const DAY_MS = 86_400_000;

export interface DeliveryLogRow {
  id: string;
  eventId: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  durationMs: number | null;
  response: string | null;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
}

/** Where a page of the log ends: the last row's creation time and id (the log's order). */
export interface LogCursor {
  createdAt: number;
  id: string;
}

export interface LogQuery {
  status?: WebhookDeliveryStatus;
  before?: LogCursor;
}

/** Delivery ids: newId()s, or 32 hex digits from the trigger of migration 0030. */
const CURSOR = /^(\d{1,15})\.([a-z2-7]{24}|[0-9a-f]{32})$/;

/** The cursor a link's `before` holds ("createdAt.id"); undefined when missing or malformed (the first page). */
export function parseLogCursor(text: string | undefined): LogCursor | undefined {
  const m = text ? CURSOR.exec(text) : null;
  return m ? { createdAt: Number(m[1]), id: m[2]! } : undefined;
}

export const logCursorText = (c: LogCursor) => `${c.createdAt}.${c.id}`;

/** The status a link's `status` names, or undefined for all (and for anything else). */
export function parseLogStatus(text: string | undefined): WebhookDeliveryStatus | undefined {
  return WEBHOOK_DELIVERY_STATUSES.find((s) => s === text);
}

/**
 * One page of the endpoint's deliveries of the last WEBHOOK_LOG_DAYS days, newest first, and the cursor of the
 * next (older) page when there is one.
 */
export async function listDeliveries(
  t: TenantDb,
  endpointId: string,
  now: number,
  q: LogQuery = {},
): Promise<{ rows: DeliveryLogRow[]; older?: LogCursor }> {
  const d = webhookDeliveries;
  const rows = await t.db
    .select({
      id: d.id,
      eventId: d.eventId,
      type: webhookEvents.type,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      durationMs: d.durationMs,
      response: d.response,
      nextAttemptAt: d.nextAttemptAt,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    })
    .from(d)
    .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, d.tenantId), eq(webhookEvents.id, d.eventId)))
    .where(
      t.where(
        d,
        eq(d.endpointId, endpointId),
        gte(d.createdAt, now - WEBHOOK_LOG_DAYS * DAY_MS),
        q.status ? eq(d.status, q.status) : undefined,
        q.before
          ? or(lt(d.createdAt, q.before.createdAt), and(eq(d.createdAt, q.before.createdAt), lt(d.id, q.before.id)))
          : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(LOG_PAGE_SIZE + 1);
  if (rows.length <= LOG_PAGE_SIZE) return { rows };
  const page = rows.slice(0, LOG_PAGE_SIZE);
  const last = page.at(-1)!;
  return { rows: page, older: { createdAt: last.createdAt, id: last.id } };
}

/** The endpoint is the workspace's and enabled, as a statement runs (a check before a write may no longer hold). */
const endpointEnabled = (t: TenantDb, endpointId: string) =>
  sql`EXISTS (SELECT 1 FROM webhook_endpoints WHERE tenant_id = ${t.tenantId} AND id = ${endpointId} AND enabled = 1)`;

export type ReplayResult =
  | { ok: true; endpointId: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "disabled"; endpointId: string };

/**
 * Sends a delivery's event to its endpoint again, as a new delivery (same webhook-id, so a receiver that saw it
 * already can tell); the sweep sends it. Refused while the endpoint is disabled: the attempt would only fail.
 */
export async function replayDelivery(t: TenantDb, deliveryId: string, now: number): Promise<ReplayResult> {
  const [found] = await t.db
    .select({ eventId: webhookDeliveries.eventId, endpointId: webhookDeliveries.endpointId })
    .from(webhookDeliveries)
    .where(t.where(webhookDeliveries, eq(webhookDeliveries.id, deliveryId)));
  if (!found) return { ok: false, reason: "not_found" };
  const row = {
    tenantId: t.tenantId,
    id: newId(),
    endpointId: found.endpointId,
    eventId: found.eventId,
    status: "pending" as const,
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const [inserted] = await rawBatchResults(t.db, [
    sql`${insertWhere({ table: webhookDeliveries, values: row }, endpointEnabled(t, found.endpointId))} RETURNING id`,
  ]);
  if (!inserted?.results.length) return { ok: false, reason: "disabled", endpointId: found.endpointId };
  return { ok: true, endpointId: found.endpointId };
}

export type BulkReplayResult =
  | { ok: true; queued: number; more: boolean }
  | { ok: false; reason: "not_found" | "disabled" };

/**
 * Re-queues the endpoint's failed deliveries of the last WEBHOOK_LOG_DAYS days, oldest first, up to
 * BULK_REPLAY_LIMIT: one UPDATE makes them pending and new again (their three days of retries start now, their
 * last answer is cleared), and the sweep sends them, so no Queue message is needed per row. Pressing it twice
 * re-queues nothing more: they are pending. `more` says failed ones are left past the limit.
 */
export async function replayFailedDeliveries(t: TenantDb, endpointId: string, now: number): Promise<BulkReplayResult> {
  const [endpoint] = await t.db
    .select({ enabled: webhookEndpoints.enabled })
    .from(webhookEndpoints)
    .where(t.where(webhookEndpoints, eq(webhookEndpoints.id, endpointId)));
  if (!endpoint) return { ok: false, reason: "not_found" };
  if (!endpoint.enabled) return { ok: false, reason: "disabled" };
  // Only events retention keeps for a whole new retry window: an older one would be deleted, its delivery with
  // it, before its retries end, leaving no trace in the log.
  const since = now - WEBHOOK_LOG_DAYS * DAY_MS + RETRY_FOR_MS;
  const young = sql`event_id IN (SELECT id FROM webhook_events WHERE tenant_id = ${t.tenantId} AND created_at >= ${since})`;
  const [updated, left, state] = await rawBatchResults(t.db, [
    sql`UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now}, queued_at = NULL,
        last_status = NULL, duration_ms = NULL, response = NULL, created_at = ${now}, updated_at = ${now}
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT id FROM webhook_deliveries WHERE tenant_id = ${t.tenantId}
          AND endpoint_id = ${endpointId} AND ${young} AND status = 'failed'
          ORDER BY created_at LIMIT ${BULK_REPLAY_LIMIT})
        AND ${endpointEnabled(t, endpointId)}`,
    sql`SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE tenant_id = ${t.tenantId} AND endpoint_id = ${endpointId}
      AND ${young} AND status = 'failed') AS more`,
    sql`SELECT ${endpointEnabled(t, endpointId)} AS enabled`,
  ]);
  // Disabled since the check above: the UPDATE's guard wrote nothing.
  if (!(state!.results[0] as { enabled: number }).enabled) return { ok: false, reason: "disabled" };
  const more = Boolean((left!.results[0] as { more: number }).more);
  return { ok: true, queued: updated!.meta.changes ?? 0, more };
}
