-- Staff account actions that need a second admin (issue 17): an erasure asked for by one admin waits here
-- until another approves it. A staff table keyed by the account, not a workspace's: the row goes with the
-- users row (erased by the approval itself, or by any other erasure of the account).
CREATE TABLE `account_actions` (
  `id` text PRIMARY KEY NOT NULL,
  `kind` text NOT NULL CHECK (`kind` IN ('erase')),
  `target_user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE cascade,
  `staff_id` text NOT NULL,
  `staff_name` text NOT NULL,
  `reason` text NOT NULL,
  `ticket` text,
  `created_at` integer NOT NULL,
  `approved_by_staff_id` text,
  `approved_at` integer
);
--> statement-breakpoint
CREATE INDEX `account_actions_target_user_fk_idx` ON `account_actions` (`target_user_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `account_actions_pending_idx` ON `account_actions` (`created_at`) WHERE `approved_at` IS NULL;
