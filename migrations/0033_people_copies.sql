-- People on a shard (docs/scale.md, "Routing", item 3): a shard keeps a copy of its workspaces' members, written
-- again after every change on the control database. `people_stale_since` is set (to the time) before a copy is
-- written and cleared when it was, if no newer change came meanwhile; the cron copies again whatever stayed set,
-- so a copy that failed, or a worker killed between the change and its copy, is made good within minutes.
ALTER TABLE `workspace_shards` ADD `people_stale_since` integer;
--> statement-breakpoint
CREATE INDEX `workspace_shards_people_stale_idx` ON `workspace_shards` (`people_stale_since`) WHERE `people_stale_since` IS NOT NULL;
