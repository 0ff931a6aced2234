CREATE TABLE `import_chunks` (
	`tenant_id` text NOT NULL,
	`import_id` text NOT NULL,
	`phase` text NOT NULL,
	`chunk_no` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `import_id`, `phase`, `chunk_no`),
	FOREIGN KEY (`import_id`) REFERENCES `import_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_chunks_import_fk_idx` ON `import_chunks` (`import_id`);--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`file_name` text NOT NULL,
	`file_size` integer NOT NULL,
	`file_key` text NOT NULL,
	`encoding_choice` text DEFAULT 'auto' NOT NULL,
	`encoding` text,
	`delimiter` text,
	`headers` text,
	`mapping` text,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`new_count` integer DEFAULT 0 NOT NULL,
	`update_count` integer DEFAULT 0 NOT NULL,
	`unchanged_count` integer DEFAULT 0 NOT NULL,
	`duplicate_count` integer DEFAULT 0 NOT NULL,
	`invalid_count` integer DEFAULT 0 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`chunks_done` integer DEFAULT 0 NOT NULL,
	`created_count` integer DEFAULT 0 NOT NULL,
	`updated_count` integer DEFAULT 0 NOT NULL,
	`undo_kept` text,
	`message` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`committed_at` integer,
	`finished_at` integer,
	`undone_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_jobs_tenant_idx` ON `import_jobs` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `import_records` (
	`tenant_id` text NOT NULL,
	`import_id` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`action` text NOT NULL,
	`row_no` integer NOT NULL,
	`before` text,
	`after` text,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `import_id`, `entity_type`, `entity_id`),
	FOREIGN KEY (`import_id`) REFERENCES `import_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_records_tenant_entity_idx` ON `import_records` (`tenant_id`,`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `import_records_import_fk_idx` ON `import_records` (`import_id`);