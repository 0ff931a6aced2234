// SQL that fills one tenant with N contacts, N/10 companies and 2N notes, generated inside SQLite
// with recursive CTEs (seconds, not minutes). The search triggers are dropped while loading and the
// index is built once at the end, then the triggers are put back exactly as the migration made them.
import { FIRST_NAMES as FIRST, LAST_NAMES as LAST } from "./names.mjs";

const WORDS = [
  "renewal",
  "invoice",
  "demo",
  "pricing",
  "onboarding",
  "contract",
  "meeting",
  "follow-up",
  "proposal",
  "support",
  "upgrade",
  "feedback",
  "referral",
  "workshop",
  "training",
  "discount",
  "quarterly",
  "review",
  "integration",
  "migration",
];

const json = (a) => `'${JSON.stringify(a).replace(/'/g, "''")}'`;
const pick = (list, expr) => `json_extract(${json(list)}, '$[' || ((${expr}) % ${list.length}) || ']')`;

/** The whole seed as one SQL script for the sqlite3 shell. */
export function seedSql({
  tenantId,
  userId,
  email,
  passwordHash,
  sessionId,
  secretHashHex,
  contacts,
  deals = 0,
  tasks = 0,
  now,
}) {
  const companies = Math.max(1, Math.floor(contacts / 10));
  const notes = contacts * 2;
  return `
PRAGMA foreign_keys = ON;
CREATE TEMP TABLE saved_triggers AS SELECT sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%contacts_fts%';
${["contacts_fts_insert", "contacts_fts_update", "contacts_fts_delete", "contact_emails_fts_insert", "contact_emails_fts_delete", "contact_emails_fts_update", "contact_phones_fts_insert", "contact_phones_fts_delete", "contact_phones_fts_update", "notes_fts_insert", "notes_fts_update", "notes_fts_delete"].map((t) => `DROP TRIGGER IF EXISTS ${t};`).join("\n")}
BEGIN;
INSERT INTO tenants (id, name, default_region, created_at, updated_at) VALUES ('${tenantId}', 'Bench Co', 'US', ${now}, ${now});
INSERT INTO users (id, email, password_hash, age_confirmed_at, terms_accepted_at, email_verified_at, created_at, updated_at)
  VALUES ('${userId}', '${email}', '${passwordHash}', ${now}, ${now}, ${now}, ${now}, ${now});
INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES ('${tenantId}', '${userId}', 'owner', ${now}, ${now});
INSERT INTO sessions (id, secret_hash, user_id, tenant_id, created_at, last_active_at, ip, user_agent)
  VALUES ('${sessionId}', X'${secretHashHex}', '${userId}', '${tenantId}', ${now}, ${now}, '127.0.0.1', 'bench');

INSERT INTO companies (tenant_id, name, name_sort, domain, industry, size, phone, owner_id, created_by, created_at, updated_at, last_activity_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${companies})
SELECT '${tenantId}', ${pick(LAST, "i * 7")} || ' ' || ${pick(WORDS, "i")} || ' ' || i, lower(${pick(LAST, "i * 7")} || ' ' || ${pick(WORDS, "i")} || ' ' || i),
  'company' || i || '.example', ${pick(WORDS, "i * 3")}, '11-50', '+1212555' || substr('0000' || (i % 10000), -4), '${userId}', '${userId}',
  ${now} - i * 1000, ${now} - i * 500, ${now} - i * 500
FROM seq;

INSERT INTO contacts (tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title, company_id, company_name, company_sort, owner_id, created_by, created_at, updated_at, last_activity_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${contacts}),
     base(first_id) AS (SELECT min(id) FROM companies WHERE tenant_id = '${tenantId}')
SELECT '${tenantId}', ${pick(FIRST, "i")}, ${pick(LAST, "i / 50")} , lower(${pick(LAST, "i / 50")} || ' ' || ${pick(FIRST, "i")}),
  lower(${pick(FIRST, "i")} || '.' || i || '@example.com'), '+1415' || substr('0000000' || i, -7), ${pick(WORDS, "i * 13")} || ' lead',
  base.first_id + (i % ${companies}), c.name, c.name_sort, '${userId}', '${userId}',
  ${now} - i * 1000, ${now} - (i * 7919 % ${contacts}) * 1000, ${now} - (i * 104729 % ${contacts}) * 1000
FROM seq, base JOIN companies c ON c.id = base.first_id + (i % ${companies});

INSERT INTO contact_emails (tenant_id, contact_id, position, email) SELECT tenant_id, id, 0, primary_email FROM contacts WHERE tenant_id = '${tenantId}';
INSERT INTO contact_phones (tenant_id, contact_id, position, phone) SELECT tenant_id, id, 0, primary_phone FROM contacts WHERE tenant_id = '${tenantId}';

INSERT INTO notes (tenant_id, subject_type, subject_id, author_id, body, created_at, updated_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${notes}),
     base(first_id) AS (SELECT min(id) FROM contacts WHERE tenant_id = '${tenantId}')
SELECT '${tenantId}', 'contact', base.first_id + (i % ${contacts}), '${userId}',
  'Talked about ' || ${pick(WORDS, "i")} || ' and ' || ${pick(WORDS, "i * 3 + 1")} || '. Next step: ' || ${pick(WORDS, "i * 5 + 2")} || '.',
  ${now} - (i * 104729 % 31536000) * 1000, ${now} - i * 100
FROM seq, base;

-- Logged calls, meetings and emails (one for every two contacts) over the last year.
INSERT INTO interactions (tenant_id, subject_type, subject_id, kind, occurred_at, duration_minutes, logged_by, created_at, updated_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${Math.floor(contacts / 2)}),
     base(first_id) AS (SELECT min(id) FROM contacts WHERE tenant_id = '${tenantId}')
SELECT '${tenantId}', 'contact', base.first_id + (i * 7 % ${contacts}), CASE i % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'meeting' ELSE 'email' END,
  ${now} - (i * 7919 % 31536000) * 1000, 15, '${userId}', ${now}, ${now}
FROM seq, base;

-- Tags and custom fields as a workspace that uses them has: 20 tags, a third of the contacts tagged (some twice);
-- two contact fields with a value on every contact, one company field on every company.
INSERT INTO tags (tenant_id, name, name_key, color, created_at)
SELECT '${tenantId}', 'Tag ' || ${pick(WORDS, "value")} || ' ' || value, lower('Tag ' || ${pick(WORDS, "value")} || ' ' || value), 'blue', ${now}
FROM generate_series(1, 20);
INSERT INTO contact_tags (tenant_id, contact_id, tag_id)
SELECT c.tenant_id, c.id, (SELECT min(id) FROM tags WHERE tenant_id = '${tenantId}') + c.id % 20 FROM contacts c
WHERE c.tenant_id = '${tenantId}' AND c.id % 3 = 0
UNION ALL
SELECT c.tenant_id, c.id, (SELECT min(id) FROM tags WHERE tenant_id = '${tenantId}') + (c.id + 7) % 20 FROM contacts c
WHERE c.tenant_id = '${tenantId}' AND c.id % 9 = 0;
INSERT INTO custom_fields (tenant_id, entity, name, name_key, kind, position, created_at) VALUES
  ('${tenantId}', 'contact', 'Region', 'region', 'text', 0, ${now}),
  ('${tenantId}', 'contact', 'Tier', 'tier', 'text', 1, ${now}),
  ('${tenantId}', 'company', 'Account manager', 'account manager', 'text', 0, ${now});
INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
SELECT c.tenant_id, f.id, c.id, CASE f.name WHEN 'Region' THEN ${pick(["North", "South", "East", "West", "Central"], "c.id")} ELSE 'Tier ' || (c.id % 4) END
FROM contacts c JOIN custom_fields f ON f.tenant_id = c.tenant_id AND f.entity = 'contact' WHERE c.tenant_id = '${tenantId}'
UNION ALL
SELECT o.tenant_id, f.id, o.id, ${pick(FIRST, "o.id")} FROM companies o JOIN custom_fields f ON f.tenant_id = o.tenant_id AND f.entity = 'company'
WHERE o.tenant_id = '${tenantId}';

INSERT INTO tenant_counters (tenant_id, contacts, companies, notes, deals) VALUES ('${tenantId}', ${contacts}, ${companies}, ${notes}, ${deals + Math.floor((deals * 3) / 10)});
${dealsSql({ tenantId, userId, companies, deals, now })}
${tasksSql({ tenantId, userId, contacts, tasks, now })}

INSERT INTO contacts_fts (rowid, tenant, name, email, phone, company, notes, parts)
SELECT id, tenant, name, email, phone, company, notes, parts FROM contacts_fts_document WHERE tenant = '${tenantId}';
COMMIT;
INSERT INTO contacts_fts (contacts_fts) VALUES ('optimize');
`;
  // No ANALYZE: a D1 database has no statistics (nothing runs it), and the plans SQLite makes without them are the
  // ones production runs (test/db/query-plans.test.ts checks them). With them the bench measured better plans than
  // production gets: the API's list took the rowid order here and sorted the workspace there.
}

