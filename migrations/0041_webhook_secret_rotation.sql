-- Rotating an endpoint's signing secret keeps the old one for 24 hours, so its receiver can switch over:
-- deliveries are signed with both until previous_secret_expires_at. Nullable: no rotation yet.
ALTER TABLE `webhook_endpoints` ADD `previous_secret` text;--> statement-breakpoint
ALTER TABLE `webhook_endpoints` ADD `previous_secret_expires_at` integer;
