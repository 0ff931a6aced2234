-- The header search finds tasks through a lower-cased copy of their title, as companies and deals through name_sort:
-- SQLite's lower() folds ASCII only (D1 has no ICU), so "ölwechsel" never found "Ölwechsel planen". The app writes
-- the copy, lower-cased in JavaScript, with every title (src/services/tasks/write.ts, trash restore).
-- SQLite adds a NOT NULL column only with a default; the schema declares none, so the app must write it.
ALTER TABLE `tasks` ADD `title_sort` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Existing tasks: the best SQL can do. Their ASCII letters fold; a capital outside ASCII (Ö, É, П) stays until the
-- task's title is next saved.
UPDATE `tasks` SET `title_sort` = lower(`title`);
