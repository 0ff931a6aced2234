/**
 * Exports of a tenant's contacts, companies and notes as CSV, JSON and vCard (deals: deals.ts),
 * streamed page by page.
 *
 * Each page is ONE query of up to EXPORT_PAGE_SIZE records (+1 to know whether there is more), with
 * everything a record carries (emails, phones, tags, custom values, notes, owner) aggregated in SQL
 * by correlated subqueries: no per-row queries, no IN lists of ids, and a handful of bound
 * parameters whatever the size. Pages follow a keyset on an index that starts with tenant_id, so an
 * export walks that index once from start to end: memory holds one page, and the number of queries
 * is the number of pages plus one (the custom field definitions).
 *
 * Plain functions of (db, tenantId, options): no request, no Hono context. The route streams them
 * to the browser; a Queue consumer can write the same chunks into an archive.
 * The format is documented in docs/export-format.md.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import type { SubjectType } from "../../db/schema";
import { CSV_BOM, csvRow } from "../../lib/csv";
import { escapeText, property, structured, timestamp } from "../../lib/vcard";
import { nameSortKey } from "../companies/form";
import { contactDisplayName } from "../contacts/names";
import { listCustomFields, type CustomField } from "../records/custom-fields";
// deals.ts reads DEAL_CSV_COLUMNS and tagsCell from here when it runs, never while modules load.
import { dealsCsv, dealsJson } from "./deals";
import {
  andAll,
  customCells,
  customJson,
  customValuesJson,
  document,
  EXPORT_PAGE_SIZE,
  type ExportNote,
  isoTime,
  jsonHead,
  jsonPage,
  keysetPages,
  noteJson,
  notesAggregate,
  ownerEmail,
  parseCustom,
  parseNotes,
} from "./documents";

export { EXPORT_FORMAT_ID, EXPORT_PAGE_SIZE, type ExportNote, isoTime, noteJson } from "./documents";

export const EXPORT_KINDS = ["contacts", "companies", "notes", "deals"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = "csv" | "json" | "vcf";

/** Which formats each kind comes in. */
export const EXPORT_FORMATS: { [K in ExportKind]: readonly ExportFormat[] } = {
  contacts: ["csv", "json", "vcf"],
  companies: ["csv", "json"],
  notes: ["csv", "json"],
  deals: ["csv", "json"],
};

/** The Content-Type of each format. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
  vcf: "text/vcard; charset=utf-8",
};

/**
 * The contacts CSV's columns, before one column per contact custom field (named as the field, in
 * field order). The importer maps these names back: change them only together with it.
 */
export const CONTACT_CSV_COLUMNS = [
  "First name",
  "Last name",
  "Email",
  "Email 2",
  "Email 3",
  "Email 4",
  "Email 5",
  "Phone",
  "Phone 2",
  "Phone 3",
  "Phone 4",
  "Phone 5",
  "Job title",
  "Company",
  "Address",
  "Tags",
  "Owner",
  "Created",
  "Updated",
] as const;

/** The companies CSV's columns, before one column per company custom field. */
export const COMPANY_CSV_COLUMNS = [
  "Name",
  "Domain",
  "Industry",
  "Size",
  "Phone",
  "Address",
  "Tags",
  "Owner",
  "Created",
  "Updated",
] as const;

/** The notes CSV's columns. */
/** A deal's columns; "Contacts" lists "email (role)" joined by "; ", so an import links them back. */
export const DEAL_CSV_COLUMNS = [
  "Name",
  "Amount",
  "Currency",
  "Pipeline",
  "Stage",
  "Status",
  "Lost reason",
  "Close date",
  "Closed on",
  "Company",
  "Company domain",
  "Contacts",
  "Tags",
  "Owner",
  "Created",
  "Updated",
] as const;

/** The built-in columns of each kind of record: a custom field may not take one's name. */
export const BUILT_IN_COLUMNS = {
  contact: CONTACT_CSV_COLUMNS,
  company: COMPANY_CSV_COLUMNS,
  deal: DEAL_CSV_COLUMNS,
} as const;

export const NOTE_CSV_COLUMNS = [
  "Record type",
  "Record id",
  "Record name",
  "Note",
  "Author",
  "Created",
  "Updated",
] as const;

/** How the Tags cell joins a record's tag names. */
export const TAG_SEPARATOR = "; ";

/**
 * A record's tags as one cell. Tag names never contain ";" (refused when a tag is named), so the
 * importer splits on it; a lone tag with a comma ("Partners, EU") gets a trailing ";" so the
 * importer, which splits other files' tag cells on commas, keeps it whole.
 */
