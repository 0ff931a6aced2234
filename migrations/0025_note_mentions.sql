-- @mentions in notes: a bell entry can point at the note that mentioned its reader (deleted with it),
-- and members can turn the mention mail off (on by default, like task reminders).
ALTER TABLE `email_preferences` ADD `mentions` integer DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE `notifications` ADD `note_id` integer REFERENCES notes(id) ON DELETE cascade;
--> statement-breakpoint
CREATE INDEX `notifications_note_fk_idx` ON `notifications` (`note_id`);
