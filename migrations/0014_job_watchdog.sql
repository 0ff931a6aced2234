-- The job watchdog (src/services/job-watchdog.ts): a background job whose step went silent for two
-- minutes gets its step sent again; after five re-sends without progress it fails with a reason.
-- `updated_at` is each job's heartbeat; these columns are the watchdog's own bookkeeping.
ALTER TABLE `import_jobs` ADD `watchdog_at` integer;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `watchdog_seen_at` integer;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `watchdog_tries` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `stopped_during` text;--> statement-breakpoint
CREATE INDEX `import_jobs_working_idx` ON `import_jobs` (`updated_at`) WHERE status IN ('analysing', 'committing', 'undoing');--> statement-breakpoint
ALTER TABLE `data_exports` ADD `base_url` text;--> statement-breakpoint
ALTER TABLE `data_exports` ADD `watchdog_at` integer;--> statement-breakpoint
ALTER TABLE `data_exports` ADD `watchdog_seen_at` integer;--> statement-breakpoint
ALTER TABLE `data_exports` ADD `watchdog_tries` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `data_exports_working_idx` ON `data_exports` (`updated_at`) WHERE status = 'queued';
