-- Follow-ups (issue 15): tasks and their reminders, the bell, logged calls/meetings/emails, private calendar
-- feeds, each user's locale, reminder and agenda mail preferences, and the lists' last-contacted and next-task columns.
CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_secret_unique` ON `calendar_feeds` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `interactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`kind` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`duration_minutes` integer,
	`outcome` text,
	`notes` text,
	`logged_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `interactions_tenant_subject_idx` ON `interactions` (`tenant_id`,`subject_type`,`subject_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `interactions_tenant_idx` ON `interactions` (`tenant_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`task_id` integer,
	`title` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_tenant_user_idx` ON `notifications` (`tenant_id`,`user_id`,`read_at`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_user_fk_idx` ON `notifications` (`user_id`);--> statement-breakpoint
CREATE INDEX `notifications_task_fk_idx` ON `notifications` (`task_id`);--> statement-breakpoint
CREATE TABLE `task_reminders` (
	`tenant_id` text NOT NULL,
	`task_id` integer NOT NULL,
	`remind_at` integer NOT NULL,
	`user_id` text NOT NULL,
	`claim` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`task_id`, `remind_at`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `task_reminders_tenant_idx` ON `task_reminders` (`tenant_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`kind` text DEFAULT 'todo' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`due_date` text NOT NULL,
	`due_time` text,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`due_at` integer,
	`remind_lead` integer,
	`remind_at` integer,
	`assignee_id` text NOT NULL,
	`subject_type` text,
	`subject_id` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`completed_at` integer,
	`completed_by` text,
	`repeat_unit` text,
	`repeat_every` integer,
	`previous_id` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasks_tenant_assignee_idx` ON `tasks` (`tenant_id`,`assignee_id`,`status`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_status_idx` ON `tasks` (`tenant_id`,`status`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_subject_idx` ON `tasks` (`tenant_id`,`subject_type`,`subject_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `tasks_remind_idx` ON `tasks` (`remind_at`) WHERE remind_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `tasks_tenant_previous_idx` ON `tasks` (`tenant_id`,`previous_id`);--> statement-breakpoint
ALTER TABLE `companies` ADD `last_contacted_at` integer;--> statement-breakpoint
ALTER TABLE `companies` ADD `next_task_due` text;--> statement-breakpoint
CREATE INDEX `companies_tenant_contacted_idx` ON `companies` (`tenant_id`,`last_contacted_at`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_next_task_idx` ON `companies` (`tenant_id`,`next_task_due`,`id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_contacted_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `next_task_due` text;--> statement-breakpoint
CREATE INDEX `contacts_tenant_contacted_idx` ON `contacts` (`tenant_id`,`last_contacted_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_next_task_idx` ON `contacts` (`tenant_id`,`next_task_due`,`id`);--> statement-breakpoint
ALTER TABLE `email_preferences` ADD `reminders` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `email_preferences` ADD `agenda` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `email_preferences` ADD `agenda_date` text;--> statement-breakpoint
CREATE INDEX `email_preferences_agenda_idx` ON `email_preferences` (`agenda`,`user_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text;