/**
 * The statements of an undo page (undo.ts decides what they get): deleting records the import created
 * with everything hanging off them, and restoring the fields, emails, phones, tags, custom values
 * and note it changed on matched records, driven by the page's JSON rows (RestoreRow) as the import was.
 */
import { deleteTasksOfStatements } from "../tasks/statements";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { ImportRecord } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { deleteNotesOfStatements } from "../records/notes";
import { webhookEventSql } from "../webhooks/events";
import { companyData, contactData, noteDeletedData } from "../webhooks/payloads";
import type { CompanyFields, ContactFields } from "./chunk";

/** What an import writes and its undo removes or restores (import_records.entity_type). */
export type RecordType = ImportRecord["entityType"];

/** What undoing one updated record puts back. */
export interface RestoreRow {
  id: number;
  /** The fields to restore (null: empty again), and the record's times when everything is restored. */
  set: { [K in keyof (ContactFields & CompanyFields)]?: string | null } & {
    updatedAt?: number | null;
    lastActivityAt?: number | null;
  };
  /** Emails, phones and tags the import added, to take off again. */
  emails: string[];
  phones: string[];
  tagKeys: string[];
  /** Custom field id → the value before (null: none). */
  custom: Record<string, string | null>;
  /** The notes the import added, each with its creation time: deleted unless edited since. */
  notes: { body: string; at: number }[];
  /** The undo's own timeline entry, when it is not whole. */
  changes: Record<string, [unknown, unknown]>;
  /** Everything restored: the import's timeline entry goes, and no entry of the undo's is written. */
  whole: boolean;
}

const json = (v: unknown) => JSON.stringify(v);

