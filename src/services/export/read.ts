/**
 * Reads a tenant's contacts and companies for an export (notes: notes.ts), page by page: ONE query per page of up to
 * EXPORT_PAGE_SIZE records, everything a record carries aggregated in SQL by correlated subqueries (no
 * per-row queries, a handful of bound parameters), on a keyset over an index that starts with tenant_id.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { ContactSource, SubjectType } from "../../db/schema";
import { nameSortKey } from "../companies/form";
import { contactDisplayName } from "../contacts/names";
import {
  type CompanyExportFilters,
  type ContactExportFilters,
  EXPORT_PAGE_SIZE,
  type ExportCompany,
  type ExportContact,
  type ExportInteraction,
  type ExportNote,
  type ExportRecordFields,
  NO_COMPANY_FILTERS,
  NO_CONTACT_FILTERS,
} from "./columns";
import type { CompanyDetails } from "../companies/fields";

/** Yields pages until a query returns no more than a page: `fetch` gets the last row of the page before. */
export async function* keysetPages<R>(fetch: (after: R | null) => Promise<R[]>): AsyncGenerator<R[]> {
  let after: R | null = null;
  for (;;) {
    const rows = await fetch(after);
    const page = rows.slice(0, EXPORT_PAGE_SIZE);
    if (page.length) yield page;
    if (rows.length <= EXPORT_PAGE_SIZE) return;
    after = page[page.length - 1]!;
  }
}

/** The owner's email while the owner is a member of the record's tenant (alias `r`). */
export const ownerEmail = (r: string) =>
  sql.raw(
    `(SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = ${r}.tenant_id AND m.user_id = ${r}.owner_id)`,
  );

/**
 * A record's custom values as a JSON object {fieldId: value}, only from fields of its entity (a
 * contact and a company may share an id). Driven by the tenant's fields (a handful), each probing the
 * values' primary key: left to itself SQLite may walk every value of the tenant for each record.
 */
export const customValuesJson = (r: string, entity: SubjectType) =>
  sql.raw(`(SELECT json_group_object(v.field_id, v.value) FROM custom_fields f
     CROSS JOIN custom_field_values v ON v.tenant_id = f.tenant_id AND v.field_id = f.id AND v.entity_id = ${r}.id
     WHERE f.tenant_id = ${r}.tenant_id AND f.entity = '${entity}')`);

/** A record's notes as a JSON array, oldest first, with each author's email. */
export const notesAggregate = (r: string, entity: SubjectType) =>
  sql.raw(`(SELECT json_group_array(json_object('id', id, 'body', body, 'author', author, 'created_at', created_at, 'updated_at', updated_at))
     FROM (SELECT n.id AS id, n.body AS body, u.email AS author, n.created_at AS created_at, n.updated_at AS updated_at
           FROM notes n LEFT JOIN users u ON u.id = n.author_id
           WHERE n.tenant_id = ${r}.tenant_id AND n.subject_type = '${entity}' AND n.subject_id = ${r}.id ORDER BY n.id))`);

/** A record's logged calls, meetings and emails as a JSON array, by when they happened, with who logged each. */
export const interactionsAggregate = (r: string, entity: SubjectType) =>
  sql.raw(`(SELECT json_group_array(json_object('id', id, 'kind', kind, 'occurred_at', occurred_at,
       'duration_minutes', duration_minutes, 'outcome', outcome, 'notes', notes, 'logged_by', logged_by))
     FROM (SELECT i.id AS id, i.kind AS kind, i.occurred_at AS occurred_at, i.duration_minutes AS duration_minutes,
             i.outcome AS outcome, i.notes AS notes, u.email AS logged_by
           FROM interactions i LEFT JOIN users u ON u.id = i.logged_by
           WHERE i.tenant_id = ${r}.tenant_id AND i.subject_type = '${entity}' AND i.subject_id = ${r}.id
           ORDER BY i.occurred_at, i.id))`);

/** A record's tag names as a JSON array, A to Z: from the record's links (not from all the tenant's tags). */
const tagsJson = (r: string, link: "contact_tags" | "company_tags", key: "contact_id" | "company_id") =>
  sql.raw(`(SELECT json_group_array(name) FROM (SELECT t.name AS name FROM ${link} lt CROSS JOIN tags t ON t.id = lt.tag_id AND t.tenant_id = lt.tenant_id
     WHERE lt.tenant_id = ${r}.tenant_id AND lt.${key} = ${r}.id ORDER BY t.name_key))`);

