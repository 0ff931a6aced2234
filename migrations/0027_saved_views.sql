-- Columns and saved views on the contacts list (issue 18): a view is the list's validated canonical query
-- string, private or shared; each user may pick one per list that opens when the list has no parameters.
CREATE TABLE `saved_views` (
  `id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  `tenant_id` text NOT NULL,
  `owner_user_id` text,
  `entity` text NOT NULL,
  `name` text NOT NULL,
  `shared` integer DEFAULT false NOT NULL,
  `query` text NOT NULL,
  `position` integer NOT NULL,
  `created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `saved_views_tenant_entity_idx` ON `saved_views` (`tenant_id`, `entity`, `position`, `id`);
--> statement-breakpoint
CREATE INDEX `saved_views_owner_idx` ON `saved_views` (`owner_user_id`);
--> statement-breakpoint
CREATE TABLE `saved_view_defaults` (
  `tenant_id` text NOT NULL,
  `user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE cascade,
  `entity` text NOT NULL,
  `view_id` integer NOT NULL REFERENCES `saved_views`(`id`) ON DELETE cascade,
  PRIMARY KEY(`tenant_id`, `user_id`, `entity`)
);
--> statement-breakpoint
CREATE INDEX `saved_view_defaults_user_fk_idx` ON `saved_view_defaults` (`user_id`);
--> statement-breakpoint
CREATE INDEX `saved_view_defaults_view_fk_idx` ON `saved_view_defaults` (`view_id`);
