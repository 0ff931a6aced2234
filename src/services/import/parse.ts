/**
 * Reading an import file: bytes → text (encoding detected or chosen), CSV rows (Papa Parse: RFC 4180,
 * quoted newlines, `,` `;` or tab detected), the columns mapped to our fields by their header names,
 * and each row checked and normalised into a record, or refused with a reason.
 *
 * Pure functions: no database, no request. The analyse step (import-jobs.ts) drives them.
 */
import Papa from "papaparse";
import type { ImportKind } from "../../db/schema";
import { restoreCell } from "../../lib/csv";
import { normalizeDomain } from "../../lib/domain";
import { normalizePhone } from "../../lib/phone";
import { COMPANY_NAME_MAX, COMPANY_SIZES } from "../companies/form";
import { fullNameKey } from "./match";
import { CONTACT_LIMITS } from "../contacts/form";
import { parseCustomValue, type CustomField } from "../records/custom-fields";

/** Largest upload accepted. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Rows per file. */
export const IMPORT_MAX_ROWS = 100_000;
/** Any cell longer than this makes its row invalid, whatever the column. */
export const CELL_MAX = 10_000;

export const ENCODING_CHOICES = ["auto", "utf-8", "windows-1252"] as const;
export type EncodingChoice = (typeof ENCODING_CHOICES)[number];

export type Decoded =
  | { ok: true; text: string; encoding: "utf-8" | "utf-16le" | "windows-1252" }
  | { ok: false; message: string };

// File types people upload by mistake, by their first bytes.
const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], "a zipped file (an Excel or Numbers workbook is one)"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old Excel workbook"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF"],
  [[0x89, 0x50, 0x4e, 0x47], "an image"],
  [[0xff, 0xd8, 0xff], "an image"],
  [[0x47, 0x49, 0x46, 0x38], "an image"],
];

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * The file's text. UTF-8 (with or without BOM) is used when the bytes are valid UTF-8; otherwise
 * Windows-1252, the encoding Excel and Outlook write on Windows. A chosen encoding is used as is,
 * except that UTF-8 chosen for bytes that are not UTF-8 is refused rather than stored as mojibake.
 */
export function decodeUpload(bytes: Uint8Array, choice: EncodingChoice): Decoded {
  if (bytes.length === 0) return { ok: false, message: "The file is empty." };
  for (const [magic, what] of MAGIC) {
    if (startsWith(bytes, magic))
      return {
        ok: false,
        message: `This is ${what}, not a CSV file. Save or export it as CSV (comma-separated values) and upload that.`,
      };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return checkText(new TextDecoder("utf-16le").decode(bytes.subarray(2)), "utf-16le");
  }
  // NUL bytes do not occur in text files in any of the encodings we read.
  if (bytes.subarray(0, 65536).includes(0))
    return { ok: false, message: "This is not a text file. Upload a CSV file (comma-separated values)." };
  if (choice !== "windows-1252") {
    try {
      return checkText(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), "utf-8");
    } catch {
      if (choice === "utf-8") {
        return {
          ok: false,
          message:
            "The file is not valid UTF-8. Choose “Windows-1252” as its encoding, or save it as “CSV UTF-8” and upload it again.",
        };
      }
    }
  }
  return checkText(new TextDecoder("windows-1252").decode(bytes), "windows-1252");
}

function checkText(text: string, encoding: "utf-8" | "utf-16le" | "windows-1252"): Decoded {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return { ok: false, message: "The file is empty." };
  // Control characters other than tab and line breaks mean binary data, whatever the extension.
  const sample = body.slice(0, 65536);
  const controls = sample.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g)?.length ?? 0;
  if (controls > 0)
    return { ok: false, message: "This is not a text file. Upload a CSV file (comma-separated values)." };
  return { ok: true, text: body, encoding };
}