/** The columns a page of contacts and a page of companies both select (the JSON ones as text). */
interface RecordRowFields {
  id: number;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  owner: string | null;
  tags: string;
  custom: string;
  notes: string | null;
  interactions: string | null;
}

interface ContactRow extends RecordRowFields {
  first_name: string;
  last_name: string;
  primary_email: string | null;
  job_title: string | null;
  company_id: number | null;
  company_name: string | null;
  address: string | null;
  source: ContactSource;
  emails: string;
  phones: string;
}

/**
 * The SQL of one page of contacts after `after` (exported so tests can EXPLAIN it). Without a
 * search the keyset is (created_at, id) on contacts_tenant_created_idx; with one, the search index
 * drives by rowid (the contact id), as in the list. Filters are written so that they are checked on
 * each row (unary + and EXISTS on primary keys) instead of tempting SQLite into another index that
 * would sort the tenant on every page.
 */
export function contactPageSql(
  tenantId: string,
  filters: ContactExportFilters,
  after: { createdAt: number; id: number } | null,
  opts: { notes?: boolean } = {},
): SQL {
  const conditions: SQL[] = [];
  if (filters.companyId !== null) conditions.push(sql`+c.company_id = ${filters.companyId}`);
  if (filters.ownerId !== null) conditions.push(sql`+c.owner_id = ${filters.ownerId}`);
  if (filters.tagId !== null)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM contact_tags ft WHERE ft.tenant_id = c.tenant_id AND ft.contact_id = c.id AND ft.tag_id = ${filters.tagId})`,
    );
  for (const f of filters.custom.slice(0, 5)) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM custom_field_values fv WHERE fv.tenant_id = c.tenant_id AND fv.field_id = ${f.fieldId} AND fv.entity_id = c.id AND fv.value = ${f.value})`,
    );
  }
  const columns = sql`c.id, c.first_name, c.last_name, c.primary_email, c.job_title, c.company_id, c.company_name, c.address, c.source,
    c.created_at, c.updated_at, c.last_activity_at, ${ownerEmail("c")} AS owner,
    (SELECT json_group_array(email) FROM (SELECT e.email AS email FROM contact_emails e WHERE e.contact_id = c.id AND e.tenant_id = c.tenant_id ORDER BY e.position)) AS emails,
    (SELECT json_group_array(phone) FROM (SELECT p.phone AS phone FROM contact_phones p WHERE p.contact_id = c.id AND p.tenant_id = c.tenant_id ORDER BY p.position)) AS phones,
    ${tagsJson("c", "contact_tags", "contact_id")} AS tags,
    ${customValuesJson("c", "contact")} AS custom,
    ${opts.notes ? notesAggregate("c", "contact") : sql`NULL`} AS notes,
    ${opts.notes ? interactionsAggregate("c", "contact") : sql`NULL`} AS interactions`;
  const limit = EXPORT_PAGE_SIZE + 1;
  if (filters.match !== null) {
    if (after) conditions.push(sql`contacts_fts.rowid > ${after.id}`);
    return sql`SELECT ${columns} FROM contacts_fts CROSS JOIN contacts c
      WHERE contacts_fts MATCH ${filters.match} AND c.id = contacts_fts.rowid AND c.tenant_id = ${tenantId}${andAll(conditions)}
      ORDER BY contacts_fts.rowid LIMIT ${limit}`;
  }
  if (after) conditions.push(sql`(c.created_at, c.id) > (${after.createdAt}, ${after.id})`);
  return sql`SELECT ${columns} FROM contacts c WHERE c.tenant_id = ${tenantId}${andAll(conditions)} ORDER BY c.created_at, c.id LIMIT ${limit}`;
}

export function parseNotes(json: string | null): ExportNote[] {
  if (!json) return [];
  return (
    JSON.parse(json) as { id: number; body: string; author: string | null; created_at: number; updated_at: number }[]
  ).map((n) => ({
    id: n.id,
    body: n.body,
    author: n.author,
    createdAt: n.created_at,
    updatedAt: n.updated_at,
  }));
}

export function parseInteractions(json: string | null): ExportInteraction[] {
  if (!json) return [];
  return (
    JSON.parse(json) as {
      id: number;
      kind: string;
      occurred_at: number;
      duration_minutes: number | null;
      outcome: string | null;
      notes: string | null;
      logged_by: string | null;
    }[]
  ).map((i) => ({
    id: i.id,
    kind: i.kind,
    occurredAt: i.occurred_at,
    durationMinutes: i.duration_minutes,
    outcome: i.outcome,
    notes: i.notes,
    loggedBy: i.logged_by,
  }));
}

export function parseCustom(json: string): Map<number, string> {
  return new Map(Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [Number(k), String(v)]));
}

