/**
 * Contacts as the API reads them: the record in the export format's field names (docs/export-format.md),
 * one page of the keyset list with the list's filters and `updated_since`, and one contact. Each read is one
 * D1 batch: the rows (every list value in a subquery of its row), the workspace's contact fields and its members'
 * emails; the Worker writes the records (contact-json.ts).
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts, type ContactSource } from "../../db/schema";
import { type ContactRow, contactJson, contactLookups, contactRowFields } from "./contact-json";
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

/** The rows' statement and the lookups', sent in one batch; the records written from them. */
async function readRecords(
  t: TenantDb,
  rows: { toSQL(): { sql: string; params: unknown[] } },
): Promise<{ rows: ContactRow[]; records: string[] }> {
  const client = t.db.$client;
  const statement = rows.toSQL();
  const [found, fields, members] = await client.batch([
    client.prepare(statement.sql).bind(...statement.params),
    client
      .prepare(
        "SELECT id, name, kind FROM custom_fields WHERE tenant_id = ? AND entity = 'contact' ORDER BY position, id",
      )
      .bind(t.tenantId),
    client
      .prepare("SELECT m.user_id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ?")
      .bind(t.tenantId),
  ]);
  const lookups = contactLookups(fields!.results, members!.results);
  const list = found!.results as unknown as ContactRow[];
  return { rows: list, records: list.map((r) => contactJson(r, lookups)) };
}

/** One contact of the workspace as the API shows it, or null (another workspace's id is not found). */
export async function getApiContact(t: TenantDb, id: number): Promise<ApiContact | null> {
  const query = t.db
    .select(contactRowFields(t))
    .from(contacts)
    .where(t.where(contacts, eq(contacts.id, id)))
    .limit(1);
  const { records } = await readRecords(t, query);
  return records[0] ? (JSON.parse(records[0]) as ApiContact) : null;
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
  const fields = contactRowFields(t);
  const query =
    match === null
      ? t.db
          .select(fields)
          .from(contacts)
          .where(t.where(contacts, ...conditions))
          .orderBy(asc(contacts.id))
          .limit(q.limit + 1)
      : t.db
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
  const { rows, records } = await readRecords(t, query);
  const more = rows.length > q.limit;
  return { records: records.slice(0, q.limit), nextAfterId: more ? rows[q.limit - 1]!.id : null };
}