/** `,` `;` or tab: whichever splits the header line into the most columns (ties go to the comma). */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, 8192).split(/\r\n|\n|\r/)[0] ?? "";
  let best = ",";
  let bestCount = 0;
  for (const d of [",", ";", "\t"]) {
    // Count outside quotes only.
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count += 1;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Calls `onRow` with each data row (1 = the first row after the header) and returns the header.
 * Stops early when `onRow` returns false.
 */
export function parseCsv(
  text: string,
  delimiter: string,
  onRow: (cells: string[], rowNo: number, header: string[]) => boolean | undefined,
): string[] {
  let header: string[] | null = null;
  let rowNo = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      const cells = result.data;
      if (header === null) {
        header = cells.map((h) => h.trim());
        return;
      }
      rowNo += 1;
      if (onRow(cells, rowNo, header) === false) parser.abort();
    },
  });
  return header ?? [];
}

// ---- Column mapping ------------------------------------------------------------------------------

export const CONTACT_TARGETS = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "phone",
  "job_title",
  "company",
  "address",
  "address_part",
  "tags",
  "note",
  "owner",
] as const;
export const COMPANY_TARGETS = [
  "name",
  "domain",
  "industry",
  "size",
  "phone",
  "address",
  "address_part",
  "tags",
  "note",
  "owner",
] as const;

/** What the mapping select shows for each target. */
export const TARGET_LABELS: Record<string, string> = {
  first_name: "First name",
  last_name: "Last name",
  full_name: "Full name (split into first and last)",
  email: "Email",
  phone: "Phone",
  job_title: "Job title",
  company: "Company",
  address: "Address",
  address_part: "Part of the address (street, city, …)",
  tags: "Tags",
  note: "Note",
  owner: "Owner (a member's email)",
  name: "Name",
  domain: "Website or domain",
  industry: "Industry",
  size: "Size (employees)",
};

/** A custom field a column can map to. */
export type MappableField = CustomField;

const key = (header: string) =>
  header
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

// Header names of Google Contacts, Outlook, HubSpot and our own export, and common variants
// (English, plus the German and French words European spreadsheets use), after key().
const CONTACT_ALIASES: Record<string, (typeof CONTACT_TARGETS)[number]> = {
  "first name": "first_name",
  firstname: "first_name",
  "given name": "first_name",
  forename: "first_name",
  vorname: "first_name",
  prenom: "first_name",
  "last name": "last_name",
  lastname: "last_name",
  surname: "last_name",
  "family name": "last_name",
  nachname: "last_name",
  nom: "last_name",
  name: "full_name",
  "full name": "full_name",
  "display name": "full_name",
  "contact name": "full_name",
  "job title": "job_title",
  "organization title": "job_title",
  "organisation title": "job_title",
  position: "job_title",
  "job position": "job_title",
  company: "company",
  "company name": "company",
  organization: "company",
  organisation: "company",
  "organization name": "company",
  "organisation name": "company",
  "associated company": "company",
  employer: "company",
  firma: "company",
  unternehmen: "company",
  societe: "company",
  address: "address",
  "street address": "address_part",
  street: "address_part",
  tags: "tags",
  tag: "tags",
  labels: "tags",
  categories: "tags",
  category: "tags",
  note: "note",
  notes: "note",
  notiz: "note",
  notizen: "note",
  comments: "note",
  description: "note",
  owner: "owner",
  "contact owner": "owner",
};

const COMPANY_ALIASES: Record<string, (typeof COMPANY_TARGETS)[number]> = {
  name: "name",
  company: "name",
  "company name": "name",
  organization: "name",
  organisation: "name",
  "account name": "name",
  firma: "name",
  domain: "domain",
  "company domain name": "domain",
  website: "domain",
  "website url": "domain",
  "web site": "domain",
  url: "domain",
  web: "domain",
  industry: "industry",
  branche: "industry",
  size: "size",
  employees: "size",
  "number of employees": "size",
  "employee count": "size",
  phone: "phone",
  "phone number": "phone",
  telephone: "phone",
  telefon: "phone",
  address: "address",
  street: "address_part",
  "street address": "address_part",
  tags: "tags",
  labels: "tags",
  categories: "tags",
  note: "note",
  notes: "note",
  description: "note",
  owner: "owner",
  "company owner": "owner",
};

