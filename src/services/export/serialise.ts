import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import type { CustomFieldKind } from "../../db/schema";
import { CSV_BOM, csvRow } from "../../lib/csv";
import { listCustomFields, type CustomField } from "../records/custom-fields";
import {
  COMPANY_CSV_COLUMNS,
  CONTACT_CSV_COLUMNS,
  EXPORT_FORMAT_ID,
  type ExportCompany,
  type ExportContact,
  type ExportKind,
  type ExportInteraction,
  type ExportNote,
  type ExportNoteRow,
  type ExportRecordFields,
  NOTE_CSV_COLUMNS,
  NO_COMPANY_FILTERS,
  NO_CONTACT_FILTERS,
  tagsCell,
} from "./columns";
import { notePages } from "./notes";
import { companyPages, contactPages } from "./read";

/** A time as ISO 8601 UTC (2026-11-26T10:15:00.000Z). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The chunks of a document: `head` goes out with the first page (so the caller's first read runs
 * the first query too, and an early failure surfaces before anything is sent), then a chunk per
 * page, then `tail`.
 */
export async function* document<T>(
  head: () => Promise<string>,
  pages: AsyncIterable<T[]>,
  page: (records: T[], first: boolean) => string,
  tail: string,
): AsyncGenerator<string> {
  let pending = await head();
  let first = true;
  for await (const records of pages) {
    yield pending + page(records, first);
    pending = "";
    first = false;
  }
  yield pending + tail;
}

export function customCells(fields: CustomField[], values: Map<number, string>): string[] {
  // Values exactly as stored: dates YYYY-MM-DD, numbers as written, checkboxes "1" (ticked) or "" (not).
  return fields.map((f) => values.get(f.id) ?? "");
}

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
    ...recordCsvCells(c, fields),
  ];
}

/** The last cells of a contact's or company's row (Tags to Updated), then its custom values. */
function recordCsvCells(r: ExportRecordFields, fields: CustomField[]): string[] {
  return [
    tagsCell(r.tags),
    r.owner ?? "",
    isoTime(r.createdAt),
    isoTime(r.updatedAt),
    ...customCells(fields, r.custom),
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
    ...recordCsvCells(c, fields),
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

/** What the CSV and JSON exports of a kind of record with custom fields need to know about it. */
interface RecordExport<R> {
  entity: "contact" | "company";
  kind: ExportKind;
  columns: readonly string[];
  cells: (record: R, fields: CustomField[]) => string[];
  json: (record: R, fields: CustomField[]) => unknown;
}

const CONTACTS: RecordExport<ExportContact> = {
  entity: "contact",
  kind: "contacts",
  columns: CONTACT_CSV_COLUMNS,
  cells: (c, fields) => contactCsvCells(c, fields),
  json: (c, fields) => contactJson(c, fields),
};

const COMPANIES: RecordExport<ExportCompany> = {
  entity: "company",
  kind: "companies",
  columns: COMPANY_CSV_COLUMNS,
  cells: (c, fields) => companyCsvCells(c, fields),
  json: (c, fields) => companyJson(c, fields),
};

/** Records as CSV in chunks of a page: the columns, then one column per custom field. */
function recordsCsv<R>(db: Database, tenantId: string, x: RecordExport<R>, pages: AsyncGenerator<R[]>) {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), x.entity);
      return CSV_BOM + csvRow([...x.columns, ...fields.map((f) => f.name)]);
    },
    pages,
    (page) => page.map((r) => csvRow(x.cells(r, fields))).join(""),
    "",
  );
}

/** Records as one JSON document in chunks of a page, the custom fields' definitions in its head. */
function recordsJson<R>(db: Database, tenantId: string, x: RecordExport<R>, pages: AsyncGenerator<R[]>, now: number) {
  let fields: CustomField[] = [];
  return document(
    async () => {
      fields = await listCustomFields(scoped(db, tenantId), x.entity);
      return jsonHead(x.kind, now, fields);
    },
    pages,
    jsonPage((r: R) => x.json(r, fields)),
    "\n]}\n",
  );
}

