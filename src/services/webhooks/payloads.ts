/**
 * Each event's `data`, built in SQL from the row inside the change's own batch (a new record's id exists
 * only there). Field names are the export's (snake_case, ISO 8601 times, amounts in minor units), so an
 * integration reads a webhook and an export alike. `a` is the changed row's alias in the event's FROM.
 */
import { sql, type SQL } from "drizzle-orm";
import { isoSql } from "./events";

const col = (a: string, name: string) => sql.raw(`${a}.${name}`);
const times = (a: string) =>
  sql`'created_at', ${isoSql(`${a}.created_at`)}, 'updated_at', ${isoSql(`${a}.updated_at`)}`;

/**
 * What the batch changes after its *.updated row is written, so the payload shows the record as the batch leaves
 * it: a tag being added or removed, or a tag or custom field definition being deleted.
 */
export interface PendingChange {
  addTagId?: number;
  dropTagId?: number;
  dropFieldId?: number;
}

const LINKS = {
  contact: { links: "contact_tags", column: "contact_id" },
  company: { links: "company_tags", column: "company_id" },
  deal: { links: "deal_tags", column: "deal_id" },
} as const;

/**
 * A record's `'tags', [{id, name}], 'custom_fields', {name: value}` pairs for its json_object, as the API shows
 * them, with `pending` applied. json(...) keeps each list JSON through its subquery, which drops SQLite's JSON subtype.
 */
function labels(kind: keyof typeof LINKS, a: string, pending: PendingChange): SQL {
  const tenant = col(a, "tenant_id");
  const id = col(a, "id");
  const { links, column } = LINKS[kind];
  const plus = pending.addTagId === undefined ? sql`` : sql` UNION SELECT ${pending.addTagId}`;
  const minusTag = pending.dropTagId === undefined ? sql`` : sql` AND g.id <> ${pending.dropTagId}`;
  const minusField = pending.dropFieldId === undefined ? sql`` : sql` AND v.field_id <> ${pending.dropFieldId}`;
  // From the record's links to each tag (CROSS JOIN keeps that order): the other way round, SQLite walks the
  // workspace's tags for each write (test/db/query-plans.test.ts).
  return sql`'tags', json((SELECT json_group_array(json_object('id', x.id, 'name', x.name)) FROM (SELECT g.id, g.name
      FROM (SELECT l.tag_id AS id FROM ${sql.raw(links)} l WHERE l.tenant_id = ${tenant} AND l.${sql.raw(column)} = ${id}${plus}) k
      CROSS JOIN tags g ON g.id = k.id AND g.tenant_id = ${tenant}${minusTag} ORDER BY g.name, g.id) x)),
    'custom_fields', json((SELECT json_group_object(f.name, v.value) FROM custom_field_values v
      JOIN custom_fields f ON f.tenant_id = v.tenant_id AND f.id = v.field_id AND f.entity = ${kind}
      WHERE v.tenant_id = ${tenant} AND v.entity_id = ${id}${minusField}))`;
}

/** A contact with its emails and phones in order, its tags and its custom values. */
export function contactData(a = "c", pending: PendingChange = {}): SQL {
  const list = (table: string, column: string) =>
    sql.raw(`json((SELECT json_group_array(x.${column}) FROM (SELECT ${column} FROM ${table} x0
      WHERE x0.tenant_id = ${a}.tenant_id AND x0.contact_id = ${a}.id ORDER BY x0.position) x))`);
  return sql`json_object('id', ${col(a, "id")}, 'first_name', ${col(a, "first_name")}, 'last_name', ${col(a, "last_name")},
    'emails', ${list("contact_emails", "email")}, 'phones', ${list("contact_phones", "phone")},
    'job_title', ${col(a, "job_title")}, 'company_id', ${col(a, "company_id")}, 'company', ${col(a, "company_name")},
    'address', ${col(a, "address")}, 'owner_id', ${col(a, "owner_id")}, ${labels("contact", a, pending)}, ${times(a)})`;
}