const ADDRESS_PART =
  /\b(street|city|town|state|region|province|postal|postcode|zip|country|ort|stadt|plz|land|ville|pays)\b/;

/** The target of each column, from its header: a field of ours, "cf:<id>" for a custom field, or "" (skipped). */
export function autoMapping(kind: ImportKind, headers: string[], fields: MappableField[]): string[] {
  const byName = new Map(fields.map((f) => [key(f.name), `cf:${f.id}`]));
  const hasFullAddress = headers.some((h) => /^address\b.*\bformatted$|^address$/.test(key(h)));
  const mapping = headers.map((header) => {
    const k = key(header);
    if (!k) return "";
    const custom = byName.get(k);
    if (custom) return custom;
    if (/\b(label|type)$/.test(k)) return "";
    const aliases: Record<string, string> = kind === "contacts" ? CONTACT_ALIASES : COMPANY_ALIASES;
    const exact = aliases[k];
    if (exact) return exact;
    if (kind === "contacts") {
      // "E-mail 2 Address", "E-mail 1 - Value", "Email 3", "Work email"; "Business Phone", "Phone 1 - Value", "Telefon".
      if (/\b(e ?mail|mail)\b/.test(k)) return "email";
      if (/\b(phone|mobile|telephone|telefon|handy|tel|cell)\b/.test(k)) return "phone";
      if (/\baddress\b.*\bformatted$/.test(k)) return "address";
    } else {
      if (/\b(phone|telephone|telefon)\b/.test(k)) return "phone";
      if (/\b(website|domain)\b/.test(k)) return "domain";
    }
    // Street, city, country... become one address, unless the file has a full address column.
    if (ADDRESS_PART.test(k) && !hasFullAddress) return "address_part";
    return "";
  });
  // A "Full name" column only when the file has no first or last name column.
  if (mapping.includes("first_name") || mapping.includes("last_name"))
    return mapping.map((m) => (m === "full_name" ? "" : m));
  return mapping;
}

/** The targets a mapping may use, for validating a user's choice. */
export function validTarget(kind: ImportKind, target: string, fields: MappableField[]): boolean {
  if (target === "") return true;
  if (target.startsWith("cf:")) return fields.some((f) => `cf:${f.id}` === target);
  return (
    kind === "contacts" ? (CONTACT_TARGETS as readonly string[]) : (COMPANY_TARGETS as readonly string[])
  ).includes(target);
}

// ---- Rows → records -------------------------------------------------------------------------------

export interface ContactRecord {
  firstName: string;
  lastName: string;
  emails: string[];
  phones: string[];
  jobTitle: string | null;
  company: string | null;
  address: string | null;
  tags: string[];
  note: string | null;
  /** An owner's email, resolved to a member when the chunk is written (unknown: no owner). */
  owner: string | null;
  /** Custom field id → canonical value. */
  custom: Record<string, string>;
}

export interface CompanyRecord {
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
  tags: string[];
  note: string | null;
  owner: string | null;
  custom: Record<string, string>;
}

export type RowResult<R> = { ok: true; record: R } | { ok: false; reason: string } | { ok: "empty" };

const INVALID_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const NOTE_MAX = 10_000;
const TEXT_MAX = 200;

export interface RowContext {
  headers: string[];
  mapping: string[];
  fields: MappableField[];
  /** The tenant's region, for national phone numbers. */
  region: string;
}

