-- A calendar feed per membership instead of per user (issue 20): a feed then reads one workspace's records, on
-- the one database that holds them, as every request must. A feed goes with its membership (a member removed, a
-- workspace erased, an account deleted). An existing feed keeps its address and now shows the workspace its
-- owner joined first; the profile page of each other workspace offers a feed of its own.
CREATE TABLE `calendar_feeds_new` (
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_read_at` integer,
	PRIMARY KEY(`tenant_id`, `user_id`),
	FOREIGN KEY (`tenant_id`,`user_id`) REFERENCES `memberships`(`tenant_id`,`user_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `calendar_feeds_new` (`tenant_id`, `user_id`, `secret_hash`, `created_at`, `last_read_at`)
SELECT w.tenant_id, f.user_id, f.secret_hash, f.created_at, f.last_read_at
FROM `calendar_feeds` f
JOIN (
	SELECT m.user_id, m.tenant_id, row_number() OVER (PARTITION BY m.user_id ORDER BY m.created_at, m.tenant_id) AS n
	FROM `memberships` m JOIN `tenants` t ON t.id = m.tenant_id
	WHERE t.closed_at IS NULL
) w ON w.user_id = f.user_id AND w.n = 1;
--> statement-breakpoint
DROP TABLE `calendar_feeds`;
--> statement-breakpoint
ALTER TABLE `calendar_feeds_new` RENAME TO `calendar_feeds`;
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_secret_unique` ON `calendar_feeds` (`secret_hash`);
