-- API keys (issue 19): a workspace's keys for /api/v1. Only the SHA-256 of the secret is kept, so the
-- table never holds a working key; created_by is nulled by account erasure and the key stays the workspace's.
CREATE TABLE `api_keys` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `name` text NOT NULL,
  `scope` text NOT NULL,
  `prefix` text NOT NULL,
  `secret_hash` text NOT NULL,
  `created_by` text,
  `created_at` integer NOT NULL,
  `expires_at` integer,
  `last_used_at` integer,
  `revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_unique` ON `api_keys` (`secret_hash`);
--> statement-breakpoint
CREATE INDEX `api_keys_tenant_idx` ON `api_keys` (`tenant_id`, `created_at`);