/** Cells of one row, by target, in column order; problems that concern the whole row first. */
function gather(
  cells: string[],
  ctx: RowContext,
):
  | { ok: true; values: Map<string, { header: string; value: string }[]> }
  | { ok: false; reason: string }
  | { ok: "empty" } {
  if (cells.every((c) => c.trim() === "")) return { ok: "empty" };
  if (cells.length !== ctx.headers.length) {
    return {
      ok: false,
      reason: `The row has ${cells.length} cells but the header has ${ctx.headers.length} columns (a missing or extra delimiter or quote).`,
    };
  }
  const values = new Map<string, { header: string; value: string }[]>();
  for (let i = 0; i < cells.length; i += 1) {
    const target = ctx.mapping[i] ?? "";
    let value = cells[i]!;
    if (value.length > CELL_MAX)
      return {
        ok: false,
        reason: `The cell in column “${ctx.headers[i]}” has ${value.length} characters; at most ${CELL_MAX} are accepted.`,
      };
    if (!target) continue;
    // Cells our own export neutralised ("'=..."): the apostrophe goes again, so a round trip is lossless.
    value = restoreCell(value);
    value = value.trim();
    if (value === "") continue;
    if (INVALID_CHARACTERS.test(value))
      return { ok: false, reason: `The cell in column “${ctx.headers[i]}” contains characters we cannot store.` };
    const list = values.get(target) ?? [];
    list.push({ header: ctx.headers[i]!, value });
    values.set(target, list);
  }
  return { ok: true, values };
}

type Cells = Map<string, { header: string; value: string }[]>;
type Check = { ok: true; value: string | null } | { ok: false; reason: string };

function single(values: Cells, target: string, label: string, max: number): Check {
  const list = values.get(target) ?? [];
  const value = list.map((v) => v.value).join(" ");
  if (!value) return { ok: true, value: null };
  if (value.length > max)
    return { ok: false, reason: `${label} has ${value.length} characters; at most ${max} are accepted.` };
  return { ok: true, value };
}

function tagsOf(values: Cells): string[] | string {
  const out = new Map<string, string>();
  for (const { value } of values.get("tags") ?? []) {
    // Google's labels: "* myContacts ::: Customers" (its own system labels start with "*"). Our
    // export separates tags with "; ", so a comma splits only where nothing else does.
    for (const part of value.split(/:::|;/.test(value) ? /\s*(?::::|;)\s*/ : /\s*,\s*/)) {
      const name = part.trim();
      if (!name || name.startsWith("*")) continue;
      if (name.length > CONTACT_LIMITS.tagName)
        return `The tag “${name.slice(0, 60)}…” is longer than ${CONTACT_LIMITS.tagName} characters.`;
      out.set(name.toLowerCase(), out.get(name.toLowerCase()) ?? name);
    }
  }
  if (out.size > CONTACT_LIMITS.tags) return `At most ${CONTACT_LIMITS.tags} tags per record.`;
  return [...out.values()];
}

function customOf(values: Cells, fields: MappableField[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const raw = (values.get(`cf:${field.id}`) ?? []).map((v) => v.value).join(" ");
    if (!raw) continue;
    // Spreadsheets write an unticked box as "no" or "false".
    const parsed = parseCustomValue(
      field,
      field.kind === "checkbox" && /^(no|false|n|nein|non)$/i.test(raw) ? "" : raw,
    );
    if (!parsed.ok) return `Column “${field.name}”: ${parsed.message}`;
    if (parsed.value !== null) out[String(field.id)] = parsed.value;
  }
  return out;
}

function phoneOf(value: string, region: string): { ok: true; e164: string } | { ok: false; message: string } {
  const first = normalizePhone(value, region);
  if (first.ok) return first;
  // "0049 30 …": the international prefix most of Europe dials.
  if (/^\s*00[1-9]/.test(value)) {
    const retry = normalizePhone(value.trim().replace(/^00/, "+"), region);
    if (retry.ok) return retry;
  }
  return first;
}

function addressOf(values: Cells): Check {
  const full = (values.get("address") ?? []).map((v) => v.value).join("\n");
  const parts = (values.get("address_part") ?? []).map((v) => v.value).join(", ");
  const value = full || parts;
  if (!value) return { ok: true, value: null };
  if (value.length > CONTACT_LIMITS.address)
    return {
      ok: false,
      reason: `The address has ${value.length} characters; at most ${CONTACT_LIMITS.address} are accepted.`,
    };
  return { ok: true, value };
}

