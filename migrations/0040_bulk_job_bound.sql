-- A background bulk job walks only the contacts that existed when it was confirmed: the workspace's highest contact
-- id then. Nullable: jobs started before this have no bound and walk as they did.
ALTER TABLE `bulk_jobs` ADD `up_to_id` integer;
