import type { ContactSource, SubjectType } from "../../db/schema";
import type { CompanyDetails } from "../companies/fields";

/** Records per page (and per query). */
export const EXPORT_PAGE_SIZE = 1000;

/** The `format` of every JSON export; bumped only when a change would break a reader. */
export const EXPORT_FORMAT_ID = "customertrackr.export/1";

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

/** The columns that end a contact's, a company's and a deal's row, before their custom fields. */
const RECORD_CSV_LAST_COLUMNS = ["Tags", "Owner", "Created", "Updated"] as const;

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
  ...RECORD_CSV_LAST_COLUMNS,
] as const;

/** The companies CSV's columns, before one column per company custom field. */
export const COMPANY_CSV_COLUMNS = [
  "Name",
  "Domain",
  "Industry",
  "Size",
  "Phone",
  "Address",
  ...RECORD_CSV_LAST_COLUMNS,
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
  ...RECORD_CSV_LAST_COLUMNS,
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

/** The contacts list's filters (as src/services/records/list-filters.ts parses them); none set means every contact. */
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

export interface ExportNote {
  id: number;
  body: string;
  /** The author's email; null once their account is gone. */
  author: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A logged call, meeting or email as the record exports carry it. */
export interface ExportInteraction {
  id: number;
  kind: string;
  occurredAt: number;
  durationMinutes: number | null;
  /** A call's outcome code (connected, no_answer, voicemail, busy, wrong_number), else the words typed. */
  outcome: string | null;
  notes: string | null;
  /** The email of the one who logged it; null once their account is gone. */
  loggedBy: string | null;
}

/** What a contact and a company both carry after their own fields. */
export interface ExportRecordFields {
  /** Tag names, A to Z. */
  tags: string[];
  /** The owner's email while they are a member; null otherwise. */
  owner: string | null;
  /** field id → canonical value. */
  custom: Map<number, string>;
  /** Oldest first; empty unless asked for. */
  notes: ExportNote[];
  /** By when they happened; empty unless asked for (with the notes). */
  interactions: ExportInteraction[];
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

export interface ExportContact extends ExportRecordFields {
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
  /** How the contact came in: added by hand, imported, or through the API. */
  source: ContactSource;
}

export interface ExportCompany extends ExportRecordFields, CompanyDetails {
  id: number;
}

export interface ExportNoteRow extends ExportNote {
  recordType: SubjectType;
  recordId: number;
  /** The record's name as the app shows it; "" if the record is gone. */
  recordName: string;
}
