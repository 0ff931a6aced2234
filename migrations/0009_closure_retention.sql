CREATE TABLE `closed_tenant_ledger` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`closed_at` integer NOT NULL,
	`closed_by` text NOT NULL,
	`erase_after` integer NOT NULL,
	`erased_at` integer,
	`keep_until` integer,
	`stripe_customer_deleted_at` integer,
	`invoices` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `closed_tenant_ledger_keep_idx` ON `closed_tenant_ledger` (`keep_until`);--> statement-breakpoint
CREATE TABLE `retention_state` (
	`name` text PRIMARY KEY NOT NULL,
	`horizon` integer,
	`cursor` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `body_cleared_at` integer;--> statement-breakpoint
CREATE INDEX `email_outbox_body_due_idx` ON `email_outbox` (`body_cleared_at`,`created_at`);--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `files_deleted_at` integer;--> statement-breakpoint
CREATE INDEX `import_jobs_files_due_idx` ON `import_jobs` (`files_deleted_at`,`created_at`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `erase_after` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `reopen_token_hash` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `erasing_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `erase_step` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `tenants_erase_after_idx` ON `tenants` (`erase_after`);--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `auth_tokens_expires_idx` ON `auth_tokens` (`expires_at`);--> statement-breakpoint
CREATE INDEX `rate_limits_window_idx` ON `rate_limits` (`window_start`);--> statement-breakpoint
CREATE INDEX `sessions_last_active_idx` ON `sessions` (`last_active_at`);--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers). The audit trail stays append-only, with two
-- sanctioned deletions and nothing else:
--  * entries older than the retention horizon the retention job keeps in retention_state
--    (name 'audit_log': now minus the audit period); no other code writes that row;
--  * entries of a workspace whose erasure has begun (tenants.erasing_at set by the retention job
--    or an operator's erase-account, after closure), or of a workspace that no longer exists.
-- Updates stay limited to erasing a departed member's actor, IP and user agent (migration 0001).
DROP TRIGGER `audit_log_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
WHEN NOT (
  OLD.`created_at` < coalesce((SELECT `horizon` FROM `retention_state` WHERE `name` = 'audit_log'), 0)
  OR (
    OLD.`tenant_id` IS NOT NULL
    AND (
      EXISTS (SELECT 1 FROM `tenants` t WHERE t.`id` = OLD.`tenant_id` AND t.`erasing_at` IS NOT NULL)
      OR NOT EXISTS (SELECT 1 FROM `tenants` t WHERE t.`id` = OLD.`tenant_id`)
    )
  )
)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
