-- Hand-written (the lead regenerates the snapshot). The import preview's counts that make its numbers
-- add up: empty rows, rows whose email belongs to a contact of another name (not imported), and new
-- rows that share a phone with a contact of another name (created, listed as possible duplicates).
ALTER TABLE `import_jobs` ADD `empty_count` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `conflict_count` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `possible_duplicate_count` integer DEFAULT 0 NOT NULL;