export function tagsCell(names: string[]): string {
  const cell = names.join(TAG_SEPARATOR);
  return names.length === 1 && cell.includes(",") ? `${cell};` : cell;
}

/** The contacts list's filters (as src/routes/list-filters.ts parses them); none set means every contact. */
export interface ContactExportFilters {
  /** An FTS5 MATCH expression from ftsQuery() (it names the tenant), or null. */
  match: string | null;
  tagId: number | null;
  companyId: number | null;
  ownerId: string | null;
  /** Custom field equality filters on the tenant's contact fields (the caller checks that), values canonical; the first five apply, as in the list. */
  custom: { fieldId: number; value: string }[];
}

/** The companies list's filters: a name prefix and a tag. */
export interface CompanyExportFilters {
  q: string;
  tagId: number | null;
}

export const NO_CONTACT_FILTERS: ContactExportFilters = {
  match: null,
  tagId: null,
  companyId: null,
  ownerId: null,
  custom: [],
};
export const NO_COMPANY_FILTERS: CompanyExportFilters = { q: "", tagId: null };

export interface ExportContact {
  id: number;
  firstName: string;
  lastName: string;
  /** The name shown in the app: the name, else the first email, else "Contact #id". */
  displayName: string;
  emails: string[];
  phones: string[];
  jobTitle: string | null;
  company: { id: number | null; name: string } | null;
  address: string | null;
  /** Tag names, A to Z. */
  tags: string[];
  /** The owner's email while they are a member; null otherwise. */
  owner: string | null;
  /** field id → canonical value. */
  custom: Map<number, string>;
  /** Oldest first; empty unless asked for. */
  notes: ExportNote[];
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

export interface ExportCompany {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
  tags: string[];
  owner: string | null;
  custom: Map<number, string>;
  notes: ExportNote[];
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

export interface ExportNoteRow extends ExportNote {
  recordType: SubjectType;
  recordId: number;
  /** The record's name as the app shows it; "" if the record is gone. */
  recordName: string;
}

// ---- reading pages ---------------------------------------------------------------------------------

/** A record's tag names as a JSON array, A to Z: from the record's links (not from all the tenant's tags). */
const tagsJson = (r: string, link: "contact_tags" | "company_tags", key: "contact_id" | "company_id") =>
  sql.raw(`(SELECT json_group_array(name) FROM (SELECT t.name AS name FROM ${link} lt CROSS JOIN tags t ON t.id = lt.tag_id AND t.tenant_id = lt.tenant_id
     WHERE lt.tenant_id = ${r}.tenant_id AND lt.${key} = ${r}.id ORDER BY t.name_key))`);

interface ContactRow {
  id: number;
  first_name: string;
  last_name: string;
  primary_email: string | null;
  job_title: string | null;
  company_id: number | null;
  company_name: string | null;
  address: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  owner: string | null;
  emails: string;
  phones: string;
  tags: string;
  custom: string;
  notes: string | null;
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
  const columns = sql`c.id, c.first_name, c.last_name, c.primary_email, c.job_title, c.company_id, c.company_name, c.address,
    c.created_at, c.updated_at, c.last_activity_at, ${ownerEmail("c")} AS owner,
    (SELECT json_group_array(email) FROM (SELECT e.email AS email FROM contact_emails e WHERE e.contact_id = c.id AND e.tenant_id = c.tenant_id ORDER BY e.position)) AS emails,
    (SELECT json_group_array(phone) FROM (SELECT p.phone AS phone FROM contact_phones p WHERE p.contact_id = c.id AND p.tenant_id = c.tenant_id ORDER BY p.position)) AS phones,
    ${tagsJson("c", "contact_tags", "contact_id")} AS tags,
    ${customValuesJson("c", "contact")} AS custom,
    ${opts.notes ? notesAggregate("c", "contact") : sql`NULL`} AS notes`;
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

/** The tenant's contacts matching `filters`, one page (one query) at a time. */
export async function* contactPages(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
  opts: { notes?: boolean } = {},
): AsyncGenerator<ExportContact[]> {
  const pages = keysetPages<ContactRow>((after) =>
    db.all<ContactRow>(
      contactPageSql(tenantId, filters, after ? { createdAt: after.created_at, id: after.id } : null, opts),
    ),
  );
  for await (const rows of pages) {
    yield rows.map((r) => ({
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
      tags: JSON.parse(r.tags) as string[],
      owner: r.owner,
      custom: parseCustom(r.custom),
      notes: parseNotes(r.notes),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastActivityAt: r.last_activity_at,
    }));
  }
}

interface CompanyRow {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  owner: string | null;
  tags: string;
  custom: string;
  notes: string | null;
}

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
      ${opts.notes ? notesAggregate("co", "company") : sql`NULL`} AS notes
    FROM companies co WHERE co.tenant_id = ${tenantId}${andAll(conditions)} ORDER BY co.created_at, co.id LIMIT ${EXPORT_PAGE_SIZE + 1}`;
}

/** The tenant's companies matching `filters`, one page (one query) at a time. */
export async function* companyPages(
  db: Database,
  tenantId: string,
  filters: CompanyExportFilters = NO_COMPANY_FILTERS,
  opts: { notes?: boolean } = {},
): AsyncGenerator<ExportCompany[]> {
  const pages = keysetPages<CompanyRow>((after) =>
    db.all<CompanyRow>(
      companyPageSql(tenantId, filters, after ? { createdAt: after.created_at, id: after.id } : null, opts),
    ),
  );
  for await (const rows of pages) {
    yield rows.map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      industry: r.industry,
      size: r.size,
      phone: r.phone,
      address: r.address,
      tags: JSON.parse(r.tags) as string[],
      owner: r.owner,
      custom: parseCustom(r.custom),
      notes: parseNotes(r.notes),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastActivityAt: r.last_activity_at,
    }));
  }
}

interface NoteRow {
  id: number;
  subject_type: SubjectType;
  subject_id: number;
  body: string;
  author: string | null;
  created_at: number;
  updated_at: number;
  first_name: string | null;
  last_name: string | null;
  primary_email: string | null;
  company_name: string | null;
  deal_name: string | null;
}

/** The SQL of one page of notes: keyset (subject_type, subject_id, id) on notes_tenant_subject_idx, so a record's notes come together. */
export function notePageSql(
  tenantId: string,
  after: { subjectType: SubjectType; subjectId: number; id: number } | null,
): SQL {
  const keyset = after
    ? sql`AND (n.subject_type, n.subject_id, n.id) > (${after.subjectType}, ${after.subjectId}, ${after.id})`
    : sql``;
  return sql`SELECT n.id, n.subject_type, n.subject_id, n.body, u.email AS author, n.created_at, n.updated_at,
      rc.first_name, rc.last_name, rc.primary_email, rco.name AS company_name, rd.name AS deal_name
    FROM notes n
    LEFT JOIN users u ON u.id = n.author_id
    LEFT JOIN contacts rc ON n.subject_type = 'contact' AND rc.id = n.subject_id AND rc.tenant_id = n.tenant_id
    LEFT JOIN companies rco ON n.subject_type = 'company' AND rco.id = n.subject_id AND rco.tenant_id = n.tenant_id
    LEFT JOIN deals rd ON n.subject_type = 'deal' AND rd.id = n.subject_id AND rd.tenant_id = n.tenant_id
    WHERE n.tenant_id = ${tenantId} ${keyset}
    ORDER BY n.subject_type, n.subject_id, n.id LIMIT ${EXPORT_PAGE_SIZE + 1}`;
}

/** Every note of the tenant, grouped by record, one page (one query) at a time. */
export async function* notePages(db: Database, tenantId: string): AsyncGenerator<ExportNoteRow[]> {
  const pages = keysetPages<NoteRow>((after) =>
    db.all<NoteRow>(
      notePageSql(
        tenantId,
        after ? { subjectType: after.subject_type, subjectId: after.subject_id, id: after.id } : null,
      ),
    ),
  );
  for await (const rows of pages) {
    yield rows.map((r) => ({
      id: r.id,
      recordType: r.subject_type,
      recordId: r.subject_id,
      recordName:
        r.subject_type === "company"
          ? (r.company_name ?? "")
          : r.subject_type === "deal"
            ? (r.deal_name ?? "")
            : r.first_name !== null
              ? contactDisplayName({
                  id: r.subject_id,
                  firstName: r.first_name,
                  lastName: r.last_name ?? "",
                  primaryEmail: r.primary_email,
                })
              : "",
      body: r.body,
      author: r.author,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

// ---- serialising ----------------------------------------------------------------------------------

function padded(list: string[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => list[i] ?? "");
}

/** The cells of one contact in CONTACT_CSV_COLUMNS order, then its custom values in `fields` order. */
export function contactCsvCells(c: ExportContact, fields: CustomField[]): string[] {
  return [
    c.firstName,
    c.lastName,
    ...padded(c.emails, 5),
    ...padded(c.phones, 5),
    c.jobTitle ?? "",
    c.company?.name ?? "",
    c.address ?? "",
    tagsCell(c.tags),
    c.owner ?? "",
    isoTime(c.createdAt),
    isoTime(c.updatedAt),
    ...customCells(fields, c.custom),
  ];
}

/** The cells of one company in COMPANY_CSV_COLUMNS order, then its custom values. */
export function companyCsvCells(c: ExportCompany, fields: CustomField[]): string[] {
  return [
    c.name,
    c.domain ?? "",
    c.industry ?? "",
    c.size ?? "",
    c.phone ?? "",
    c.address ?? "",
    tagsCell(c.tags),
    c.owner ?? "",
    isoTime(c.createdAt),
    isoTime(c.updatedAt),
    ...customCells(fields, c.custom),
  ];
}

/** The cells of one note in NOTE_CSV_COLUMNS order. */
export function noteCsvCells(n: ExportNoteRow): string[] {
  return [
    n.recordType,
    String(n.recordId),
    n.recordName,
    n.body,
    n.author ?? "",
    isoTime(n.createdAt),
    isoTime(n.updatedAt),
  ];
}

/** The tenant's contacts as CSV (BOM, header row, one row per contact), in chunks of a page. */
export function contactsCsv(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), "contact");
      return CSV_BOM + csvRow([...CONTACT_CSV_COLUMNS, ...fields.map((f) => f.name)]);
    },
    contactPages(db, tenantId, filters),
    (page) => page.map((c) => csvRow(contactCsvCells(c, fields))).join(""),
    "",
  );
}

/** The tenant's companies as CSV, in chunks of a page. */
export function companiesCsv(
  db: Database,
  tenantId: string,
  filters: CompanyExportFilters = NO_COMPANY_FILTERS,
): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), "company");
      return CSV_BOM + csvRow([...COMPANY_CSV_COLUMNS, ...fields.map((f) => f.name)]);
    },
    companyPages(db, tenantId, filters),
    (page) => page.map((c) => csvRow(companyCsvCells(c, fields))).join(""),
    "",
  );
}

/** Every note of the tenant as CSV, in chunks of a page. */
export function notesCsv(db: Database, tenantId: string): AsyncGenerator<string> {
  return document(
    async () => CSV_BOM + csvRow(NOTE_CSV_COLUMNS),
    notePages(db, tenantId),
    (page) => page.map((n) => csvRow(noteCsvCells(n))).join(""),
    "",
  );
}

/** A contact as the JSON export writes it (docs/export-format.md). */
export function contactJson(c: ExportContact, fields: CustomField[]) {
  return {
    id: c.id,
    first_name: c.firstName,
    last_name: c.lastName,
    display_name: c.displayName,
    emails: c.emails,
    phones: c.phones,
    job_title: c.jobTitle,
    company: c.company,
    address: c.address,
    tags: c.tags,
    owner: c.owner,
    custom_fields: customJson(fields, c.custom),
    notes: c.notes.map(noteJson),
    created_at: isoTime(c.createdAt),
    updated_at: isoTime(c.updatedAt),
    last_activity_at: isoTime(c.lastActivityAt),
  };
}

/** A company as the JSON export writes it. */
export function companyJson(c: ExportCompany, fields: CustomField[]) {
  return {
    id: c.id,
    name: c.name,
    domain: c.domain,
    industry: c.industry,
    size: c.size,
    phone: c.phone,
    address: c.address,
    tags: c.tags,
    owner: c.owner,
    custom_fields: customJson(fields, c.custom),
    notes: c.notes.map(noteJson),
    created_at: isoTime(c.createdAt),
    updated_at: isoTime(c.updatedAt),
    last_activity_at: isoTime(c.lastActivityAt),
  };
}

/** A note of the flat notes export. */
export function noteRowJson(n: ExportNoteRow) {
  const { id, ...rest } = noteJson(n);
  return { id, record_type: n.recordType, record_id: n.recordId, record_name: n.recordName, ...rest };
}

/** The tenant's contacts as one JSON document, with their notes, in chunks of a page. */
export function contactsJson(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
  now = Date.now(),
): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), "contact");
      return jsonHead("contacts", now, fields);
    },
    contactPages(db, tenantId, filters, { notes: true }),
    jsonPage((c: ExportContact) => contactJson(c, fields)),
    "\n]}\n",
  );
}

/** The tenant's companies as one JSON document, with their notes, in chunks of a page. */
export function companiesJson(
  db: Database,
  tenantId: string,
  filters: CompanyExportFilters = NO_COMPANY_FILTERS,
  now = Date.now(),
): AsyncGenerator<string> {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), "company");
      return jsonHead("companies", now, fields);
    },
    companyPages(db, tenantId, filters, { notes: true }),
    jsonPage((c: ExportCompany) => companyJson(c, fields)),
    "\n]}\n",
  );
}

/** Every note of the tenant as one JSON document, in chunks of a page. */
export function notesJson(db: Database, tenantId: string, now = Date.now()): AsyncGenerator<string> {
  return document(async () => jsonHead("notes", now, null), notePages(db, tenantId), jsonPage(noteRowJson), "\n]}\n");
}

/** One contact as a vCard 4.0 (RFC 6350). */
export function contactVcard(c: ExportContact): string {
  let card = "BEGIN:VCARD\r\nVERSION:4.0\r\n";
  card += property("FN", escapeText(c.displayName));
  card += property("N", structured([c.lastName, c.firstName, "", "", ""]));
  if (c.company?.name) card += property("ORG", structured([c.company.name]));
  if (c.jobTitle) card += property("TITLE", escapeText(c.jobTitle));
  c.emails.forEach((e, i) => {
    card += property(i === 0 ? "EMAIL;PREF=1" : "EMAIL", escapeText(e));
  });
  // Phones are E.164, so they make valid tel: URIs as they are.
  c.phones.forEach((p, i) => {
    card += property(i === 0 ? "TEL;VALUE=uri;PREF=1" : "TEL;VALUE=uri", `tel:${p}`);
  });
  // The address is one free text: it goes in ADR's street component, its lines kept.
  if (c.address) card += property("ADR", structured(["", "", c.address, "", "", "", ""]));
  if (c.tags.length) card += property("CATEGORIES", c.tags.map(escapeText).join(","));
  for (const n of c.notes) card += property("NOTE", escapeText(n.body));
  card += property("REV", timestamp(c.updatedAt));
  return `${card}END:VCARD\r\n`;
}

/** The tenant's contacts as vCards (their notes as NOTE), in chunks of a page. */
export function contactsVcard(
  db: Database,
  tenantId: string,
  filters: ContactExportFilters = NO_CONTACT_FILTERS,
): AsyncGenerator<string> {
  return document(
    async () => "",
    contactPages(db, tenantId, filters, { notes: true }),
    (page) => page.map(contactVcard).join(""),
    "",
  );
}

export interface ExportOptions {
  contactFilters?: ContactExportFilters;
  companyFilters?: CompanyExportFilters;
  /** The export's time (exported_at); a Queue consumer passes its own. */
  now?: number;
}

/** The chunks of one export, by kind and format (which must be one EXPORT_FORMATS allows). */
export function exportChunks(
  db: Database,
  tenantId: string,
  kind: ExportKind,
  format: ExportFormat,
  opts: ExportOptions = {},
): AsyncGenerator<string> {
  const now = opts.now ?? Date.now();
  const contactFilters = opts.contactFilters ?? NO_CONTACT_FILTERS;
  const companyFilters = opts.companyFilters ?? NO_COMPANY_FILTERS;
  switch (`${kind}.${format}`) {
    case "contacts.csv":
      return contactsCsv(db, tenantId, contactFilters);
    case "contacts.json":
      return contactsJson(db, tenantId, contactFilters, now);
    case "contacts.vcf":
      return contactsVcard(db, tenantId, contactFilters);
    case "companies.csv":
      return companiesCsv(db, tenantId, companyFilters);
    case "companies.json":
      return companiesJson(db, tenantId, companyFilters, now);
    case "notes.csv":
      return notesCsv(db, tenantId);
    case "notes.json":
      return notesJson(db, tenantId, now);
    case "deals.csv":
      return dealsCsv(db, tenantId);
    case "deals.json":
      return dealsJson(db, tenantId, now);
    default:
      throw new Error(`no ${format} export of ${kind}`);
  }
}

/** The download's file name: ASCII only, no tenant text (customertrackr-contacts-2026-11-26.csv). */
export function exportFileName(kind: ExportKind, format: ExportFormat, now: number): string {
  return `customertrackr-${kind}-${isoTime(now).slice(0, 10)}.${format}`;
}

/**
 * A byte stream of the chunks, UTF-8. The first chunk (the head and the first page) is read before
 * this resolves, so a failure there rejects here, while an error page can still be sent; the rest is
 * read only as the reader asks for it, one page at a time.
 */
export async function openExportStream(chunks: AsyncGenerator<string>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const first = await chunks.next();
  let pending: IteratorResult<string> | null = first;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = pending ?? (await chunks.next());
            pending = null;
            if (next.done) return controller.close();
            if (next.value) return controller.enqueue(encoder.encode(next.value));
          }
        } catch (err) {
          // The status has gone out already: all that is left is to cut the download short (the
          // browser reports it as failed) and to say so in the logs.
          console.error(JSON.stringify({ type: "export_stream_failed", error: String(err) }));
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