/** The statements that delete records of one type with everything hanging off them (as deleting by hand does). */
export function deleteStatements(t: TenantDb, type: RecordType, ids: number[], now: number): SQLWrapper[] {
  if (ids.length === 0) return [];
  const list = json(ids);
  const tenantId = t.tenantId;
  if (type === "tag") {
    // Only tags no record carries (checked again here, inside the batch).
    return [
      sql`DELETE FROM tags WHERE tenant_id = ${tenantId} AND id IN (SELECT value FROM json_each(${list}))
      AND NOT EXISTS (SELECT 1 FROM contact_tags WHERE tag_id = tags.id) AND NOT EXISTS (SELECT 1 FROM company_tags WHERE tag_id = tags.id)
      AND NOT EXISTS (SELECT 1 FROM deal_tags WHERE tag_id = tags.id)`,
    ];
  }
  const table = sql.raw(type === "contact" ? "contacts" : "companies");
  const inIds = (col: string) => sql`${sql.raw(col)} IN (SELECT value FROM json_each(${list}))`;
  // First, while the records and their tags and values are all there: the *.deleted events a delete by hand sends.
  const deleted =
    type === "contact"
      ? webhookEventSql(
          t,
          "contact.deleted",
          sql`json_object('id', c.id, 'erased', json('false'), 'merged_into', NULL)`,
          sql`FROM contacts c WHERE c.tenant_id = ${tenantId} AND ${inIds("c.id")}`,
          now,
        )
      : webhookEventSql(
          t,
          "company.deleted",
          sql`json_set(${companyData()}, '$.merged_into', NULL)`,
          sql`FROM companies co WHERE co.tenant_id = ${tenantId} AND ${inIds("co.id")}`,
          now,
        );
  return [
    deleted,
    sql`UPDATE tenant_counters SET ${table} = max(0, ${table} - (SELECT count(*) FROM ${table} WHERE tenant_id = ${tenantId} AND ${inIds("id")}))
      WHERE tenant_id = ${tenantId}`,
    // The notes and their counter, as deleting records by hand does.
    ...deleteNotesOfStatements(t, type, ids),
    ...deleteTasksOfStatements(t, type, ids),
    ...deleteInteractionsOfStatements(t, type, ids),
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND ${inIds("entity_id")}
      AND field_id IN (SELECT id FROM custom_fields WHERE tenant_id = ${tenantId} AND entity = ${type})`,
    sql`DELETE FROM activities WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND ${inIds("subject_id")}`,
    sql`DELETE FROM recent_views WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND ${inIds("subject_id")}`,
    // Emails, phones and tag links go by foreign-key cascade.
    sql`DELETE FROM ${table} WHERE tenant_id = ${tenantId} AND ${inIds("id")}`,
  ];
}

type Restorable = keyof RestoreRow["set"];
/** Whether the row restores `field` (present, even as null). */
const has = (field: Restorable) => sql.raw(`json_type(j.value, '$.set.${field}') IS NOT NULL`);
const val = (field: Restorable) => sql.raw(`j.value ->> '$.set.${field}'`);
/** `column` restored from `field` when the row has it, else kept. */
const restored = (field: Restorable, column: string) =>
  sql`CASE WHEN ${has(field)} THEN ${val(field)} ELSE r.${sql.raw(column)} END`;

/** The upsert that puts a contact's fields back, driven by the JSON (see plan-contacts-sql.ts for why not UPDATE ... FROM). */
function restoreContacts(t: TenantDb, rows: string, now: number): SQL[] {
  const companyId = sql`(SELECT id FROM companies WHERE tenant_id = ${t.tenantId} AND name_sort = ${val("companySort")} ORDER BY id LIMIT 1)`;
  return [
    sql`INSERT INTO contacts (id, tenant_id, first_name, last_name, name_sort, primary_email, primary_phone, job_title,
        company_id, company_name, company_sort, address, owner_id, created_by, created_at, updated_at, last_activity_at)
      SELECT r.id, r.tenant_id,
        CASE WHEN ${has("firstName")} THEN coalesce(${val("firstName")}, '') ELSE r.first_name END,
        CASE WHEN ${has("lastName")} THEN coalesce(${val("lastName")}, '') ELSE r.last_name END,
        ${restored("nameSort", "name_sort")}, r.primary_email, r.primary_phone, ${restored("jobTitle", "job_title")},
        CASE WHEN ${has("companySort")} THEN ${companyId} ELSE r.company_id END,
        CASE WHEN ${has("companySort")} THEN (SELECT name FROM companies WHERE id = ${companyId}) ELSE r.company_name END,
        CASE WHEN ${has("companySort")} THEN coalesce(${val("companySort")}, '') ELSE r.company_sort END,
        ${restored("address", "address")}, ${restored("ownerId", "owner_id")},
        r.created_by, r.created_at, coalesce(${val("updatedAt")}, ${now}), coalesce(${val("lastActivityAt")}, r.last_activity_at)
      FROM json_each(${rows}) j CROSS JOIN contacts r ON r.id = j.value ->> 'id' AND r.tenant_id = ${t.tenantId} WHERE true
      ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
        name_sort = excluded.name_sort, job_title = excluded.job_title, company_id = excluded.company_id,
        company_name = excluded.company_name, company_sort = excluded.company_sort, address = excluded.address,
        owner_id = excluded.owner_id, updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`,
    sql`DELETE FROM contact_emails WHERE tenant_id = ${t.tenantId} AND (contact_id, email) IN
      (SELECT j.value ->> 'id', e.value FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.emails') e)`,
    sql`DELETE FROM contact_phones WHERE tenant_id = ${t.tenantId} AND (contact_id, phone) IN
      (SELECT j.value ->> 'id', p.value FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.phones') p)`,
    sql`UPDATE contacts SET
        primary_email = (SELECT email FROM contact_emails WHERE contact_id = contacts.id ORDER BY position LIMIT 1),
        primary_phone = (SELECT phone FROM contact_phones WHERE contact_id = contacts.id ORDER BY position LIMIT 1)
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT j.value ->> 'id' FROM json_each(${rows}) j)`,
    sql`DELETE FROM contact_tags WHERE tenant_id = ${t.tenantId} AND (contact_id, tag_id) IN
      (SELECT j.value ->> 'id', t.id FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.tagKeys') k
        JOIN tags t ON t.tenant_id = ${t.tenantId} AND t.name_key = k.value)`,
  ];
}

/** The upsert that puts a company's fields back, its name on its contacts, and its tags off. */
function restoreCompanies(t: TenantDb, rows: string, now: number): SQL[] {
  return [
    sql`INSERT INTO companies (id, tenant_id, name, name_sort, domain, industry, size, address, phone, owner_id,
        created_by, created_at, updated_at, last_activity_at)
      SELECT r.id, r.tenant_id, ${restored("name", "name")}, ${restored("nameSort", "name_sort")},
        ${restored("domain", "domain")}, ${restored("industry", "industry")}, ${restored("size", "size")},
        ${restored("address", "address")}, ${restored("phone", "phone")}, ${restored("ownerId", "owner_id")},
        r.created_by, r.created_at, coalesce(${val("updatedAt")}, ${now}), coalesce(${val("lastActivityAt")}, r.last_activity_at)
      FROM json_each(${rows}) j CROSS JOIN companies r ON r.id = j.value ->> 'id' AND r.tenant_id = ${t.tenantId} WHERE true
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_sort = excluded.name_sort, domain = excluded.domain,
        industry = excluded.industry, size = excluded.size, address = excluded.address, phone = excluded.phone,
        owner_id = excluded.owner_id, updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`,
    // A newer version of each contact whose company name changes back, so an API sync by updated_since reads it
    // again: the contacts' own times are not the import's to restore.
    sql`UPDATE contacts SET company_name = r.name, company_sort = r.name_sort, updated_at = max(contacts.updated_at + 1, ${now})
      FROM json_each(${rows}) j CROSS JOIN companies r ON r.id = j.value ->> 'id' AND r.tenant_id = ${t.tenantId}
      WHERE contacts.tenant_id = ${t.tenantId} AND contacts.company_id = r.id AND ${has("name")}
        AND contacts.company_name IS NOT r.name`,
    sql`DELETE FROM company_tags WHERE tenant_id = ${t.tenantId} AND (company_id, tag_id) IN
      (SELECT j.value ->> 'id', t.id FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.tagKeys') k
        JOIN tags t ON t.tenant_id = ${t.tenantId} AND t.name_key = k.value)`,
  ];
}

/** Each row's added notes as (record id, body, creation time). */
const addedNotes = (rows: string) =>
  sql`SELECT j.value ->> 'id', x.value ->> 'body', x.value ->> 'at' FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.notes') x`;

/** The statements that restore a page of updated records of one type. */
export function restoreStatements(
  t: TenantDb,
  type: Exclude<RecordType, "tag">,
  importId: string,
  actorId: string | null,
  restores: RestoreRow[],
  now: number,
): SQL[] {
  const rows = json(restores);
  const tenantId = t.tenantId;
  return [
    ...(type === "contact" ? restoreContacts(t, rows, now) : restoreCompanies(t, rows, now)),
    // Custom values: the old value back, or none when there was none.
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND (field_id, entity_id) IN
      (SELECT f.id, j.value ->> 'id' FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.custom') v
        JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenantId} AND f.entity = ${type}
        WHERE v.value IS NULL)`,
    // A select value whose option was removed since is not put back (the import's value stays): no form could keep it.
    sql`INSERT INTO custom_field_values (tenant_id, field_id, entity_id, value)
      SELECT ${tenantId}, f.id, j.value ->> 'id', v.value FROM json_each(${rows}) j CROSS JOIN json_each(j.value, '$.custom') v
        JOIN custom_fields f ON f.id = CAST(v.key AS INTEGER) AND f.tenant_id = ${tenantId} AND f.entity = ${type}
      WHERE v.value IS NOT NULL
        AND (f.kind <> 'select' OR EXISTS (SELECT 1 FROM json_each(f.options) o WHERE o.value = v.value))
      ON CONFLICT DO UPDATE SET value = excluded.value`,
    // The notes the import added, if nobody edited them.
    sql`UPDATE tenant_counters SET notes = max(0, notes - (SELECT count(*) FROM notes n
        WHERE n.tenant_id = ${tenantId} AND n.subject_type = ${type} AND n.updated_at = n.created_at
          AND (n.subject_id, n.body, n.created_at) IN (${addedNotes(rows)}))) WHERE tenant_id = ${tenantId}`,
    // Before they go, a note.deleted each: the import sent their note.created.
    webhookEventSql(
      t,
      "note.deleted",
      noteDeletedData(),
      sql`FROM notes n WHERE n.tenant_id = ${tenantId} AND n.subject_type = ${type} AND n.updated_at = n.created_at
        AND (n.subject_id, n.body, n.created_at) IN (${addedNotes(rows)})`,
      now,
    ),
    sql`DELETE FROM notes WHERE tenant_id = ${tenantId} AND subject_type = ${type} AND updated_at = created_at
      AND (subject_id, body, created_at) IN (${addedNotes(rows)})`,
    sql`DELETE FROM activities WHERE tenant_id = ${tenantId} AND subject_type = ${type}
      AND json_extract(detail, '$.import') = ${importId}
      AND subject_id IN (SELECT j.value ->> 'id' FROM json_each(${rows}) j WHERE j.value ->> 'whole')`,
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT ${tenantId}, ${type}, j.value ->> 'id', ${actorId}, 'updated', json_set(j.value -> 'changes', '$.undo', ${importId}), ${now}
      FROM json_each(${rows}) j WHERE NOT (j.value ->> 'whole') AND j.value -> 'changes' != '{}'`,
    // Last, the record as the undo leaves it: its *.updated event, for each one that gets something back.
    webhookEventSql(
      t,
      `${type}.updated`,
      type === "contact" ? contactData("r") : companyData("r"),
      sql`FROM json_each(${rows}) j CROSS JOIN ${sql.raw(type === "contact" ? "contacts" : "companies")} r
        ON r.id = j.value ->> 'id' AND r.tenant_id = ${tenantId}
      WHERE (j.value -> '$.set' != '{}' OR j.value -> '$.custom' != '{}' OR json_array_length(j.value, '$.emails')
        + json_array_length(j.value, '$.phones') + json_array_length(j.value, '$.tagKeys') > 0)`,
      now,
    ),
  ];
}
