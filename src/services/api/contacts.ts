/**
 * Contacts as the API reads them: the record in the export format's field names (docs/export-format.md),
 * one page of the keyset list with the list's filters and `updated_since`, and one contact. Each read is one
 * D1 batch: the workspace's contact fields and the rows, every list value in a subquery of its row.
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts, type ContactSource } from "../../db/schema";
import { isoSql } from "../webhooks/events";
import { customFieldsJsonSql, recordExtrasSql } from "./record-sql";
import { contactEmailsAndPhonesSql } from "../contacts/page";
import { filterConditions } from "../contacts/matching";
import { ftsQuery, searchTerms } from "../records/search";

/** A contact as the API answers it. */
export interface ApiContact {
  id: number;
  first_name: string;
  last_name: string;
  display_name: string;
  emails: string[];
  phones: string[];
  job_title: string | null;
  company: { id: number; name: string } | null;
  address: string | null;
  source: ContactSource;
  tags: { id: number; name: string }[];
  owner_id: string | null;
  /** The owner's email while they are a member. */
  owner: string | null;
  custom_fields: Record<string, { kind: string; value: string }>;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface ApiContactQuery {
  q: string | null;
  tagId: number | null;
  companyId: number | null;
  ownerId: string | null;
  /** Only contacts changed at or after this time (ms). */
  updatedSince: number | null;
  /** The keyset: contacts after this id. */
  afterId: number;
  limit: number;
}

/**
 * A contact as one JSON text, built by SQLite from the row and its subqueries: the API's largest answers (200
 * records) then cost no per-field mapping in the Worker, and the list's body is these texts joined. The
 * subqueries name the outer row as `contacts.<column>` in their text: drizzle writes a column of a one-table
 * select unqualified ("id"), which inside a subquery would mean its own table's id. Subquery results lose
 * SQLite's JSON subtype, hence json(...) around them. The shape is ApiContact (checked by the record tests).
 */
function contactJsonSql(t: TenantDb): SQL<string> {
  const extras = recordExtrasSql(t, "contact");
  const { emails, phones } = contactEmailsAndPhonesSql(t);
  return sql<string>`json_object(
    'id', contacts.id, 'first_name', contacts.first_name, 'last_name', contacts.last_name,
    'display_name', coalesce(nullif(trim(contacts.first_name || ' ' || contacts.last_name), ''),
      nullif(contacts.primary_email, ''), 'Contact #' || contacts.id),
    'emails', json(${emails}), 'phones', json(${phones}), 'job_title', contacts.job_title,
    'company', CASE WHEN contacts.company_id IS NOT NULL AND contacts.company_name IS NOT NULL
      THEN json_object('id', contacts.company_id, 'name', contacts.company_name) END,
    'address', contacts.address, 'source', contacts.source, 'tags', json(${extras.tags}),
    'owner_id', contacts.owner_id, 'owner', ${extras.ownerEmail},
    'custom_fields', json(${customFieldsJsonSql(t, "contact", "contacts")}),
    'created_at', ${isoSql("contacts.created_at")}, 'updated_at', ${isoSql("contacts.updated_at")},
    'last_activity_at', ${isoSql("contacts.last_activity_at")})`;
}

/** One contact of the workspace as the API shows it, or null (another workspace's id is not found). */
export async function getApiContact(t: TenantDb, id: number): Promise<ApiContact | null> {
  const [row] = await t.db
    .select({ json: contactJsonSql(t) })
    .from(contacts)
    .where(t.where(contacts, eq(contacts.id, id)))
    .limit(1);
  return row ? (JSON.parse(row.json) as ApiContact) : null;
}

/**
 * One page of contacts by id (the keyset), with the filters: `limit` records as JSON texts and the id to
 * continue after, or null on the last page. A search is driven by the search index, as in the app's list.
 */
export async function listApiContacts(
  t: TenantDb,
  q: ApiContactQuery,
): Promise<{ records: string[]; nextAfterId: number | null }> {
  const match = q.q ? ftsQuery(t.tenantId, searchTerms(q.q)) : null;
  const conditions: SQL[] = [
    ...filterConditions(t, { match, tagId: q.tagId, companyId: q.companyId, ownerId: q.ownerId, custom: [] }),
    gt(contacts.id, q.afterId),
  ];
  if (q.updatedSince !== null) conditions.push(gte(contacts.updatedAt, q.updatedSince));
  const fields = { id: contacts.id, json: contactJsonSql(t) };
  const rows =
    match === null
      ? await t.db
          .select(fields)
          .from(contacts)
          .where(t.where(contacts, ...conditions))
          .orderBy(asc(contacts.id))
          .limit(q.limit + 1)
      : await t.db
          .select(fields)
          .from(sql`contacts_fts`)
          .crossJoin(contacts)
          .where(
            t.where(
              contacts,
              ...conditions,
              sql`contacts_fts MATCH ${match}`,
              sql`${contacts.id} = contacts_fts.rowid`,
            ),
          )
          .orderBy(sql`contacts_fts.rowid ASC`)
          .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { records: page.map((r) => r.json), nextAfterId: rows.length > q.limit ? page[page.length - 1]!.id : null };
}
