/**
 * The webhook outbox: the statement a write puts in its own batch to record an event, so a change
 * without its event (or an event without its change) cannot happen. The row is written only when the
 * workspace has an enabled endpoint subscribed to the type (one probe of webhook_endpoints_tenant_idx),
 * so workspaces without webhooks write nothing; the trigger of migration 0030 adds one delivery per
 * such endpoint in the same statement.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { webhookEvents } from "../../db/schema";

export const WEBHOOK_EVENT_TYPES = [
  "contact.created",
  "contact.updated",
  "contact.deleted",
  "company.created",
  "company.updated",
  "company.deleted",
  "deal.created",
  "deal.updated",
  "deal.deleted",
  "deal.stage_changed",
  "deal.won",
  "deal.lost",
  "task.completed",
  "task.reopened",
  "note.created",
  "note.deleted",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The test event an admin sends from the settings page; no write ever emits it. */
export const TEST_EVENT_TYPE = "webhook.test";

/** ISO 8601 in UTC of a millisecond column, as the export writes times (isoTime): integer arithmetic, no float rounding. */
export const isoSql = (column: SQL | string) => {
  const ms = typeof column === "string" ? sql.raw(column) : column;
  return sql`(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000))`;
};

/** Whether the workspace has an enabled endpoint subscribed to `type`: the cheap guard of every event row. */
export function subscribed(t: TenantDb, type: string): SQL {
  return sql`EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = ${t.tenantId} AND e.enabled = 1
    AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = ${type}))`;
}

/**
 * The INSERT of one event per row of `source` (a FROM ... WHERE over the changed records, which must bind
 * the tenant itself) with `data` (a json_object over those rows) as its payload, as raw SQL (runRawBatch).
 */
export function webhookEventSql(t: TenantDb, type: WebhookEventType, data: SQL, source: SQL, now: number): SQL {
  return sql`INSERT INTO webhook_events (id, tenant_id, type, payload, created_at)
    SELECT 'msg_' || lower(hex(randomblob(16))), ${t.tenantId}, ${type}, ${data}, ${now}
    ${source} AND ${subscribed(t, type)}`;
}

/** webhookEventSql as an insert builder, which joins drizzle's batches and the raw ones alike. */
export function webhookEventInsert(t: TenantDb, type: WebhookEventType, data: SQL, source: SQL, now: number) {
  return t.db.insert(webhookEvents).select(
    sql`SELECT 'msg_' || lower(hex(randomblob(16))), ${t.tenantId}, ${type}, ${data}, ${now}
        ${source} AND ${subscribed(t, type)}`,
  );
}

/**
 * Deletes the workspace's events that carry these contacts' details (their own events, and notes and tasks
 * about them), with their deliveries (ON DELETE CASCADE): for an erasure.
 */
export function erasedFromWebhookEvents(t: TenantDb, contactIds: number[]): SQL {
  const ids = JSON.stringify(contactIds);
  return sql`DELETE FROM webhook_events WHERE tenant_id = ${t.tenantId} AND (
    (type IN ('contact.created', 'contact.updated') AND payload ->> '$.id' IN (SELECT value FROM json_each(${ids})))
    OR (type IN ('note.created', 'task.completed', 'task.reopened') AND payload ->> '$.subject_type' = 'contact'
      AND payload ->> '$.subject_id' IN (SELECT value FROM json_each(${ids}))))`;
}
