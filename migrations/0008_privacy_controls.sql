CREATE TABLE `data_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`includes_workspace` integer NOT NULL,
	`status` text NOT NULL,
	`object_key` text,
	`size` integer,
	`message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ready_at` integer,
	`expires_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `data_exports_tenant_user_idx` ON `data_exports` (`tenant_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `data_exports_user_fk_idx` ON `data_exports` (`user_id`);--> statement-breakpoint
CREATE TABLE `digest_runs` (
	`week` text PRIMARY KEY NOT NULL,
	`after_user_id` text DEFAULT '' NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `email_preferences` (
	`user_id` text PRIMARY KEY NOT NULL,
	`digest` integer DEFAULT true NOT NULL,
	`news` integer DEFAULT false NOT NULL,
	`digest_week` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`tenant_id` text NOT NULL,
	`email_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `email_hash`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `headers` text;--> statement-breakpoint
ALTER TABLE `users` ADD `name` text;--> statement-breakpoint
CREATE INDEX `audit_log_tenant_target_idx` ON `audit_log` (`tenant_id`,`target_type`,`target_id`,`id`);