-- The trash (issue 18): a deleted contact, company, deal, note or task is kept for 30 days as a snapshot of
-- the rows its delete removed, written in the same batch as the delete; restore inserts them back.
CREATE TABLE `trash_items` (
  `id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `kind` text NOT NULL,
  `record_id` integer NOT NULL,
  `title` text NOT NULL,
  `subject_type` text,
  `subject_id` integer,
  `owner_id` text,
  `deleted_by` text,
  `deleted_at` integer NOT NULL,
  `purge_after` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `trash_items_tenant_idx` ON `trash_items` (`tenant_id`, `id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `trash_items_tenant_record_unique` ON `trash_items` (`tenant_id`, `kind`, `record_id`);
--> statement-breakpoint
CREATE INDEX `trash_items_tenant_subject_idx` ON `trash_items` (`tenant_id`, `subject_type`, `subject_id`);
--> statement-breakpoint
CREATE INDEX `trash_items_purge_idx` ON `trash_items` (`purge_after`);
--> statement-breakpoint
CREATE TABLE `trash_rows` (
  `id` integer PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL,
  `item_id` integer NOT NULL REFERENCES `trash_items`(`id`) ON DELETE cascade,
  `table_name` text NOT NULL,
  `data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `trash_rows_tenant_item_idx` ON `trash_rows` (`tenant_id`, `item_id`, `table_name`);
--> statement-breakpoint
CREATE INDEX `trash_rows_item_fk_idx` ON `trash_rows` (`item_id`);
