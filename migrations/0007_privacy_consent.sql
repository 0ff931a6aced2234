CREATE TABLE `consent_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consent_id` text NOT NULL,
	`analytics` text NOT NULL,
	`policy_version` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `consent_records_consent_idx` ON `consent_records` (`consent_id`,`id`);--> statement-breakpoint
CREATE INDEX `consent_records_user_fk_idx` ON `consent_records` (`user_id`);--> statement-breakpoint
CREATE INDEX `consent_records_created_idx` ON `consent_records` (`created_at`);--> statement-breakpoint
CREATE TABLE `support_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`message` text NOT NULL,
	`ip_hash` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_messages_created_idx` ON `support_messages` (`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `privacy_seen_version` text;