-- Custom migration (drizzle-kit does not generate virtual tables, views or triggers).
-- Search inside words (issue 18): "opper" finds Hopper, "xample" finds ada@example.com. contacts_fts gets a
-- column `parts`: every inner part of at least 3 characters of the words of a contact's name and emails (the
-- suffixes that start inside a word: hopper -> opper, pper, per), so a prefix query on it is an inner-word
-- query. The same table, with its single-token `tenant` column, keeps every search bound to one tenant
-- (a trigram table would have to match the tenant id as a phrase of trigrams: ten times slower measured).
-- FTS5 has no ALTER, so the table is made again, backfilled from the contacts, and its triggers rewritten
-- to read one view, contacts_fts_document, instead of twelve copies of the document's SQL.
DROP TRIGGER IF EXISTS `contacts_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contacts_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contacts_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_emails_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_emails_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_emails_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_phones_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_phones_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `contact_phones_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `notes_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `notes_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `notes_fts_delete`;
--> statement-breakpoint
DROP TABLE IF EXISTS `contacts_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(
  tenant, name, email, phone, company, notes, parts,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
-- As migration 0010: a delete removes the document's entries at once (erasure leaves no trace).
INSERT INTO `contacts_fts` (`contacts_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
-- One contact's search document. `parts`: s is the name and the emails' local parts (a domain is shared by
-- many contacts, and every common token makes each secure delete rewrite a long doclist: an export test's
-- 10,000 inserts took 90 s with domains, docs/benchmarks.md), with @ . - _ + as spaces (at most 500
-- characters); json_each over a JSON array of length(s) zeros (only digits: always valid JSON, whatever the
-- name holds) numbers its positions, and each position inside a word gives the rest of that word.
-- group_concat's comma separates tokens for unicode61 as a space does; DISTINCT drops repeats.
CREATE VIEW `contacts_fts_document` AS
SELECT c.id AS id, c.tenant_id AS tenant,
  c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, '') AS name,
  (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id) AS email,
  (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
     FROM `contact_phones` p WHERE p.contact_id = c.id) AS phone,
  coalesce(c.company_name, '') AS company,
  (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id) AS notes,
  (SELECT group_concat(DISTINCT substr(w.s, j.key + 1, instr(substr(w.s, j.key + 1) || ' ', ' ') - 1))
     FROM (SELECT substr(replace(replace(replace(replace(replace(
         c.first_name || ' ' || c.last_name || ' ' ||
         coalesce((SELECT group_concat(substr(e.email, 1, instr(e.email, '@') - 1), ' ')
           FROM `contact_emails` e WHERE e.contact_id = c.id), ''),
         '@', ' '), '.', ' '), '-', ' '), '_', ' '), '+', ' '), 1, 500) AS s) w,
       json_each('[' || rtrim(replace(hex(zeroblob(length(w.s))), '00', '0,'), ',') || ']') j
     WHERE j.key > 0 AND substr(w.s, j.key, 1) <> ' ' AND substr(w.s, j.key + 1, 1) <> ' '
       AND instr(substr(w.s, j.key + 1) || ' ', ' ') > 3) AS parts
FROM `contacts` c;
--> statement-breakpoint
-- Every contact's document again (what was indexed before this migration, and the new parts).
INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document`;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF first_name, last_name, job_title, company_name ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_insert` AFTER INSERT ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_delete` AFTER DELETE ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = OLD.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_update` AFTER UPDATE ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_insert` AFTER INSERT ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_delete` AFTER DELETE ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = OLD.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_update` AFTER UPDATE ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_insert` AFTER INSERT ON `notes` WHEN NEW.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.subject_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_update` AFTER UPDATE OF body ON `notes` WHEN NEW.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = NEW.subject_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_delete` AFTER DELETE ON `notes` WHEN OLD.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes, parts)
  SELECT id, tenant, name, email, phone, company, notes, parts FROM `contacts_fts_document` WHERE id = OLD.subject_id;
END;
