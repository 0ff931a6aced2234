-- Reminders (issue 15): the agenda sweep's next look at each user (their next 07:00), and the index account
-- erasure uses to delete a user's sent-reminder rows in every workspace.
ALTER TABLE `email_preferences` ADD `agenda_next_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `email_preferences_agenda_due_idx` ON `email_preferences` (`agenda`,`agenda_next_at`);--> statement-breakpoint
CREATE INDEX `task_reminders_user_idx` ON `task_reminders` (`user_id`);
