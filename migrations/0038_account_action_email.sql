-- A staff correction of an account's address waits for a second admin, as an erasure does: one person alone could
-- otherwise move the account to an address they hold and take it over with a password reset. The request keeps the
-- address asked for. SQLite cannot change the kind's CHECK in place, so the table is made again (nothing refers to
-- it; its rows are copied as they are).
CREATE TABLE `account_actions_new` (
  `id` text PRIMARY KEY NOT NULL,
  `kind` text NOT NULL CHECK (`kind` IN ('erase', 'correct_email')),
  `target_user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE cascade,
  `staff_id` text NOT NULL,
  `staff_name` text NOT NULL,
  `reason` text NOT NULL,
  `ticket` text,
  `new_email` text,
  `created_at` integer NOT NULL,
  `approved_by_staff_id` text,
  `approved_at` integer,
  CHECK ((`kind` = 'correct_email') = (`new_email` IS NOT NULL))
);
--> statement-breakpoint
INSERT INTO `account_actions_new` (`id`, `kind`, `target_user_id`, `staff_id`, `staff_name`, `reason`, `ticket`,
  `created_at`, `approved_by_staff_id`, `approved_at`)
SELECT `id`, `kind`, `target_user_id`, `staff_id`, `staff_name`, `reason`, `ticket`, `created_at`,
  `approved_by_staff_id`, `approved_at`
FROM `account_actions`;
--> statement-breakpoint
DROP TABLE `account_actions`;
--> statement-breakpoint
ALTER TABLE `account_actions_new` RENAME TO `account_actions`;
--> statement-breakpoint
CREATE INDEX `account_actions_target_user_fk_idx` ON `account_actions` (`target_user_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `account_actions_pending_idx` ON `account_actions` (`created_at`) WHERE `approved_at` IS NULL;
