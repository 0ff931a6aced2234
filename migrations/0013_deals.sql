CREATE TABLE `deal_contacts` (
	`tenant_id` text NOT NULL,
	`deal_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`role` text,
	PRIMARY KEY(`tenant_id`, `deal_id`, `contact_id`),
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deal_contacts_tenant_contact_idx` ON `deal_contacts` (`tenant_id`,`contact_id`,`deal_id`);--> statement-breakpoint
CREATE INDEX `deal_contacts_deal_fk_idx` ON `deal_contacts` (`deal_id`);--> statement-breakpoint
CREATE INDEX `deal_contacts_contact_fk_idx` ON `deal_contacts` (`contact_id`);--> statement-breakpoint
CREATE TABLE `deal_stage_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`deal_id` integer NOT NULL,
	`pipeline_id` integer NOT NULL,
	`stage_id` integer NOT NULL,
	`status` text NOT NULL,
	`entered_at` integer NOT NULL,
	`left_at` integer,
	`actor_id` text,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deal_stage_history_tenant_deal_idx` ON `deal_stage_history` (`tenant_id`,`deal_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `deal_stage_history_tenant_stage_idx` ON `deal_stage_history` (`tenant_id`,`stage_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `deal_stage_history_deal_fk_idx` ON `deal_stage_history` (`deal_id`);--> statement-breakpoint
CREATE TABLE `deal_stage_totals` (
	`tenant_id` text NOT NULL,
	`stage_id` integer NOT NULL,
	`currency` text NOT NULL,
	`deals` integer DEFAULT 0 NOT NULL,
	`amount_minor` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `stage_id`, `currency`),
	FOREIGN KEY (`stage_id`) REFERENCES `pipeline_stages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deal_stage_totals_stage_fk_idx` ON `deal_stage_totals` (`stage_id`);--> statement-breakpoint
CREATE TABLE `deal_tags` (
	`tenant_id` text NOT NULL,
	`deal_id` integer NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `deal_id`, `tag_id`),
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deal_tags_tenant_tag_idx` ON `deal_tags` (`tenant_id`,`tag_id`,`deal_id`);--> statement-breakpoint
CREATE INDEX `deal_tags_deal_fk_idx` ON `deal_tags` (`deal_id`);--> statement-breakpoint
CREATE INDEX `deal_tags_tag_fk_idx` ON `deal_tags` (`tag_id`);--> statement-breakpoint
CREATE TABLE `deals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_sort` text NOT NULL,
	`amount_minor` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`close_date` text,
	`close_key` text DEFAULT '9999-12-31' NOT NULL,
	`owner_id` text,
	`company_id` integer,
	`pipeline_id` integer NOT NULL,
	`stage_id` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`lost_reason` text,
	`closed_on` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stage_id`) REFERENCES `pipeline_stages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deals_tenant_stage_idx` ON `deals` (`tenant_id`,`stage_id`,`status`,`close_key`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_closed_idx` ON `deals` (`tenant_id`,`pipeline_id`,`status`,`closed_on`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_amount_idx` ON `deals` (`tenant_id`,`amount_minor`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_close_idx` ON `deals` (`tenant_id`,`close_key`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_updated_idx` ON `deals` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_name_idx` ON `deals` (`tenant_id`,`name_sort`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_owner_idx` ON `deals` (`tenant_id`,`owner_id`,`close_key`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_company_idx` ON `deals` (`tenant_id`,`company_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `deals_company_fk_idx` ON `deals` (`company_id`);--> statement-breakpoint
CREATE INDEX `deals_pipeline_fk_idx` ON `deals` (`pipeline_id`);--> statement-breakpoint
CREATE INDEX `deals_stage_fk_idx` ON `deals` (`stage_id`);--> statement-breakpoint
CREATE TABLE `lost_reasons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lost_reasons_tenant_name_unique` ON `lost_reasons` (`tenant_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `pipeline_stages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`pipeline_id` integer NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`probability` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`pipeline_id`) REFERENCES `pipelines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pipeline_stages_tenant_pipeline_idx` ON `pipeline_stages` (`tenant_id`,`pipeline_id`,`position`);--> statement-breakpoint
CREATE INDEX `pipeline_stages_pipeline_fk_idx` ON `pipeline_stages` (`pipeline_id`);--> statement-breakpoint
CREATE TABLE `pipelines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipelines_tenant_name_unique` ON `pipelines` (`tenant_id`,`name_key`);--> statement-breakpoint
ALTER TABLE `tenant_counters` ADD `deals` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `currency` text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `locale` text DEFAULT 'en-US' NOT NULL;--> statement-breakpoint
-- Workspaces made before deals get what sign-up now gives (src/services/deals/defaults.ts).
INSERT INTO `pipelines` (`tenant_id`, `name`, `name_key`, `position`, `created_at`, `updated_at`)
  SELECT `id`, 'Sales', 'sales', 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM `tenants`;--> statement-breakpoint
INSERT INTO `pipeline_stages` (`tenant_id`, `pipeline_id`, `name`, `position`, `probability`, `created_at`, `updated_at`)
  SELECT p.`tenant_id`, p.`id`, s.value ->> 0, s.key, s.value ->> 1, p.`created_at`, p.`created_at`
  FROM `pipelines` p CROSS JOIN json_each('[["Lead",10],["Qualified",25],["Proposal",50],["Negotiation",75]]') s;--> statement-breakpoint
INSERT INTO `lost_reasons` (`tenant_id`, `name`, `name_key`, `position`, `created_at`)
  SELECT t.`id`, r.value, lower(r.value), r.key, CAST(strftime('%s', 'now') AS INTEGER) * 1000
  FROM `tenants` t CROSS JOIN json_each('["Price","Went with a competitor","No budget","Bad timing","No response"]') r;
