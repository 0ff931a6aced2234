/**
 * Contacts as the API reads them: the record in the export format's field names (docs/export-format.md),
 * one page of the keyset list with the list's filters and `updated_since`, and one contact. Each read is one
 * D1 batch: the workspace's contact fields and the rows, every list value in a subquery of its row.
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts, type ContactSource } from "../../db/schema";
import { isoTime } from "../export/serialise";
import { customFieldsOf, recordExtrasSql } from "./record-sql";
import { contactDisplayName } from "../contacts/names";
import { contactEmailsAndPhonesSql } from "../contacts/page";
import { filterConditions } from "../contacts/matching";
import { customFieldsQuery, toCustomField, type CustomField } from "../records/custom-fields";
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
 * The row's columns. The subqueries name the outer row as `contacts.<column>` in their text: drizzle writes a
 * column of a one-table select unqualified ("id"), which inside a subquery would mean its own table's id.
 */
function recordFields(t: TenantDb) {
  return {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    primaryEmail: contacts.primaryEmail,
    jobTitle: contacts.jobTitle,
    companyId: contacts.companyId,
    companyName: contacts.companyName,
    address: contacts.address,
    source: contacts.source,
    ownerId: contacts.ownerId,
    createdAt: contacts.createdAt,
    updatedAt: contacts.updatedAt,
    lastActivityAt: contacts.lastActivityAt,
    ...contactEmailsAndPhonesSql(t),
    ...recordExtrasSql(t, "contact"),
  };
}

/** Only for its row type: every read selects recordFields, whatever it reads from. */
const recordSelect = (t: TenantDb) => t.db.select(recordFields(t)).from(contacts);
type RecordRow = Awaited<ReturnType<typeof recordSelect>>[number];

const time = (ms: number) => isoTime(ms);

function toApiContact(row: RecordRow, fields: CustomField[]): ApiContact {
  const custom = customFieldsOf(row.values, fields);
  return {
    id: row.id,
    first_name: row.firstName,
    last_name: row.lastName,
    display_name: contactDisplayName(row),
    emails: JSON.parse(row.emails) as string[],
    phones: JSON.parse(row.phones) as string[],
    job_title: row.jobTitle,
    company: row.companyId !== null && row.companyName !== null ? { id: row.companyId, name: row.companyName } : null,
    address: row.address,
    source: row.source,
    tags: JSON.parse(row.tags) as { id: number; name: string }[],
    owner_id: row.ownerId,
    owner: row.ownerEmail,
    custom_fields: custom,
    created_at: time(row.createdAt),
    updated_at: time(row.updatedAt),
    last_activity_at: time(row.lastActivityAt),
  };
}

/** One contact of the workspace as the API shows it, or null (another workspace's id is not found). */
export async function getApiContact(t: TenantDb, id: number): Promise<ApiContact | null> {
  const [fieldRows, rows] = await t.db.batch([
    customFieldsQuery(t, "contact"),
    t.db
      .select(recordFields(t))
      .from(contacts)
      .where(t.where(contacts, eq(contacts.id, id)))
      .limit(1),
  ]);
  const row = rows[0] as RecordRow | undefined;
  return row ? toApiContact(row, fieldRows.map(toCustomField)) : null;
}

/**
 * One page of contacts by id (the keyset), with the filters: `limit` records and the id to continue
 * after, or null on the last page. A search is driven by the search index, as in the app's list.
 */
export async function listApiContacts(
  t: TenantDb,
  q: ApiContactQuery,
): Promise<{ records: ApiContact[]; nextAfterId: number | null }> {
  const match = q.q ? ftsQuery(t.tenantId, searchTerms(q.q)) : null;
  const conditions: SQL[] = [
    ...filterConditions(t, { match, tagId: q.tagId, companyId: q.companyId, ownerId: q.ownerId, custom: [] }),
    gt(contacts.id, q.afterId),
  ];
  if (q.updatedSince !== null) conditions.push(gte(contacts.updatedAt, q.updatedSince));
  const page =
    match === null
      ? t.db
          .select(recordFields(t))
          .from(contacts)
          .where(t.where(contacts, ...conditions))
          .orderBy(asc(contacts.id))
          .limit(q.limit + 1)
      : t.db
          .select(recordFields(t))
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
  const [fieldRows, rows] = await t.db.batch([customFieldsQuery(t, "contact"), page]);
  const fields = fieldRows.map(toCustomField);
  const records = (rows as RecordRow[]).slice(0, q.limit).map((r) => toApiContact(r, fields));
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}