/**
 * `tasks` open tasks of the bench user, due from 30 days ago to 150 days ahead (some with a time),
 * each linked to a contact, and the contacts' next task dates kept as the app keeps them.
 */
function tasksSql({ tenantId, userId, contacts, tasks, now }) {
  const today = new Date(now).toISOString().slice(0, 10);
  return `
INSERT INTO tasks (tenant_id, title, title_sort, kind, priority, due_date, due_time, time_zone, due_at, assignee_id, subject_type, subject_id, status, created_by, created_at, updated_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i <= ${tasks} - 1),
     base(first_id) AS (SELECT min(id) FROM contacts WHERE tenant_id = '${tenantId}')
SELECT '${tenantId}', 'Follow up ' || ${pick(WORDS, "i")} || ' ' || i, lower('Follow up ' || ${pick(WORDS, "i")} || ' ' || i), CASE i % 4 WHEN 0 THEN 'todo' WHEN 1 THEN 'call' WHEN 2 THEN 'email' ELSE 'meeting' END,
  CASE WHEN i % 9 = 0 THEN 'high' ELSE 'normal' END, date('${today}', ((i * 7919) % 180 - 30) || ' days'),
  CASE WHEN i % 3 = 0 THEN printf('%02d:%02d', 8 + i % 10, (i % 4) * 15) END, 'UTC',
  CASE WHEN i % 3 = 0 THEN (unixepoch(date('${today}', ((i * 7919) % 180 - 30) || ' days')) + (8 + i % 10) * 3600 + (i % 4) * 900) * 1000 END,
  '${userId}', 'contact', base.first_id + (i % ${contacts}), 'open', '${userId}', ${now} - i * 1000, ${now} - i * 1000
FROM seq, base WHERE ${tasks} > 0;
UPDATE contacts SET next_task_due = (SELECT min(k.due_date) FROM tasks k WHERE k.tenant_id = contacts.tenant_id
  AND k.subject_type = 'contact' AND k.subject_id = contacts.id AND k.status = 'open')
WHERE tenant_id = '${tenantId}' AND ${tasks} > 0;`;
}

