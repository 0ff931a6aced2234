-- My tasks' Done section lists the latest completed first: read newest first from these (only done tasks), an
-- assignee's or everyone's, rather than every done task sorted on each visit.
CREATE INDEX `tasks_tenant_assignee_done_idx` ON `tasks` (`tenant_id`,`assignee_id`,`completed_at`,`id`) WHERE status = 'done';--> statement-breakpoint
CREATE INDEX `tasks_tenant_done_idx` ON `tasks` (`tenant_id`,`completed_at`,`id`) WHERE status = 'done';