function ownerOf(values: Cells): string | null {
  const v = (values.get("owner") ?? [])[0]?.value.toLowerCase() ?? null;
  return v && EMAIL.test(v) ? v : null;
}

/** One contact row: normalised, or refused with the reason. */
export function contactFromRow(cells: string[], ctx: RowContext): RowResult<ContactRecord> {
  const g = gather(cells, ctx);
  if (g.ok !== true) return g;
  const v = g.values;
  let firstName = single(v, "first_name", "The first name", CONTACT_LIMITS.name);
  let lastName = single(v, "last_name", "The last name", CONTACT_LIMITS.name);
  if (!firstName.ok) return { ok: false, reason: firstName.reason };
  if (!lastName.ok) return { ok: false, reason: lastName.reason };
  const full = (v.get("full_name") ?? [])[0]?.value;
  if (full && !firstName.value && !lastName.value) {
    const space = full.lastIndexOf(" ");
    firstName = { ok: true, value: space > 0 ? full.slice(0, space) : full };
    lastName = { ok: true, value: space > 0 ? full.slice(space + 1) : null };
    if ((firstName.value?.length ?? 0) > CONTACT_LIMITS.name || (lastName.value?.length ?? 0) > CONTACT_LIMITS.name) {
      return { ok: false, reason: `The name is longer than ${CONTACT_LIMITS.name} characters.` };
    }
  }
  const emails: string[] = [];
  for (const { header, value } of v.get("email") ?? []) {
    for (const part of value.split(/\s*(?:;|,|:::)\s*/)) {
      const email = part.trim().toLowerCase();
      if (!email) continue;
      if (email.length > 254 || !EMAIL.test(email))
        return { ok: false, reason: `“${part.slice(0, 80)}” in column “${header}” is not an email address.` };
      if (!emails.includes(email)) emails.push(email);
    }
  }
  const phones: string[] = [];
  for (const { header, value } of v.get("phone") ?? []) {
    for (const part of value.split(/\s*(?::::|;)\s*/)) {
      if (!part.trim()) continue;
      const phone = phoneOf(part, ctx.region);
      if (!phone.ok) return { ok: false, reason: `Column “${header}”: ${phone.message}` };
      if (!phones.includes(phone.e164)) phones.push(phone.e164);
    }
  }
  if (emails.length > CONTACT_LIMITS.emails)
    return { ok: false, reason: `At most ${CONTACT_LIMITS.emails} email addresses per contact.` };
  if (phones.length > CONTACT_LIMITS.phones)
    return { ok: false, reason: `At most ${CONTACT_LIMITS.phones} phone numbers per contact.` };
  const jobTitle = single(v, "job_title", "The job title", CONTACT_LIMITS.jobTitle);
  if (!jobTitle.ok) return { ok: false, reason: jobTitle.reason };
  const company = single(v, "company", "The company name", COMPANY_NAME_MAX);
  if (!company.ok) return { ok: false, reason: company.reason };
  const address = addressOf(v);
  if (!address.ok) return { ok: false, reason: address.reason };
  const note = single(v, "note", "The note", NOTE_MAX);
  if (!note.ok) return { ok: false, reason: note.reason };
  const tags = tagsOf(v);
  if (typeof tags === "string") return { ok: false, reason: tags };
  const custom = customOf(v, ctx.fields);
  if (typeof custom === "string") return { ok: false, reason: custom };
  if (!firstName.value && !lastName.value && emails.length === 0 && phones.length === 0) {
    return { ok: false, reason: "The row has no name, email or phone." };
  }
  return {
    ok: true,
    record: {
      firstName: firstName.value ?? "",
      lastName: lastName.value ?? "",
      emails,
      phones,
      jobTitle: jobTitle.value,
      company: company.value,
      address: address.value,
      tags,
      note: note.value,
      owner: ownerOf(v),
      custom,
    },
  };
}

