-- Each reader's time zone (IANA), and the workspace's for members who have none.
ALTER TABLE `tenants` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;
