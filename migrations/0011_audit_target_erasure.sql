CREATE TABLE `audit_erasures` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `email_outbox_to_idx` ON `email_outbox` (`to_address`);--> statement-breakpoint
CREATE INDEX `invitations_email_idx` ON `invitations` (`email`);--> statement-breakpoint
CREATE INDEX `support_messages_email_idx` ON `support_messages` (`email`);--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers). The audit trail stays append-only; updates
-- are limited, as since migration 0001, to erasing a departed member's actor, IP and user agent, plus
-- one sanctioned anonymisation: while audit_erasures holds a deleted user's id and address (written
-- and removed in the same batch as the deletion, src/services/account-deletion.ts), an entry that names
-- them as its target (target_id = their id, or target_label = their address) may lose exactly that:
-- target_id to NULL (when it was their id), target_label to 'former member', and the detail values
-- that hold an address or their id to null (the same expression as auditDetailRedacted() in
-- src/services/audit.ts). Nothing else changes, and without the row nothing about the target does.
DROP TRIGGER `audit_log_no_update`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN NEW.`id` IS NOT OLD.`id`
  OR NEW.`tenant_id` IS NOT OLD.`tenant_id`
  OR NEW.`action` IS NOT OLD.`action`
  OR NEW.`target_type` IS NOT OLD.`target_type`
  OR NEW.`created_at` IS NOT OLD.`created_at`
  OR (NEW.`actor_user_id` IS NOT NULL AND NEW.`actor_user_id` IS NOT OLD.`actor_user_id`)
  OR (NEW.`ip` IS NOT NULL AND NEW.`ip` IS NOT OLD.`ip`)
  OR (NEW.`user_agent` IS NOT NULL AND NEW.`user_agent` IS NOT OLD.`user_agent`)
  OR (
    (NEW.`target_id` IS NOT OLD.`target_id` OR NEW.`target_label` IS NOT OLD.`target_label` OR NEW.`detail` IS NOT OLD.`detail`)
    AND NOT EXISTS (
      SELECT 1 FROM `audit_erasures` e
      WHERE (OLD.`target_id` = e.`user_id` OR OLD.`target_label` = e.`email`)
        AND (NEW.`target_id` IS OLD.`target_id` OR (OLD.`target_id` = e.`user_id` AND NEW.`target_id` IS NULL))
        AND (NEW.`target_label` IS OLD.`target_label` OR NEW.`target_label` = 'former member')
        AND (
          NEW.`detail` IS OLD.`detail`
          OR NEW.`detail` IS (
            CASE WHEN OLD.`detail` IS NULL THEN NULL ELSE (
              SELECT json_group_object(j.`key`, CASE
                WHEN j.`type` = 'text' AND (instr(j.`value`, '@') > 0 OR j.`value` = e.`user_id`) THEN NULL
                WHEN j.`type` = 'true' THEN json('true')
                WHEN j.`type` = 'false' THEN json('false')
                WHEN j.`type` IN ('object', 'array') THEN json(j.`value`)
                ELSE j.`value` END)
              FROM json_each(OLD.`detail`) j
            ) END
          )
        )
    )
  )
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
