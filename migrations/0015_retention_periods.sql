-- Every kept record has a period (issue 12, point 6): an import's record of what it changed
-- (import_records) goes after RETENTION.importUndoDays, and the job says undo has ended.
ALTER TABLE `import_jobs` ADD `records_deleted_at` integer;--> statement-breakpoint
CREATE INDEX `import_jobs_records_due_idx` ON `import_jobs` (`records_deleted_at`,`created_at`);
