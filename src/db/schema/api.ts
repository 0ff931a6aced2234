/**
 * The public API and webhooks out: keys, endpoints, events and their deliveries, idempotent answers.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

// API keys: a workspace's keys for /api/v1 (src/services/api/keys.ts): only the secret's SHA-256 is stored.

export const API_KEY_SCOPES = ["read", "read_write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: API_KEY_SCOPES }).notNull(),
    /** The key's first characters ("ct_live_AbCd"), shown in the list so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** Who made it: nulled by account erasure; the key belongs to the workspace and keeps working. */
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    /** Written at most once a minute per key (src/services/api/auth.ts). */
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    // A request arrives with only the key: it is found by its hash, before any workspace is known.
    uniqueIndex("api_keys_secret_unique").on(t.secretHash),
    index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;

// ---- webhooks out (issue 19) ----
// Endpoints a workspace's admins add, the events its changes write in their own batch (the outbox) and one
// delivery per endpoint and event, sent through the Queue (src/services/webhooks/).

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of the event types it is subscribed to. */
    events: text("events").notNull(),
    /** `whsec_` + base64 of 24 random bytes (Standard Webhooks); admins can reveal it. */
    secret: text("secret").notNull(),
    /** The secret before the last rotation: deliveries are signed with it too until previousSecretExpiresAt. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    /** The first failed delivery since the last success; three days of failures disable it. */
    failingSince: integer("failing_since"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.enabled)],
);

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    /** "msg_" + random hex: the webhook-id header, the same on every attempt and replay. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    /** JSON: the event's `data`. */
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("webhook_events_tenant_idx").on(t.tenantId, t.createdAt),
    // The retention job's sweep of events past 30 days, across workspaces.
    index("webhook_events_created_idx").on(t.createdAt),
  ],
);

/** Rows are added by the trigger webhook_events_fan_out (hand-written in migration 0030), one per subscribed endpoint. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due; while an attempt runs, the end of its lease. */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** When a Queue message was last sent for it (null: never): the sweep re-sends a silent one. */
    queuedAt: integer("queued_at"),
    lastStatus: integer("last_status"),
    durationMs: integer("duration_ms"),
    /** The first 1 KB of the last answer, or why there was none. */
    response: text("response"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("webhook_deliveries_tenant_endpoint_idx").on(t.tenantId, t.endpointId, t.createdAt),
    index("webhook_deliveries_endpoint_fk_idx").on(t.endpointId),
    index("webhook_deliveries_event_fk_idx").on(t.eventId),
    // The sweep of due deliveries whose message was lost, across workspaces.
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // The same, for one workspace: the dispatch right after an admin's test or replay.
    index("webhook_deliveries_tenant_due_idx").on(t.tenantId, t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export const API_IDEMPOTENCY_STATES = ["in_progress", "done"] as const;

/** The first answer to a POST under an Idempotency-Key, per API key, replayed for 24 h (src/services/api/idempotency.ts). */
export const apiIdempotency = sqliteTable(
  "api_idempotency",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The API key's id; no foreign key: keys are revoked, never deleted, and go with their workspace. */
    keyId: text("key_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 (hex) of the method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: API_IDEMPOTENCY_STATES }).notNull(),
    status: integer("status"),
    /** JSON: the answer's Content-Type and Location. */
    responseHeaders: text("response_headers"),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.keyId, t.idempotencyKey] }),
    // The retention job's sweep of rows past 24 h, across workspaces.
    index("api_idempotency_created_idx").on(t.createdAt),
  ],
);
