-- Reports (issue 16): per-tenant aggregates the dashboard and /app/reports read instead of scanning deals and
-- activities. Triggers keep them, so every write that changes a counted row (forms, bulk actions, imports and
-- their undo, erasure, cascades) changes them in the same statement. Rows that fall to zero are deleted.
-- Days are UTC calendar days ('YYYY-MM-DD'); deal dates are the deal's own calendar dates.
ALTER TABLE `contacts` ADD `source` text DEFAULT 'manual' NOT NULL;
--> statement-breakpoint
UPDATE `contacts` SET `source` = 'import' WHERE EXISTS (SELECT 1 FROM `import_records` r
  WHERE r.tenant_id = contacts.tenant_id AND r.entity_type = 'contact' AND r.entity_id = contacts.id AND r.action = 'created');
--> statement-breakpoint
ALTER TABLE `tenants` ADD `report_scope` text DEFAULT 'team' NOT NULL;
--> statement-breakpoint
CREATE TABLE `report_open_deals` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `stage_id` integer NOT NULL,
  `close_month` text NOT NULL,
  `owner_key` text NOT NULL,
  `currency` text NOT NULL,
  `deals` integer DEFAULT 0 NOT NULL,
  `amount_minor` integer DEFAULT 0 NOT NULL,
  PRIMARY KEY (`tenant_id`, `stage_id`, `close_month`, `owner_key`, `currency`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_deal_outcomes` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `status` text NOT NULL,
  `day` text NOT NULL,
  `pipeline_id` integer NOT NULL,
  `owner_key` text NOT NULL,
  `reason` text NOT NULL,
  `currency` text NOT NULL,
  `deals` integer DEFAULT 0 NOT NULL,
  `amount_minor` integer DEFAULT 0 NOT NULL,
  PRIMARY KEY (`tenant_id`, `status`, `day`, `pipeline_id`, `owner_key`, `reason`, `currency`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_stage_days` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `day` text NOT NULL,
  `pipeline_id` integer NOT NULL,
  `stage_id` integer NOT NULL,
  `spans` integer DEFAULT 0 NOT NULL,
  `total_ms` integer DEFAULT 0 NOT NULL,
  PRIMARY KEY (`tenant_id`, `day`, `pipeline_id`, `stage_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_activity_days` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `day` text NOT NULL,
  `kind` text NOT NULL,
  `user_key` text NOT NULL,
  `count` integer DEFAULT 0 NOT NULL,
  PRIMARY KEY (`tenant_id`, `day`, `kind`, `user_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_contact_days` (
  `tenant_id` text NOT NULL REFERENCES `tenants`(`id`) ON DELETE cascade,
  `day` text NOT NULL,
  `source` text NOT NULL,
  `user_key` text NOT NULL,
  `count` integer DEFAULT 0 NOT NULL,
  PRIMARY KEY (`tenant_id`, `day`, `source`, `user_key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_open_deals` (tenant_id, stage_id, close_month, owner_key, currency, deals, amount_minor)
  SELECT tenant_id, stage_id, coalesce(substr(close_date, 1, 7), ''), coalesce(owner_id, ''), currency, count(*), sum(amount_minor)
  FROM `deals` WHERE status = 'open' GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO `report_deal_outcomes` (tenant_id, status, day, pipeline_id, owner_key, reason, currency, deals, amount_minor)
  SELECT tenant_id, status, coalesce(closed_on, close_date, date(created_at / 1000, 'unixepoch')), pipeline_id,
    coalesce(owner_id, ''), coalesce(lost_reason, ''), currency, count(*), sum(amount_minor)
  FROM `deals` WHERE status <> 'open' GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO `report_stage_days` (tenant_id, day, pipeline_id, stage_id, spans, total_ms)
  SELECT tenant_id, date(left_at / 1000, 'unixepoch'), pipeline_id, stage_id, count(*), sum(left_at - entered_at)
  FROM `deal_stage_history` WHERE status = 'open' AND left_at IS NOT NULL GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
  SELECT tenant_id, day, kind, user_key, count(*) FROM (
    SELECT tenant_id, date(occurred_at / 1000, 'unixepoch') AS day, kind, coalesce(logged_by, '') AS user_key FROM `interactions`
    UNION ALL SELECT tenant_id, date(created_at / 1000, 'unixepoch'), 'note', coalesce(author_id, '') FROM `notes`
    UNION ALL SELECT tenant_id, date(completed_at / 1000, 'unixepoch'), 'task', coalesce(completed_by, '') FROM `tasks`
      WHERE status = 'done' AND completed_at IS NOT NULL
  ) GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `report_contact_days` (tenant_id, day, source, user_key, count)
  SELECT tenant_id, date(created_at / 1000, 'unixepoch'), source, coalesce(created_by, ''), count(*)
  FROM `contacts` GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Deals: an open deal counts in report_open_deals, a won or lost one in report_deal_outcomes.
CREATE TRIGGER `report_deals_insert` AFTER INSERT ON `deals` BEGIN
  INSERT INTO `report_open_deals` (tenant_id, stage_id, close_month, owner_key, currency, deals, amount_minor)
    SELECT NEW.tenant_id, NEW.stage_id, coalesce(substr(NEW.close_date, 1, 7), ''), coalesce(NEW.owner_id, ''), NEW.currency,
      1, NEW.amount_minor WHERE NEW.status = 'open'
    ON CONFLICT (tenant_id, stage_id, close_month, owner_key, currency)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor;
  INSERT INTO `report_deal_outcomes` (tenant_id, status, day, pipeline_id, owner_key, reason, currency, deals, amount_minor)
    SELECT NEW.tenant_id, NEW.status, coalesce(NEW.closed_on, NEW.close_date, date(NEW.created_at / 1000, 'unixepoch')),
      NEW.pipeline_id, coalesce(NEW.owner_id, ''), coalesce(NEW.lost_reason, ''), NEW.currency, 1, NEW.amount_minor
    WHERE NEW.status <> 'open'
    ON CONFLICT (tenant_id, status, day, pipeline_id, owner_key, reason, currency)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
--> statement-breakpoint
CREATE TRIGGER `report_deals_delete` AFTER DELETE ON `deals` BEGIN
  UPDATE `report_open_deals` SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor
    WHERE OLD.status = 'open' AND tenant_id = OLD.tenant_id AND stage_id = OLD.stage_id
      AND close_month = coalesce(substr(OLD.close_date, 1, 7), '') AND owner_key = coalesce(OLD.owner_id, '')
      AND currency = OLD.currency;
  DELETE FROM `report_open_deals` WHERE OLD.status = 'open' AND tenant_id = OLD.tenant_id AND stage_id = OLD.stage_id
    AND close_month = coalesce(substr(OLD.close_date, 1, 7), '') AND owner_key = coalesce(OLD.owner_id, '')
    AND currency = OLD.currency AND deals = 0;
  UPDATE `report_deal_outcomes` SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor
    WHERE OLD.status <> 'open' AND tenant_id = OLD.tenant_id AND status = OLD.status
      AND day = coalesce(OLD.closed_on, OLD.close_date, date(OLD.created_at / 1000, 'unixepoch'))
      AND pipeline_id = OLD.pipeline_id AND owner_key = coalesce(OLD.owner_id, '') AND reason = coalesce(OLD.lost_reason, '')
      AND currency = OLD.currency;
  DELETE FROM `report_deal_outcomes` WHERE OLD.status <> 'open' AND tenant_id = OLD.tenant_id AND status = OLD.status
    AND day = coalesce(OLD.closed_on, OLD.close_date, date(OLD.created_at / 1000, 'unixepoch'))
    AND pipeline_id = OLD.pipeline_id AND owner_key = coalesce(OLD.owner_id, '') AND reason = coalesce(OLD.lost_reason, '')
    AND currency = OLD.currency AND deals = 0;
END;
--> statement-breakpoint
-- An update is the old row out and the new row in, only when a counted column changed.
CREATE TRIGGER `report_deals_update` AFTER UPDATE OF status, stage_id, pipeline_id, close_date, closed_on, owner_id,
  currency, amount_minor, lost_reason ON `deals`
  WHEN OLD.status IS NOT NEW.status OR OLD.stage_id IS NOT NEW.stage_id OR OLD.pipeline_id IS NOT NEW.pipeline_id
    OR OLD.close_date IS NOT NEW.close_date OR OLD.closed_on IS NOT NEW.closed_on OR OLD.owner_id IS NOT NEW.owner_id
    OR OLD.currency IS NOT NEW.currency OR OLD.amount_minor IS NOT NEW.amount_minor OR OLD.lost_reason IS NOT NEW.lost_reason
BEGIN
  UPDATE `report_open_deals` SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor
    WHERE OLD.status = 'open' AND tenant_id = OLD.tenant_id AND stage_id = OLD.stage_id
      AND close_month = coalesce(substr(OLD.close_date, 1, 7), '') AND owner_key = coalesce(OLD.owner_id, '')
      AND currency = OLD.currency;
  DELETE FROM `report_open_deals` WHERE OLD.status = 'open' AND tenant_id = OLD.tenant_id AND stage_id = OLD.stage_id
    AND close_month = coalesce(substr(OLD.close_date, 1, 7), '') AND owner_key = coalesce(OLD.owner_id, '')
    AND currency = OLD.currency AND deals = 0;
  UPDATE `report_deal_outcomes` SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor
    WHERE OLD.status <> 'open' AND tenant_id = OLD.tenant_id AND status = OLD.status
      AND day = coalesce(OLD.closed_on, OLD.close_date, date(OLD.created_at / 1000, 'unixepoch'))
      AND pipeline_id = OLD.pipeline_id AND owner_key = coalesce(OLD.owner_id, '') AND reason = coalesce(OLD.lost_reason, '')
      AND currency = OLD.currency;
  DELETE FROM `report_deal_outcomes` WHERE OLD.status <> 'open' AND tenant_id = OLD.tenant_id AND status = OLD.status
    AND day = coalesce(OLD.closed_on, OLD.close_date, date(OLD.created_at / 1000, 'unixepoch'))
    AND pipeline_id = OLD.pipeline_id AND owner_key = coalesce(OLD.owner_id, '') AND reason = coalesce(OLD.lost_reason, '')
    AND currency = OLD.currency AND deals = 0;
  INSERT INTO `report_open_deals` (tenant_id, stage_id, close_month, owner_key, currency, deals, amount_minor)
    SELECT NEW.tenant_id, NEW.stage_id, coalesce(substr(NEW.close_date, 1, 7), ''), coalesce(NEW.owner_id, ''), NEW.currency,
      1, NEW.amount_minor WHERE NEW.status = 'open'
    ON CONFLICT (tenant_id, stage_id, close_month, owner_key, currency)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor;
  INSERT INTO `report_deal_outcomes` (tenant_id, status, day, pipeline_id, owner_key, reason, currency, deals, amount_minor)
    SELECT NEW.tenant_id, NEW.status, coalesce(NEW.closed_on, NEW.close_date, date(NEW.created_at / 1000, 'unixepoch')),
      NEW.pipeline_id, coalesce(NEW.owner_id, ''), coalesce(NEW.lost_reason, ''), NEW.currency, 1, NEW.amount_minor
    WHERE NEW.status <> 'open'
    ON CONFLICT (tenant_id, status, day, pipeline_id, owner_key, reason, currency)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
--> statement-breakpoint
-- Stage history: a finished span of an open stage counts on the day it ended.
CREATE TRIGGER `report_spans_insert` AFTER INSERT ON `deal_stage_history`
  WHEN NEW.status = 'open' AND NEW.left_at IS NOT NULL
BEGIN
  INSERT INTO `report_stage_days` (tenant_id, day, pipeline_id, stage_id, spans, total_ms)
    SELECT NEW.tenant_id, date(NEW.left_at / 1000, 'unixepoch'), NEW.pipeline_id, NEW.stage_id, 1, NEW.left_at - NEW.entered_at
    WHERE true
    ON CONFLICT (tenant_id, day, pipeline_id, stage_id)
    DO UPDATE SET spans = spans + 1, total_ms = total_ms + excluded.total_ms;
END;
--> statement-breakpoint
CREATE TRIGGER `report_spans_delete` AFTER DELETE ON `deal_stage_history`
  WHEN OLD.status = 'open' AND OLD.left_at IS NOT NULL
BEGIN
  UPDATE `report_stage_days` SET spans = spans - 1, total_ms = total_ms - (OLD.left_at - OLD.entered_at)
    WHERE tenant_id = OLD.tenant_id AND day = date(OLD.left_at / 1000, 'unixepoch') AND pipeline_id = OLD.pipeline_id
      AND stage_id = OLD.stage_id;
  DELETE FROM `report_stage_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.left_at / 1000, 'unixepoch')
    AND pipeline_id = OLD.pipeline_id AND stage_id = OLD.stage_id AND spans = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_spans_update` AFTER UPDATE OF left_at, entered_at, stage_id, pipeline_id, status ON `deal_stage_history`
  WHEN OLD.left_at IS NOT NEW.left_at OR OLD.entered_at IS NOT NEW.entered_at OR OLD.stage_id IS NOT NEW.stage_id
    OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE `report_stage_days` SET spans = spans - 1, total_ms = total_ms - (OLD.left_at - OLD.entered_at)
    WHERE OLD.status = 'open' AND OLD.left_at IS NOT NULL AND tenant_id = OLD.tenant_id
      AND day = date(OLD.left_at / 1000, 'unixepoch') AND pipeline_id = OLD.pipeline_id AND stage_id = OLD.stage_id;
  DELETE FROM `report_stage_days` WHERE OLD.status = 'open' AND OLD.left_at IS NOT NULL AND tenant_id = OLD.tenant_id
    AND day = date(OLD.left_at / 1000, 'unixepoch') AND pipeline_id = OLD.pipeline_id AND stage_id = OLD.stage_id
    AND spans = 0;
  INSERT INTO `report_stage_days` (tenant_id, day, pipeline_id, stage_id, spans, total_ms)
    SELECT NEW.tenant_id, date(NEW.left_at / 1000, 'unixepoch'), NEW.pipeline_id, NEW.stage_id, 1, NEW.left_at - NEW.entered_at
    WHERE NEW.status = 'open' AND NEW.left_at IS NOT NULL
    ON CONFLICT (tenant_id, day, pipeline_id, stage_id)
    DO UPDATE SET spans = spans + 1, total_ms = total_ms + excluded.total_ms;
END;
--> statement-breakpoint
-- Activities: logged calls, meetings and emails on the day they happened, notes on the day written, tasks on the
-- day completed, each by who did it ('' once they have left).
CREATE TRIGGER `report_interactions_insert` AFTER INSERT ON `interactions` BEGIN
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.occurred_at / 1000, 'unixepoch'), NEW.kind, coalesce(NEW.logged_by, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_interactions_delete` AFTER DELETE ON `interactions` BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.occurred_at / 1000, 'unixepoch') AND kind = OLD.kind AND user_key = coalesce(OLD.logged_by, '');
  DELETE FROM `report_activity_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.occurred_at / 1000, 'unixepoch')
    AND kind = OLD.kind AND user_key = coalesce(OLD.logged_by, '') AND count = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_interactions_update` AFTER UPDATE OF occurred_at, kind, logged_by ON `interactions`
  WHEN OLD.occurred_at IS NOT NEW.occurred_at OR OLD.kind IS NOT NEW.kind OR OLD.logged_by IS NOT NEW.logged_by
BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.occurred_at / 1000, 'unixepoch') AND kind = OLD.kind AND user_key = coalesce(OLD.logged_by, '');
  DELETE FROM `report_activity_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.occurred_at / 1000, 'unixepoch')
    AND kind = OLD.kind AND user_key = coalesce(OLD.logged_by, '') AND count = 0;
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.occurred_at / 1000, 'unixepoch'), NEW.kind, coalesce(NEW.logged_by, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_notes_insert` AFTER INSERT ON `notes` BEGIN
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.created_at / 1000, 'unixepoch'), 'note', coalesce(NEW.author_id, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_notes_delete` AFTER DELETE ON `notes` BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.created_at / 1000, 'unixepoch') AND kind = 'note' AND user_key = coalesce(OLD.author_id, '');
  DELETE FROM `report_activity_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.created_at / 1000, 'unixepoch')
    AND kind = 'note' AND user_key = coalesce(OLD.author_id, '') AND count = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_notes_update` AFTER UPDATE OF created_at, author_id ON `notes`
  WHEN OLD.created_at IS NOT NEW.created_at OR OLD.author_id IS NOT NEW.author_id
BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.created_at / 1000, 'unixepoch') AND kind = 'note' AND user_key = coalesce(OLD.author_id, '');
  DELETE FROM `report_activity_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.created_at / 1000, 'unixepoch')
    AND kind = 'note' AND user_key = coalesce(OLD.author_id, '') AND count = 0;
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.created_at / 1000, 'unixepoch'), 'note', coalesce(NEW.author_id, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_tasks_insert` AFTER INSERT ON `tasks`
  WHEN NEW.status = 'done' AND NEW.completed_at IS NOT NULL
BEGIN
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.completed_at / 1000, 'unixepoch'), 'task', coalesce(NEW.completed_by, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_tasks_delete` AFTER DELETE ON `tasks`
  WHEN OLD.status = 'done' AND OLD.completed_at IS NOT NULL
BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.completed_at / 1000, 'unixepoch') AND kind = 'task' AND user_key = coalesce(OLD.completed_by, '');
  DELETE FROM `report_activity_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.completed_at / 1000, 'unixepoch')
    AND kind = 'task' AND user_key = coalesce(OLD.completed_by, '') AND count = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_tasks_update` AFTER UPDATE OF status, completed_at, completed_by ON `tasks`
  WHEN OLD.status IS NOT NEW.status OR OLD.completed_at IS NOT NEW.completed_at OR OLD.completed_by IS NOT NEW.completed_by
BEGIN
  UPDATE `report_activity_days` SET count = count - 1 WHERE OLD.status = 'done' AND OLD.completed_at IS NOT NULL
    AND tenant_id = OLD.tenant_id AND day = date(OLD.completed_at / 1000, 'unixepoch') AND kind = 'task'
    AND user_key = coalesce(OLD.completed_by, '');
  DELETE FROM `report_activity_days` WHERE OLD.status = 'done' AND OLD.completed_at IS NOT NULL
    AND tenant_id = OLD.tenant_id AND day = date(OLD.completed_at / 1000, 'unixepoch') AND kind = 'task'
    AND user_key = coalesce(OLD.completed_by, '') AND count = 0;
  INSERT INTO `report_activity_days` (tenant_id, day, kind, user_key, count)
    SELECT NEW.tenant_id, date(NEW.completed_at / 1000, 'unixepoch'), 'task', coalesce(NEW.completed_by, ''), 1
    WHERE NEW.status = 'done' AND NEW.completed_at IS NOT NULL
    ON CONFLICT (tenant_id, day, kind, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
-- Contacts added, by how they came (manual, import, api) and who added them.
CREATE TRIGGER `report_contacts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `report_contact_days` (tenant_id, day, source, user_key, count)
    SELECT NEW.tenant_id, date(NEW.created_at / 1000, 'unixepoch'), NEW.source, coalesce(NEW.created_by, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, source, user_key) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_contacts_delete` AFTER DELETE ON `contacts` BEGIN
  UPDATE `report_contact_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.created_at / 1000, 'unixepoch') AND source = OLD.source AND user_key = coalesce(OLD.created_by, '');
  DELETE FROM `report_contact_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.created_at / 1000, 'unixepoch')
    AND source = OLD.source AND user_key = coalesce(OLD.created_by, '') AND count = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_contacts_update` AFTER UPDATE OF created_at, source, created_by ON `contacts`
  WHEN OLD.created_at IS NOT NEW.created_at OR OLD.source IS NOT NEW.source OR OLD.created_by IS NOT NEW.created_by
BEGIN
  UPDATE `report_contact_days` SET count = count - 1 WHERE tenant_id = OLD.tenant_id
    AND day = date(OLD.created_at / 1000, 'unixepoch') AND source = OLD.source AND user_key = coalesce(OLD.created_by, '');
  DELETE FROM `report_contact_days` WHERE tenant_id = OLD.tenant_id AND day = date(OLD.created_at / 1000, 'unixepoch')
    AND source = OLD.source AND user_key = coalesce(OLD.created_by, '') AND count = 0;
  INSERT INTO `report_contact_days` (tenant_id, day, source, user_key, count)
    SELECT NEW.tenant_id, date(NEW.created_at / 1000, 'unixepoch'), NEW.source, coalesce(NEW.created_by, ''), 1 WHERE true
    ON CONFLICT (tenant_id, day, source, user_key) DO UPDATE SET count = count + 1;
END;
