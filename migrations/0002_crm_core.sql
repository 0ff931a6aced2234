CREATE TABLE `activities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `activities_tenant_subject_idx` ON `activities` (`tenant_id`,`subject_type`,`subject_id`,`id`);--> statement-breakpoint
CREATE INDEX `activities_tenant_idx` ON `activities` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_sort` text NOT NULL,
	`domain` text,
	`industry` text,
	`size` text,
	`address` text,
	`phone` text,
	`owner_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `companies_tenant_name_idx` ON `companies` (`tenant_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_domain_idx` ON `companies` (`tenant_id`,`domain`);--> statement-breakpoint
CREATE INDEX `companies_tenant_created_idx` ON `companies` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_updated_idx` ON `companies` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `company_tags` (
	`tenant_id` text NOT NULL,
	`company_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `company_id`, `tag_id`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `company_tags_tenant_tag_idx` ON `company_tags` (`tenant_id`,`tag_id`,`company_id`);--> statement-breakpoint
CREATE TABLE `contact_emails` (
	`tenant_id` text NOT NULL,
	`contact_id` integer NOT NULL,
	`position` integer NOT NULL,
	`email` text NOT NULL,
	PRIMARY KEY(`contact_id`, `position`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_emails_tenant_email_idx` ON `contact_emails` (`tenant_id`,`email`);--> statement-breakpoint
CREATE TABLE `contact_phones` (
	`tenant_id` text NOT NULL,
	`contact_id` integer NOT NULL,
	`position` integer NOT NULL,
	`phone` text NOT NULL,
	PRIMARY KEY(`contact_id`, `position`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_phones_tenant_phone_idx` ON `contact_phones` (`tenant_id`,`phone`);--> statement-breakpoint
CREATE TABLE `contact_tags` (
	`tenant_id` text NOT NULL,
	`contact_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `contact_id`, `tag_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_tags_tenant_tag_idx` ON `contact_tags` (`tenant_id`,`tag_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`first_name` text DEFAULT '' NOT NULL,
	`last_name` text DEFAULT '' NOT NULL,
	`name_sort` text NOT NULL,
	`primary_email` text,
	`primary_phone` text,
	`job_title` text,
	`company_id` integer,
	`company_name` text,
	`company_sort` text DEFAULT '' NOT NULL,
	`address` text,
	`owner_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contacts_tenant_name_idx` ON `contacts` (`tenant_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_company_sort_idx` ON `contacts` (`tenant_id`,`company_sort`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_created_idx` ON `contacts` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_updated_idx` ON `contacts` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_activity_idx` ON `contacts` (`tenant_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_company_idx` ON `contacts` (`tenant_id`,`company_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_owner_idx` ON `contacts` (`tenant_id`,`owner_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE TABLE `custom_field_values` (
	`tenant_id` text NOT NULL,
	`field_id` integer NOT NULL,
	`entity_id` integer NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `field_id`, `entity_id`),
	FOREIGN KEY (`field_id`) REFERENCES `custom_fields`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `custom_field_values_tenant_value_idx` ON `custom_field_values` (`tenant_id`,`field_id`,`value`,`entity_id`);--> statement-breakpoint
CREATE INDEX `custom_field_values_tenant_entity_idx` ON `custom_field_values` (`tenant_id`,`entity_id`);--> statement-breakpoint
CREATE TABLE `custom_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`entity` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`kind` text NOT NULL,
	`options` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_fields_tenant_name_unique` ON `custom_fields` (`tenant_id`,`entity`,`name_key`);--> statement-breakpoint
CREATE TABLE `notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notes_tenant_subject_idx` ON `notes` (`tenant_id`,`subject_type`,`subject_id`,`id`);--> statement-breakpoint
CREATE TABLE `recent_views` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` integer NOT NULL,
	`viewed_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_id`, `subject_type`, `subject_id`)
);
--> statement-breakpoint
CREATE INDEX `recent_views_tenant_user_idx` ON `recent_views` (`tenant_id`,`user_id`,`viewed_at`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`color` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_tenant_name_unique` ON `tags` (`tenant_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `tenant_counters` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`contacts` integer DEFAULT 0 NOT NULL,
	`companies` integer DEFAULT 0 NOT NULL,
	`notes` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `default_region` text DEFAULT 'US' NOT NULL;