/** The tenant's contacts as CSV, in chunks of a page. */
export function contactsCsv(db: Database, tenantId: string, filters = NO_CONTACT_FILTERS): AsyncGenerator<string> {
  return recordsCsv(db, tenantId, CONTACTS, contactPages(db, tenantId, filters));
}

/** The tenant's companies as CSV, in chunks of a page. */
export function companiesCsv(db: Database, tenantId: string, filters = NO_COMPANY_FILTERS): AsyncGenerator<string> {
  return recordsCsv(db, tenantId, COMPANIES, companyPages(db, tenantId, filters));
}

/** The tenant's contacts as one JSON document, with their notes, in chunks of a page. */
export function contactsJson(db: Database, tenantId: string, filters = NO_CONTACT_FILTERS, now = Date.now()) {
  return recordsJson(db, tenantId, CONTACTS, contactPages(db, tenantId, filters, { notes: true }), now);
}

/** The tenant's companies as one JSON document, with their notes, in chunks of a page. */
export function companiesJson(db: Database, tenantId: string, filters = NO_COMPANY_FILTERS, now = Date.now()) {
  return recordsJson(db, tenantId, COMPANIES, companyPages(db, tenantId, filters, { notes: true }), now);
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

/** A note as the JSON export writes it. */
export function noteJson(n: ExportNote) {
  return {
    id: n.id,
    body: n.body,
    author: n.author,
    created_at: isoTime(n.createdAt),
    updated_at: isoTime(n.updatedAt),
  };
}

export function customJson(fields: CustomField[], values: Map<number, string>) {
  const out: Record<string, { kind: CustomFieldKind; value: string }> = {};
  for (const f of fields) {
    const value = values.get(f.id);
    if (value !== undefined) out[f.name] = { kind: f.kind, value };
  }
  return out;
}

/** A logged interaction as the JSON export writes it. */
export function interactionJson(i: ExportInteraction) {
  return {
    id: i.id,
    kind: i.kind,
    occurred_at: isoTime(i.occurredAt),
    duration_minutes: i.durationMinutes,
    outcome: i.outcome,
    notes: i.notes,
    logged_by: i.loggedBy,
  };
}

/** What a contact's and a company's JSON both end with. */
function recordJson(r: ExportRecordFields, fields: CustomField[]) {
  return {
    tags: r.tags,
    owner: r.owner,
    custom_fields: customJson(fields, r.custom),
    notes: r.notes.map(noteJson),
    interactions: r.interactions.map(interactionJson),
    created_at: isoTime(r.createdAt),
    updated_at: isoTime(r.updatedAt),
    last_activity_at: isoTime(r.lastActivityAt),
  };
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
    source: c.source,
    ...recordJson(c, fields),
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
    ...recordJson(c, fields),
  };
}

/** A note of the flat notes export. */
export function noteRowJson(n: ExportNoteRow) {
  const { id, ...rest } = noteJson(n);
  return { id, record_type: n.recordType, record_id: n.recordId, record_name: n.recordName, ...rest };
}

/** A JSON document's head (`extra`: what a reader needs before the records, such as the pipelines). */
export function jsonHead(
  kind: ExportKind,
  now: number,
  fields: CustomField[] | null,
  extra: Record<string, unknown> = {},
): string {
  const head: Record<string, unknown> = { format: EXPORT_FORMAT_ID, kind, exported_at: isoTime(now) };
  if (fields)
    head.custom_fields = fields.map((f) => ({
      name: f.name,
      kind: f.kind,
      ...(f.kind === "select" ? { options: f.options } : {}),
    }));
  Object.assign(head, extra);
  // The document is written as it goes: the head without its closing brace, then "records": [...].
  return `${JSON.stringify(head).slice(0, -1)},"records":[`;
}

export const jsonPage =
  <T>(toJson: (record: T) => unknown) =>
  (page: T[], first: boolean) =>
    (first ? "\n" : ",\n") + page.map((r) => JSON.stringify(toJson(r))).join(",\n");

/** Every note of the tenant as one JSON document, in chunks of a page. */
export function notesJson(db: Database, tenantId: string, now = Date.now()): AsyncGenerator<string> {
  return document(async () => jsonHead("notes", now, null), notePages(db, tenantId), jsonPage(noteRowJson), "\n]}\n");
}