/** "5000" → "1001-5000"; one of COMPANY_SIZES as is; null when it is neither. */
function sizeOf(raw: string): string | null {
  if ((COMPANY_SIZES as readonly string[]).includes(raw)) return raw;
  const n = Number(raw.replace(/[\s,.]/g, ""));
  if (!Number.isInteger(n) || n < 1) return null;
  const bounds: [number, string][] = [
    [10, "1-10"],
    [50, "11-50"],
    [200, "51-200"],
    [500, "201-500"],
    [1000, "501-1000"],
    [5000, "1001-5000"],
  ];
  return bounds.find(([max]) => n <= max)?.[1] ?? "5001+";
}

/** One company row: normalised, or refused with the reason. */
export function companyFromRow(cells: string[], ctx: RowContext): RowResult<CompanyRecord> {
  const g = gather(cells, ctx);
  if (g.ok !== true) return g;
  const v = g.values;
  const name = single(v, "name", "The name", COMPANY_NAME_MAX);
  if (!name.ok) return { ok: false, reason: name.reason };
  if (!name.value) return { ok: false, reason: "The row has no company name." };
  let domain: string | null = null;
  const rawDomain = (v.get("domain") ?? [])[0]?.value;
  if (rawDomain) {
    const d = normalizeDomain(rawDomain);
    if (!d.ok) return { ok: false, reason: `“${rawDomain.slice(0, 80)}” is not a website or domain.` };
    domain = d.domain;
  }
  const industry = single(v, "industry", "The industry", TEXT_MAX);
  if (!industry.ok) return { ok: false, reason: industry.reason };
  let size: string | null = null;
  const rawSize = (v.get("size") ?? [])[0]?.value;
  if (rawSize) {
    size = sizeOf(rawSize);
    if (!size)
      return {
        ok: false,
        reason: `“${rawSize.slice(0, 40)}” is not a number of employees or one of ${COMPANY_SIZES.join(", ")}.`,
      };
  }
  let phone: string | null = null;
  const rawPhone = (v.get("phone") ?? [])[0];
  if (rawPhone) {
    const p = phoneOf(rawPhone.value, ctx.region);
    if (!p.ok) return { ok: false, reason: `Column “${rawPhone.header}”: ${p.message}` };
    phone = p.e164;
  }
  const address = addressOf(v);
  if (!address.ok) return { ok: false, reason: address.reason };
  const note = single(v, "note", "The note", NOTE_MAX);
  if (!note.ok) return { ok: false, reason: note.reason };
  const tags = tagsOf(v);
  if (typeof tags === "string") return { ok: false, reason: tags };
  const custom = customOf(v, ctx.fields);
  if (typeof custom === "string") return { ok: false, reason: custom };
  return {
    ok: true,
    record: {
      name: name.value,
      domain,
      industry: industry.value,
      size,
      phone,
      address: address.value,
      tags,
      note: note.value,
      owner: ownerOf(v),
      custom,
    },
  };
}

/** The match key of a contact without email or phone: its name sort key and its company, lower case. */
export function nameKey(firstName: string, lastName: string, company: string | null): string {
  return `n:${`${lastName} ${firstName}`.trim().toLowerCase()}|${(company ?? "").toLowerCase()}`;
}

/**
 * The keys that make two rows of one file the same person (or company), strongest first: an email,
 * or a phone together with the same name (colleagues share a switchboard: a phone alone is not a
 * person; import-match.ts); a domain, else the name, for companies.
 */
export function matchKeys(kind: ImportKind, record: ContactRecord | CompanyRecord): string[] {
  if (kind === "contacts") {
    const c = record as ContactRecord;
    const name = fullNameKey(c.firstName, c.lastName);
    const keys = [...c.emails.map((e) => `e:${e}`), ...c.phones.map((p) => `p:${p}|${name}`)];
    // A row with neither matches by name (and company) among contacts that have neither either, so the
    // same file imported twice does not create such people twice.
    return keys.length ? keys : [nameKey(c.firstName, c.lastName, c.company)];
  }
  const co = record as CompanyRecord;
  return co.domain ? [`d:${co.domain}`] : [`n:${co.name.toLowerCase()}`];
}
