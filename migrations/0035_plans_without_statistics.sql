-- Query plans as production gets them: D1 keeps no statistics (nothing runs ANALYZE), and without them SQLite
-- chooses among indexes that start with tenant_id by their columns alone (test/db/query-plans.test.ts).
-- A record's custom values: the (tenant, entity) index becomes covering, so SQLite no longer prefers the covering
-- value index and walks every value of the workspace for each record (3.5 s for the API's 200 contacts of a
-- workspace with 200,000 values; 18 ms after).
DROP INDEX `custom_field_values_tenant_entity_idx`;--> statement-breakpoint
CREATE INDEX `custom_field_values_tenant_entity_idx` ON `custom_field_values` (`tenant_id`,`entity_id`,`field_id`,`value`);--> statement-breakpoint
-- The API's keyset order (tenant, id): without it SQLite sorted the workspace's records for each page.
CREATE INDEX `contacts_tenant_id_idx` ON `contacts` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_id_idx` ON `companies` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_id_idx` ON `deals` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_id_idx` ON `tasks` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `notes_tenant_id_idx` ON `notes` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `interactions_tenant_id_idx` ON `interactions` (`tenant_id`,`id`);
