/**
 * What a trashed record is made of: for each kind, the tables whose rows its delete removes (the
 * record itself first), how a row is tied to the record, and how the list names it. Snapshot and
 * restore both walk these lists, so a table added to a delete is added here once.
 */
import { sql, type SQL } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  activities,
  companies,
  companyTags,
  contactEmails,
  contactPhones,
  contacts,
  contactTags,
  customFieldValues,
  dealContacts,
  deals,
  dealStageHistory,
  dealTags,
  interactions,
  notes,
  tasks,
  type SubjectType,
  type TrashKind,
} from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { RETENTION } from "../../lib/legal";

/** How long a deleted record waits in the trash (what /privacy states). */
export const TRASH_DAYS = RETENTION.trashDays;

/** Rows of one table that belong to a trashed record (`x` is the table's alias). */
export interface Part {
  table: SQLiteTable;
  /** The trash_rows.table_name; "link:<table>" for rows the delete only unlinked (a company's contacts). */
  name: string;
  /** SQL on `x` giving the trashed record's id. */
  recordId: string;
  /** More conditions on `x`, bound to the tenant. */
  where?: (t: TenantDb) => SQL;
  /** Only these columns (link rows); every column of the table otherwise. */
  columns?: string[];
}

const ofSubject = (type: SubjectType) => () => sql.raw(`x.subject_type = '${type}'`);
const valuesOf = (entity: SubjectType) => (t: TenantDb) =>
  sql`x.field_id IN (SELECT id FROM custom_fields WHERE tenant_id = ${t.tenantId} AND entity = ${entity})`;

/** A record's notes, tasks, logged interactions and timeline: the same for contacts, companies and deals. */
function hanging(type: SubjectType): Part[] {
  return [
    { table: notes, name: "notes", recordId: "x.subject_id", where: ofSubject(type) },
    { table: tasks, name: "tasks", recordId: "x.subject_id", where: ofSubject(type) },
    { table: interactions, name: "interactions", recordId: "x.subject_id", where: ofSubject(type) },
    { table: activities, name: "activities", recordId: "x.subject_id", where: ofSubject(type) },
    { table: customFieldValues, name: "custom_field_values", recordId: "x.entity_id", where: valuesOf(type) },
  ];
}

export const PARTS: Record<TrashKind, Part[]> = {
  contact: [
    { table: contacts, name: "contacts", recordId: "x.id" },
    { table: contactEmails, name: "contact_emails", recordId: "x.contact_id" },
    { table: contactPhones, name: "contact_phones", recordId: "x.contact_id" },
    { table: contactTags, name: "contact_tags", recordId: "x.contact_id" },
    { table: dealContacts, name: "deal_contacts", recordId: "x.contact_id" },
    ...hanging("contact"),
  ],
  company: [
    { table: companies, name: "companies", recordId: "x.id" },
    { table: companyTags, name: "company_tags", recordId: "x.company_id" },
    ...hanging("company"),
    // Its contacts and deals stay, without the company: restore links back those still without one.
    {
      table: contacts,
      name: "link:contacts",
      recordId: "x.company_id",
      columns: ["id", "company_name", "company_sort"],
    },
    { table: deals, name: "link:deals", recordId: "x.company_id", columns: ["id"] },
  ],
  deal: [
    { table: deals, name: "deals", recordId: "x.id" },
    { table: dealContacts, name: "deal_contacts", recordId: "x.deal_id" },
    { table: dealTags, name: "deal_tags", recordId: "x.deal_id" },
    { table: dealStageHistory, name: "deal_stage_history", recordId: "x.deal_id" },
    ...hanging("deal"),
  ],
  note: [{ table: notes, name: "notes", recordId: "x.id" }],
  task: [{ table: tasks, name: "tasks", recordId: "x.id" }],
};

/** The record's own table, SQL name. */
export const MAIN_TABLE: Record<TrashKind, string> = {
  contact: "contacts",
  company: "companies",
  deal: "deals",
  note: "notes",
  task: "tasks",
};

/** The characters of a mention's user id (views/lib/markdown.ts MENTION_PATTERN: 24 of them). */
const MENTION_ID_CHARS = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * SQL: a note's first 80 characters as the trash names it, each mention (`@[Bea](user:<id>)`) written as
 * "@Bea", the way a note shows it. `body` is SQL giving the body; mentions are matched as MENTION_PATTERN
 * does, left to right, stopping once 80 characters are out (so at most 80 steps, however long the note).
 */
export function noteTitleSql(body: string): string {
  const at = "instr(m.r, '@[')";
  const tail = `substr(m.r, ${at} + 2)`;
  const close = `instr(${tail}, ']')`;
  const name = `substr(${tail}, 1, ${close} - 1)`;
  const after = `substr(${tail}, ${close})`;
  const mention = `${close} BETWEEN 2 AND 101 AND instr(${name}, char(10)) = 0
    AND substr(${after}, 1, 7) = '](user:' AND length(substr(${after}, 8, 24)) = 24
    AND trim(substr(${after}, 8, 24), '${MENTION_ID_CHARS}') = '' AND substr(${after}, 32, 1) = ')'`;
  return `(WITH RECURSIVE m(o, r, n) AS (SELECT '', ${body}, 0 UNION ALL
      SELECT CASE WHEN ${at} = 0 THEN m.o || m.r WHEN ${mention} THEN m.o || substr(m.r, 1, ${at} - 1) || '@' || ${name}
          ELSE m.o || substr(m.r, 1, ${at}) END,
        CASE WHEN ${at} = 0 THEN '' WHEN ${mention} THEN substr(${after}, 33) ELSE substr(m.r, ${at} + 1) END,
        m.n + 1
      FROM m WHERE m.r <> '' AND length(m.o) < 80)
    SELECT substr(o || r, 1, 80) FROM m ORDER BY n DESC LIMIT 1)`;
}

/** How the trash list names a record, and whose it is (may restore it besides admins), as SQL on `x`. */
export const ITEM_FACTS: Record<TrashKind, { title: string; owner: string; subject: string }> = {
  contact: {
    title: "coalesce(nullif(trim(x.first_name || ' ' || x.last_name), ''), x.primary_email, 'Contact #' || x.id)",
    owner: "x.owner_id",
    subject: "NULL, NULL",
  },
  company: { title: "x.name", owner: "x.owner_id", subject: "NULL, NULL" },
  deal: { title: "x.name", owner: "x.owner_id", subject: "NULL, NULL" },
  note: { title: noteTitleSql("x.body"), owner: "x.author_id", subject: "x.subject_type, x.subject_id" },
  task: { title: "x.title", owner: "x.assignee_id", subject: "x.subject_type, x.subject_id" },
};

/** The SQL column names of a part. */
export function columnsOf(part: Part): string[] {
  return part.columns ?? getTableConfig(part.table).columns.map((c) => c.name);
}

/** A table's SQL name. */
export function tableName(part: Part): string {
  return getTableConfig(part.table).name;
}
