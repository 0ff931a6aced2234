-- Shards (issue 20, docs/scale.md). Every database (DB and each SHARD_n) gets every migration; these three
-- tables are used on the control database (DB) only and stay empty on a shard.
--
-- The workspace directory: which database holds a workspace's CRM data. A workspace without a row lives on
-- DB, where every workspace lived before shards. `moving` freezes the workspace's writes while a move
-- catches up (src/services/shards/freeze.ts).
CREATE TABLE `workspace_shards` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`shard` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`moved_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- What placement reads, one row per database: its size as D1 last reported it, and its workspaces
-- (counted up at each placement, recounted when the sizes are measured).
CREATE TABLE `shard_stats` (
	`shard` text PRIMARY KEY NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`workspaces` integer DEFAULT 0 NOT NULL,
	`measured_at` integer
);
--> statement-breakpoint
-- A workspace's move between databases, one bounded step per Queue message (src/services/shards/move.ts).
CREATE TABLE `shard_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`source` text NOT NULL,
	`target` text NOT NULL,
	`status` text NOT NULL,
	`table_index` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`tally` text,
	`frozen_at` integer,
	`message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`watchdog_at` integer,
	`watchdog_seen_at` integer,
	`watchdog_tries` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shard_moves_tenant_idx` ON `shard_moves` (`tenant_id`, `created_at`);
--> statement-breakpoint
-- One move at a time per workspace.
CREATE UNIQUE INDEX `shard_moves_one_working` ON `shard_moves` (`tenant_id`) WHERE status NOT IN ('done', 'failed');
--> statement-breakpoint
CREATE INDEX `shard_moves_working_idx` ON `shard_moves` (`updated_at`) WHERE status NOT IN ('done', 'failed');
