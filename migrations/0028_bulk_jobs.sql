-- "Select all matching" beyond one request (issue 18): the filters and action of a background bulk job,
-- walked by id keyset in chunks by the queue consumer, its progress the watchdog's heartbeat.
CREATE TABLE `bulk_jobs` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `entity` text NOT NULL,
  `action` text NOT NULL,
  `tag_id` integer,
  `match_query` text NOT NULL,
  `status` text NOT NULL,
  `after_id` integer DEFAULT 0 NOT NULL,
  `total` integer DEFAULT 0 NOT NULL,
  `walked` integer DEFAULT 0 NOT NULL,
  `changed` integer DEFAULT 0 NOT NULL,
  `message` text,
  `created_by` text,
  `created_at` integer NOT NULL,
  `updated_at` integer NOT NULL,
  `finished_at` integer,
  `watchdog_at` integer,
  `watchdog_seen_at` integer,
  `watchdog_tries` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bulk_jobs_tenant_idx` ON `bulk_jobs` (`tenant_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `bulk_jobs_working_idx` ON `bulk_jobs` (`updated_at`) WHERE status = 'working';