/** A company with its tags and its custom values. */
export function companyData(a = "co", pending: PendingChange = {}): SQL {
  return sql`json_object('id', ${col(a, "id")}, 'name', ${col(a, "name")}, 'domain', ${col(a, "domain")},
    'industry', ${col(a, "industry")}, 'size', ${col(a, "size")}, 'phone', ${col(a, "phone")},
    'address', ${col(a, "address")}, 'owner_id', ${col(a, "owner_id")}, ${labels("company", a, pending)}, ${times(a)})`;
}

/** A deal with its stage's name (`extra`: more json_object pairs, such as the stage it left). */
export function dealData(a = "d", extra?: SQL): SQL {
  return sql`json_object('id', ${col(a, "id")}, 'name', ${col(a, "name")}, 'amount_minor', ${col(a, "amount_minor")},
    'currency', ${col(a, "currency")}, 'pipeline_id', ${col(a, "pipeline_id")}, 'stage_id', ${col(a, "stage_id")},
    'stage', (SELECT s.name FROM pipeline_stages s WHERE s.tenant_id = ${col(a, "tenant_id")} AND s.id = ${col(a, "stage_id")}),
    'status', ${col(a, "status")}, 'lost_reason', ${col(a, "lost_reason")}, 'close_date', ${col(a, "close_date")},
    'closed_on', ${col(a, "closed_on")}, 'company_id', ${col(a, "company_id")}, 'owner_id', ${col(a, "owner_id")},
    ${times(a)}${extra ? sql`, ${extra}` : sql``})`;
}

/**
 * A deal as deal.updated carries it: dealData with its tags, contacts (ids and roles) and custom values by field
 * name, and `changed`, the API names of the fields that changed (or SQL giving their JSON list).
 */
export function dealUpdatedData(changed: string[] | SQL, a = "d", pending: PendingChange = {}): SQL {
  const tenant = col(a, "tenant_id");
  const id = col(a, "id");
  return dealData(
    a,
    sql`${labels("deal", a, pending)},
      'contacts', json((SELECT json_group_array(json_object('id', x.contact_id, 'role', x.role)) FROM (
        SELECT dc.contact_id, dc.role FROM deal_contacts dc WHERE dc.tenant_id = ${tenant} AND dc.deal_id = ${id}
        ORDER BY dc.contact_id) x)),
      'changed', json(${Array.isArray(changed) ? JSON.stringify(changed) : changed})`,
  );
}

/** A task. */
export function taskData(a = "tk"): SQL {
  return sql`json_object('id', ${col(a, "id")}, 'title', ${col(a, "title")}, 'kind', ${col(a, "kind")},
    'due_date', ${col(a, "due_date")}, 'assignee_id', ${col(a, "assignee_id")}, 'subject_type', ${col(a, "subject_type")},
    'subject_id', ${col(a, "subject_id")}, 'status', ${col(a, "status")},
    'completed_at', ${isoSql(`${a}.completed_at`)}, 'completed_by', ${col(a, "completed_by")}, ${times(a)})`;
}

/** A note (its Markdown as typed). */
export function noteData(a = "n"): SQL {
  return sql`json_object('id', ${col(a, "id")}, 'subject_type', ${col(a, "subject_type")}, 'subject_id', ${col(a, "subject_id")},
    'body', ${col(a, "body")}, 'author_id', ${col(a, "author_id")}, ${times(a)})`;
}

/** A deleted note: which it was and on what record; not its body, which its note.created carried. */
export function noteDeletedData(a = "n"): SQL {
  return sql`json_object('id', ${col(a, "id")}, 'subject_type', ${col(a, "subject_type")}, 'subject_id', ${col(a, "subject_id")})`;
}

/**
 * A deal moved to `stageId` (`stageName`: its name, as SQL), read from the row before it moves. json_set, not
 * json_patch: a merge patch drops a field whose new value is null.
 */
export function stageChangedData(stageId: number, stageName: SQL, now: number, a = "d"): SQL {
  return sql`json_set(${dealData(a)}, '$.stage_id', ${stageId}, '$.stage', ${stageName},
    '$.updated_at', ${isoSql(sql`${now}`)}, '$.previous_stage_id', ${col(a, "stage_id")},
    '$.previous_stage', (SELECT s.name FROM pipeline_stages s WHERE s.tenant_id = ${col(a, "tenant_id")} AND s.id = ${col(a, "stage_id")}))`;
}
