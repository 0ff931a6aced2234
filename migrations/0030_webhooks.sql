-- Webhooks out (issue 19): endpoints, the events written in the same batch as each change (an outbox),
-- and one delivery per endpoint and event. A trigger fans each event out to the workspace's enabled
-- endpoints subscribed to its type, so every path that writes an event gets its deliveries in the
-- same statement's transaction.
CREATE TABLE `webhook_endpoints` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `url` text NOT NULL,
  `description` text,
  `events` text NOT NULL,
  `secret` text NOT NULL,
  `enabled` integer DEFAULT true NOT NULL,
  `disabled_reason` text,
  `failing_since` integer,
  `created_at` integer NOT NULL,
  `updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_tenant_idx` ON `webhook_endpoints` (`tenant_id`, `enabled`);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `type` text NOT NULL,
  `payload` text NOT NULL,
  `created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_idx` ON `webhook_events` (`tenant_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `webhook_events_created_idx` ON `webhook_events` (`created_at`);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `endpoint_id` text NOT NULL REFERENCES `webhook_endpoints`(`id`) ON DELETE cascade,
  `event_id` text NOT NULL REFERENCES `webhook_events`(`id`) ON DELETE cascade,
  `status` text NOT NULL,
  `attempts` integer DEFAULT 0 NOT NULL,
  `next_attempt_at` integer NOT NULL,
  `queued_at` integer,
  `last_status` integer,
  `duration_ms` integer,
  `response` text,
  `created_at` integer NOT NULL,
  `updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_tenant_endpoint_idx` ON `webhook_deliveries` (`tenant_id`, `endpoint_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_fk_idx` ON `webhook_deliveries` (`endpoint_id`);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_event_fk_idx` ON `webhook_deliveries` (`event_id`);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`) WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_tenant_due_idx` ON `webhook_deliveries` (`tenant_id`, `next_attempt_at`) WHERE status = 'pending';
--> statement-breakpoint
CREATE TRIGGER `webhook_events_fan_out` AFTER INSERT ON `webhook_events` BEGIN
  INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
  SELECT lower(hex(randomblob(16))), e.tenant_id, e.id, NEW.id, 'pending', 0, NEW.created_at, NEW.created_at, NEW.created_at
  FROM webhook_endpoints e
  WHERE e.tenant_id = NEW.tenant_id AND e.enabled = 1
    AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value = NEW.type);
END;
