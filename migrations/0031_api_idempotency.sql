-- Idempotency-Key on POST under /api/v1 (issue 19): the first answer to a key's request, replayed for 24 h.
-- A row is inserted 'in_progress' before the request runs (a second one under the same key is refused
-- while it runs) and completed after. key_id has no foreign key: keys are revoked, never deleted, and
-- go with their workspace. The response may name people: the retention job deletes rows after 24 h.
CREATE TABLE `api_idempotency` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `key_id` text NOT NULL,
  `idempotency_key` text NOT NULL,
  `request_hash` text NOT NULL,
  `state` text NOT NULL,
  `status` integer,
  `response_headers` text,
  `response_body` text,
  `created_at` integer NOT NULL,
  PRIMARY KEY (`tenant_id`, `key_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE INDEX `api_idempotency_created_idx` ON `api_idempotency` (`created_at`);