/** A contact's or company's shared fields from its row. */
function recordFields(r: RecordRowFields): ExportRecordFields {
  return {
    tags: JSON.parse(r.tags) as string[],
    owner: r.owner,
    custom: parseCustom(r.custom),
    notes: parseNotes(r.notes),
    interactions: parseInteractions(r.interactions),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActivityAt: r.last_activity_at,
  };
}

/**
 * Contacts or companies, one page (one query) at a time on the (created_at, id) keyset: `pageSql` writes
 * the query of the page after a row, `ownFields` reads the fields that only that kind of record has.
 */
async function* recordPages<R extends RecordRowFields, T>(
  db: Database,
  pageSql: (after: { createdAt: number; id: number } | null) => SQL,
  ownFields: (row: R) => T,
): AsyncGenerator<(T & ExportRecordFields)[]> {
  const pages = keysetPages<R>((after) =>
    db.all<R>(pageSql(after ? { createdAt: after.created_at, id: after.id } : null)),
  );
  for await (const rows of pages) yield rows.map((r) => ({ ...ownFields(r), ...recordFields(r) }));
}

/** The tenant's contacts matching `filters`, one page (one query) at a time. */
export function contactPages(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
  opts: { notes?: boolean } = {},
): AsyncGenerator<ExportContact[]> {
  return recordPages(
    db,
    (after) => contactPageSql(tenantId, filters, after, opts),
    (r: ContactRow) => ({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      displayName: contactDisplayName({
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        primaryEmail: r.primary_email,
      }),
      emails: JSON.parse(r.emails) as string[],
      phones: JSON.parse(r.phones) as string[],
      jobTitle: r.job_title,
      company:
        r.company_name !== null || r.company_id !== null ? { id: r.company_id, name: r.company_name ?? "" } : null,
      address: r.address,
      source: r.source,
    }),
  );
}

type CompanyRow = RecordRowFields & CompanyDetails;

/** " AND c1 AND c2 ..." after a statement's tenant condition; nothing when there are none. */
export const andAll = (conditions: SQL[]): SQL =>
  conditions.length ? sql` AND ${sql.join(conditions, sql` AND `)}` : sql``;

// The largest code point: every name that starts with a prefix sorts below prefix + this (as the list).
const PREFIX_END = "\u{10FFFF}";

/** The SQL of one page of companies after `after`: keyset (created_at, id) on companies_tenant_created_idx. */
export function companyPageSql(
  tenantId: string,
  filters: CompanyExportFilters,
  after: { createdAt: number; id: number } | null,
  opts: { notes?: boolean } = {},
): SQL {
  const conditions: SQL[] = [];
  // The same name prefix as the list: lower-cased, trimmed, at most 200 characters.
  const prefix = nameSortKey(filters.q.trim()).slice(0, 200);
  if (prefix) conditions.push(sql`+co.name_sort >= ${prefix}`, sql`+co.name_sort < ${prefix + PREFIX_END}`);
  if (filters.tagId !== null)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM company_tags ft WHERE ft.tenant_id = co.tenant_id AND ft.company_id = co.id AND ft.tag_id = ${filters.tagId})`,
    );
  if (after) conditions.push(sql`(co.created_at, co.id) > (${after.createdAt}, ${after.id})`);
  return sql`SELECT co.id, co.name, co.domain, co.industry, co.size, co.phone, co.address, co.created_at, co.updated_at, co.last_activity_at,
      ${ownerEmail("co")} AS owner,
      ${tagsJson("co", "company_tags", "company_id")} AS tags,
      ${customValuesJson("co", "company")} AS custom,
      ${opts.notes ? notesAggregate("co", "company") : sql`NULL`} AS notes,
      ${opts.notes ? interactionsAggregate("co", "company") : sql`NULL`} AS interactions
    FROM companies co WHERE co.tenant_id = ${tenantId}${andAll(conditions)} ORDER BY co.created_at, co.id LIMIT ${EXPORT_PAGE_SIZE + 1}`;
}

/** The tenant's companies matching `filters`, one page (one query) at a time. */
export function companyPages(
  db: Database,
  tenantId: string,
  filters: CompanyExportFilters = NO_COMPANY_FILTERS,
  opts: { notes?: boolean } = {},
): AsyncGenerator<ExportCompany[]> {
  return recordPages(
    db,
    (after) => companyPageSql(tenantId, filters, after, opts),
    (r: CompanyRow) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      industry: r.industry,
      size: r.size,
      phone: r.phone,
      address: r.address,
    }),
  );
}
