-- Background work's plans without statistics (test/db/job-plans.test.ts), as 0035 did for requests.
-- A data export reads the mail sent to its user by address or by user id: without an index on the user, it read
-- every workspace's outbox.
CREATE INDEX `email_outbox_user_idx` ON `email_outbox` (`user_id`,`created_at`);--> statement-breakpoint
-- The cron's sweeps of data export archives: those past their link's expiry, and rows past their keeping.
CREATE INDEX `data_exports_expiry_idx` ON `data_exports` (`expires_at`) WHERE status = 'ready';--> statement-breakpoint
CREATE INDEX `data_exports_updated_idx` ON `data_exports` (`updated_at`);
--> statement-breakpoint
-- Erasing a closed workspace deletes its Stripe events, and checks none is left: without an index on the workspace,
-- each chunk read every workspace's events (kept for good: they deduplicate Stripe's deliveries).
CREATE INDEX `stripe_events_tenant_idx` ON `stripe_events` (`tenant_id`);--> statement-breakpoint
-- Erasing a person deletes what they viewed in every workspace: without an index on the user, every view of all.
CREATE INDEX `recent_views_user_idx` ON `recent_views` (`user_id`);
--> statement-breakpoint
-- A move pages each table in the order of an index on the workspace and NOT NULL columns (src/services/shards/
-- rows.ts); the notifications' one holds read_at, which may be null: without this, each page sorted them all.
CREATE INDEX `notifications_tenant_id_idx` ON `notifications` (`tenant_id`,`id`);
