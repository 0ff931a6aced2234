-- First-party usage analytics (issue 17): raw usage points (the D1 sink: development and tests), their daily
-- aggregates per workspace (kept 25 months), and which days the rollup has made.
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`plan` text NOT NULL,
	`day` text NOT NULL,
	`device` text NOT NULL,
	`seconds` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `usage_events_tenant_user_idx` ON `usage_events` (`tenant_id`,`user_id`,`day`);--> statement-breakpoint
CREATE INDEX `usage_events_day_idx` ON `usage_events` (`day`);--> statement-breakpoint
CREATE INDEX `usage_events_user_idx` ON `usage_events` (`user_id`);--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`device` text NOT NULL,
	`plan` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`seconds` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_daily_unique` ON `usage_daily` (`tenant_id`,`day`,`user_id`,`kind`,`name`,`device`,`plan`);--> statement-breakpoint
CREATE INDEX `usage_daily_day_idx` ON `usage_daily` (`day`);--> statement-breakpoint
CREATE INDEX `usage_daily_user_idx` ON `usage_daily` (`user_id`);--> statement-breakpoint
CREATE TABLE `usage_rollups` (
	`day` text PRIMARY KEY NOT NULL,
	`rolled_at` integer NOT NULL
);