/** Stages of the bench's pipeline: six, as the deals issue measures the board with (ASCII: lower() makes name_key). */
export const BENCH_STAGES = ["Lead", "Qualified", "Demo", "Proposal", "Negotiation", "Contract"];

/** One pipeline of six stages holding `deals` open deals, with the stage totals the board reads. */
function dealsSql({ tenantId, userId, companies, deals, now }) {
  return `
INSERT INTO pipelines (tenant_id, name, name_key, position, created_at, updated_at) VALUES ('${tenantId}', 'Sales', 'sales', 0, ${now}, ${now});
INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, name_key, position, probability, created_at, updated_at)
SELECT '${tenantId}', (SELECT id FROM pipelines WHERE tenant_id = '${tenantId}'), s.value, lower(s.value), s.key, 10 + s.key * 15, ${now}, ${now}
FROM json_each(${json(BENCH_STAGES)}) s;
INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id, company_id, pipeline_id, stage_id, status, created_by, created_at, updated_at, last_activity_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i <= ${deals} - 1),
     firsts(company, stage, pipeline) AS (SELECT (SELECT min(id) FROM companies WHERE tenant_id = '${tenantId}'),
       (SELECT min(id) FROM pipeline_stages WHERE tenant_id = '${tenantId}'), (SELECT id FROM pipelines WHERE tenant_id = '${tenantId}'))
SELECT '${tenantId}', ${pick(WORDS, "i")} || ' deal ' || i, lower(${pick(WORDS, "i")} || ' deal ' || i), (i * 7919 % 5000000) + 10000, 'USD',
  date('2027-01-01', '+' || (i % 365) || ' days'), date('2027-01-01', '+' || (i % 365) || ' days'), '${userId}',
  firsts.company + (i % ${companies}), firsts.pipeline, firsts.stage + (i % 6), 'open', '${userId}', ${now} - i * 1000, ${now} - i * 500, ${now} - i * 500
FROM seq, firsts WHERE ${deals} > 0;
-- As many again as three in ten of them, won or lost on a day 31 to 730 days ago, each after a finished stay in
-- its stage: what the dashboard's won chart and the reports read (the report triggers count them as they are
-- written). Older than the board's 30 days of won and lost cards, so the board still measures its 6 × 50 open cards.
INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id, company_id, pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at, last_activity_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i <= ${Math.floor((deals * 3) / 10)} - 1),
     firsts(company, stage, pipeline) AS (SELECT (SELECT min(id) FROM companies WHERE tenant_id = '${tenantId}'),
       (SELECT min(id) FROM pipeline_stages WHERE tenant_id = '${tenantId}'), (SELECT id FROM pipelines WHERE tenant_id = '${tenantId}'))
SELECT '${tenantId}', 'closed deal ' || i, 'closed deal ' || i, (i * 7919 % 5000000) + 10000, 'USD',
  date(${Math.floor(now / 1000)}, 'unixepoch', '-' || (31 + i % 700) || ' days'), date(${Math.floor(now / 1000)}, 'unixepoch', '-' || (31 + i % 700) || ' days'),
  '${userId}', firsts.company + (i % ${companies}), firsts.pipeline, firsts.stage + (i % 6),
  CASE WHEN i % 2 = 0 THEN 'won' ELSE 'lost' END, CASE WHEN i % 2 = 1 THEN 'Price' END,
  date(${Math.floor(now / 1000)}, 'unixepoch', '-' || (31 + i % 700) || ' days'), '${userId}', ${now} - i * 1000, ${now}, ${now}
FROM seq, firsts WHERE ${deals} > 0;
INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, left_at, actor_id)
SELECT tenant_id, id, pipeline_id, stage_id, 'open', unixepoch(closed_on) * 1000 - 86400000 * (1 + id % 40), unixepoch(closed_on) * 1000, owner_id
FROM deals WHERE tenant_id = '${tenantId}' AND status <> 'open';
INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
SELECT tenant_id, stage_id, currency, count(*), sum(amount_minor) FROM deals WHERE tenant_id = '${tenantId}' AND status = 'open' GROUP BY stage_id, currency;
INSERT INTO lost_reasons (tenant_id, name, name_key, position, created_at) VALUES ('${tenantId}', 'Price', 'price', 0, ${now});
`;
}
