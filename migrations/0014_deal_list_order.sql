-- The deal list's stage sort (issue 14): stages in board order across pipelines. A stage carries its
-- pipeline's position, kept by the pipeline reorder batch, so one index walks stages in that order and
-- each stage's deals come from deals_tenant_stage_idx: no sort of the workspace's deals per page.
ALTER TABLE `pipeline_stages` ADD `pipeline_position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `pipeline_stages` SET `pipeline_position` = (SELECT p.`position` FROM `pipelines` p WHERE p.`id` = `pipeline_stages`.`pipeline_id`);--> statement-breakpoint
CREATE INDEX `pipeline_stages_tenant_order_idx` ON `pipeline_stages` (`tenant_id`,`pipeline_position`,`pipeline_id`,`position`);--> statement-breakpoint
-- Pipelines in the order admins gave them.
CREATE INDEX `pipelines_tenant_position_idx` ON `pipelines` (`tenant_id`,`position`);
