CREATE INDEX `company_tags_company_fk_idx` ON `company_tags` (`company_id`);--> statement-breakpoint
CREATE INDEX `company_tags_tag_fk_idx` ON `company_tags` (`tag_id`);--> statement-breakpoint
CREATE INDEX `contact_tags_contact_fk_idx` ON `contact_tags` (`contact_id`);--> statement-breakpoint
CREATE INDEX `contact_tags_tag_fk_idx` ON `contact_tags` (`tag_id`);--> statement-breakpoint
CREATE INDEX `contacts_company_fk_idx` ON `contacts` (`company_id`);--> statement-breakpoint
CREATE INDEX `custom_field_values_field_fk_idx` ON `custom_field_values` (`field_id`);