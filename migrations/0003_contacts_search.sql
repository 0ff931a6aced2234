-- Custom migration (drizzle-kit does not generate virtual tables or triggers).
-- Full-text search over contacts: names and job title, emails, phones, company name and the text of
-- the contact's notes, with prefix matching. One document per contact, keyed by its id. Triggers keep
-- it current from every write path (forms, bulk actions, imports), inside the writing transaction.
-- The `tenant` column holds the tenant id as a single token: every search MATCHes it, so a query
-- only ever reaches its own tenant's documents.
-- Phones are indexed as digits with their last 10, 7 and 4 digits too, so "5550123" finds +14155550123.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(
  tenant, name, email, phone, company, notes,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF first_name, last_name, job_title, company_name ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_insert` AFTER INSERT ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_delete` AFTER DELETE ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = OLD.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_emails_fts_update` AFTER UPDATE ON `contact_emails` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_insert` AFTER INSERT ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_delete` AFTER DELETE ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = OLD.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_phones_fts_update` AFTER UPDATE ON `contact_phones` BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.contact_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.contact_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_insert` AFTER INSERT ON `notes` WHEN NEW.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.subject_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_update` AFTER UPDATE OF body ON `notes` WHEN NEW.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = NEW.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = NEW.subject_id;
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_delete` AFTER DELETE ON `notes` WHEN OLD.subject_type = 'contact' BEGIN
  DELETE FROM `contacts_fts` WHERE rowid = OLD.subject_id;
  INSERT INTO `contacts_fts` (rowid, tenant, name, email, phone, company, notes)
  SELECT c.id, c.tenant_id,
    c.first_name || ' ' || c.last_name || ' ' || coalesce(c.job_title, ''),
    (SELECT group_concat(e.email, ' ') FROM `contact_emails` e WHERE e.contact_id = c.id),
    (SELECT group_concat(substr(p.phone, 2) || ' ' || substr(p.phone, -10) || ' ' || substr(p.phone, -7) || ' ' || substr(p.phone, -4), ' ')
       FROM `contact_phones` p WHERE p.contact_id = c.id),
    coalesce(c.company_name, ''),
    (SELECT group_concat(n.body, ' ') FROM `notes` n WHERE n.tenant_id = c.tenant_id AND n.subject_type = 'contact' AND n.subject_id = c.id)
  FROM `contacts` c WHERE c.id = OLD.subject_id;
END;
