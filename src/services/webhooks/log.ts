/** An endpoint's delivery log (the last WEBHOOK_LOG_DAYS days) and replaying one delivery. */
import { and, desc, eq, gte } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { webhookDeliveries, webhookEvents, type WebhookDeliveryStatus } from "../../db/schema";
import { newId } from "../../lib/ids";

/** Days events and their deliveries are kept; the retention job deletes older ones. */
export const WEBHOOK_LOG_DAYS = 30;
/** Deliveries the log page shows, newest first. */
export const LOG_PAGE_SIZE = 100;

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

/** The endpoint's newest deliveries of the last WEBHOOK_LOG_DAYS days. */
export async function listDeliveries(t: TenantDb, endpointId: string, now: number): Promise<DeliveryLogRow[]> {
  return t.db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      type: webhookEvents.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatus: webhookDeliveries.lastStatus,
      durationMs: webhookDeliveries.durationMs,
      response: webhookDeliveries.response,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
      updatedAt: webhookDeliveries.updatedAt,
    })
    .from(webhookDeliveries)
    .innerJoin(
      webhookEvents,
      and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)),
    )
    .where(
      t.where(
        webhookDeliveries,
        eq(webhookDeliveries.endpointId, endpointId),
        gte(webhookDeliveries.createdAt, now - WEBHOOK_LOG_DAYS * 86_400_000),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(LOG_PAGE_SIZE);
}

/**
 * Sends a delivery's event to its endpoint again, as a new delivery (same webhook-id, so a receiver that
 * saw it already can tell). Returns its endpoint's id; null when the delivery is not this workspace's.
 */
export async function replayDelivery(t: TenantDb, deliveryId: string, now: number): Promise<string | null> {
  const [found] = await t.db
    .select({ eventId: webhookDeliveries.eventId, endpointId: webhookDeliveries.endpointId })
    .from(webhookDeliveries)
    .where(t.where(webhookDeliveries, eq(webhookDeliveries.id, deliveryId)));
  if (!found) return null;
  await t.insert(webhookDeliveries, {
    id: newId(),
    endpointId: found.endpointId,
    eventId: found.eventId,
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return found.endpointId;
}
