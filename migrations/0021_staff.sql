-- Staff and support access (issue 17): staff identities with their own sessions and second factor, and the
-- grants through which a workspace lets support in (given by an owner or admin, asked for by staff and
-- approved, or a two-person break-glass).
CREATE TABLE `staff` (
  `id` text PRIMARY KEY NOT NULL,
  `email` text NOT NULL,
  `name` text NOT NULL,
  `role` text NOT NULL CHECK (`role` IN ('support', 'billing', 'admin')),
  `password_hash` text,
  `totp_key` text NOT NULL,
  `totp_last_step` integer,
  `enrolled_at` integer,
  `enrol_token_hash` text,
  `enrol_expires_at` integer,
  `disabled_at` integer,
  `created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_enrol_token_unique` ON `staff` (`enrol_token_hash`);
--> statement-breakpoint
CREATE TABLE `staff_recovery_codes` (
  `staff_id` text NOT NULL REFERENCES `staff`(`id`) ON DELETE cascade,
  `code_hash` text NOT NULL,
  `used_at` integer,
  PRIMARY KEY (`staff_id`, `code_hash`)
);
--> statement-breakpoint
CREATE TABLE `staff_sessions` (
  `id` text PRIMARY KEY NOT NULL,
  `secret_hash` blob NOT NULL,
  `staff_id` text NOT NULL REFERENCES `staff`(`id`) ON DELETE cascade,
  `created_at` integer NOT NULL,
  `last_active_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `staff_sessions_staff_fk_idx` ON `staff_sessions` (`staff_id`);
--> statement-breakpoint
CREATE TABLE `support_grants` (
  `id` text PRIMARY KEY NOT NULL,
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `kind` text NOT NULL CHECK (`kind` IN ('grant', 'request', 'break_glass')),
  `access` text NOT NULL CHECK (`access` IN ('read', 'write')),
  `duration_ms` integer NOT NULL,
  `staff_id` text,
  `staff_name` text,
  `ticket` text,
  `reason` text,
  `granted_by` text,
  `approved_by_staff_id` text,
  `created_at` integer NOT NULL,
  `started_at` integer,
  `expires_at` integer,
  `ended_at` integer,
  `ended_by` text,
  `declined_at` integer,
  `end_notice_at` integer
);
--> statement-breakpoint
CREATE INDEX `support_grants_tenant_idx` ON `support_grants` (`tenant_id`, `created_at`);
--> statement-breakpoint
CREATE INDEX `support_grants_end_notice_idx` ON `support_grants` (`end_notice_at`, `expires_at`);
