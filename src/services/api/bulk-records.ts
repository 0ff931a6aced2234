/**
 * A bulk upsert's JSON records read as rows of an import (src/services/import/parse.ts), so a record passes
 * exactly the checks an imported row does (lengths, addresses, phones in the workspace's region, tags,
 * custom values in canonical form) and is matched and written by the import's own planner. Each field is
 * one column named as the JSON names it, so a row's refusal reads "Column “phones”: …".
 */
import { cleanName } from "../../lib/setting-names";
import type { ImportKind } from "../../db/schema";
import type { RowContext } from "../import/cells";
import { CONTACT_LIMITS } from "../contacts/form";
import type { MappableField } from "../import/mapping";
import { type CompanyRecord, type ContactRecord, companyFromRow, contactFromRow, matchKeys } from "../import/parse";

/** A custom value as JSON sends it. */
export type JsonCustomValue = string | number | boolean | null;

/** A contact of a bulk request (the shape its zod schema checks). */
export interface BulkContactJson {
  first_name?: string;
  last_name?: string;
  emails?: string[];
  phones?: string[];
  job_title?: string | null;
  company?: string | null;
  address?: string | null;
  tags?: string[];
  owner?: string | null;
  note?: string | null;
  custom_fields?: Record<string, JsonCustomValue>;
}

/** A company of a bulk request. */
export interface BulkCompanyJson {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  phone?: string | null;
  address?: string | null;
  tags?: string[];
  owner?: string | null;
  note?: string | null;
  custom_fields?: Record<string, JsonCustomValue>;
}

export type BulkRecordResult<R> = { ok: true; record: R; keys: string[] } | { ok: false; errors: BulkError[] };

/** Why a record was not written: the field when one is to blame, and a sentence. */
export interface BulkError {
  field?: string;
  message: string;
}

/**
 * A custom value as a cell: true ticks (as the form reads "1"), false unticks a checkbox (as a file's "false"
 * does); null, or false for a field of another kind, is an empty cell, which leaves the record's value.
 */
const cell = (v: JsonCustomValue | undefined, field: MappableField) =>
  v === false && field.kind === "checkbox"
    ? "false"
    : v === null || v === undefined || v === false
      ? ""
      : v === true
        ? "1"
        : String(v);

/** The columns (header = JSON name, mapping = import target) and cells of one record. */
function columnsOf(pairs: [string, string, string][]): { headers: string[]; mapping: string[]; cells: string[] } {
  return { headers: pairs.map((p) => p[0]), mapping: pairs.map((p) => p[1]), cells: pairs.map((p) => p[2]) };
}

/** custom_fields by name → cf:<id> columns; names the workspace lacks become errors. */
function customColumns(
  values: Record<string, JsonCustomValue> | undefined,
  fields: MappableField[],
  errors: BulkError[],
): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [name, value] of Object.entries(values ?? {})) {
    const field = fields.find((f) => f.name === name);
    if (!field) errors.push({ field: `custom_fields.${name}`, message: "This workspace has no field of this name." });
    else out.push([name, `cf:${field.id}`, cell(value, field)]);
  }
  return out;
}

const text = (v: string | null | undefined) => v ?? "";

/** One contact of a bulk request as an import row: the record, and the keys that make two records one person. */
export function bulkContact(
  json: BulkContactJson,
  fields: MappableField[],
  region: string,
): BulkRecordResult<ContactRecord> {
  const errors: BulkError[] = [];
  const pairs: [string, string, string][] = [
    ["first_name", "first_name", text(json.first_name)],
    ["last_name", "last_name", text(json.last_name)],
    ...(json.emails ?? []).map((e, i): [string, string, string] => [`emails[${i}]`, "email", e]),
    ...(json.phones ?? []).map((p, i): [string, string, string] => [`phones[${i}]`, "phone", p]),
    ["job_title", "job_title", text(json.job_title)],
    ["company", "company", text(json.company)],
    ["address", "address", text(json.address)],
    ["owner", "owner", text(json.owner)],
    ["note", "note", text(json.note)],
    ...customColumns(json.custom_fields, fields, errors),
  ];
  const tags = tagList(json.tags, errors);
  if (errors.length) return { ok: false, errors };
  const { headers, mapping, cells } = columnsOf(pairs);
  const ctx: RowContext = { headers, mapping, fields, region };
  const row = contactFromRow(cells, ctx);
  if (row.ok === "empty") return { ok: false, errors: [{ message: "The record has no name, email or phone." }] };
  if (!row.ok) return { ok: false, errors: [{ message: row.reason }] };
  const record = { ...row.record, tags };
  return { ok: true, record, keys: matchKeys("contacts" satisfies ImportKind, record) };
}

/**
 * A record's tags as the request lists them: each item one tag name, as written (a comma or a leading "*" is part
 * of the name, not a CSV file's separator or a Google system label), distinct regardless of case.
 */
function tagList(names: string[] | undefined, errors: BulkError[]): string[] {
  const out = new Map<string, string>();
  for (const [i, raw] of (names ?? []).entries()) {
    // Stored as the other paths store names (tag-settings, the importer), so a look-alike finds the same tag.
    const name = cleanName(raw);
    if (!name) continue;
    if (name.length > CONTACT_LIMITS.tagName || name.includes(";"))
      errors.push({
        field: `tags[${i}]`,
        message: `A tag has at most ${CONTACT_LIMITS.tagName} characters and no “;”.`,
      });
    else out.set(name.toLowerCase(), out.get(name.toLowerCase()) ?? name);
  }
  if (out.size > CONTACT_LIMITS.tags)
    errors.push({ field: "tags", message: `At most ${CONTACT_LIMITS.tags} tags per record.` });
  return [...out.values()];
}

/** One company of a bulk request as an import row, with its match keys (the domain, else the name). */
export function bulkCompany(
  json: BulkCompanyJson,
  fields: MappableField[],
  region: string,
): BulkRecordResult<CompanyRecord> {
  const errors: BulkError[] = [];
  const pairs: [string, string, string][] = [
    ["name", "name", text(json.name)],
    ["domain", "domain", text(json.domain)],
    ["industry", "industry", text(json.industry)],
    ["size", "size", text(json.size)],
    ["phone", "phone", text(json.phone)],
    ["address", "address", text(json.address)],
    ["owner", "owner", text(json.owner)],
    ["note", "note", text(json.note)],
    ...customColumns(json.custom_fields, fields, errors),
  ];
  const tags = tagList(json.tags, errors);
  if (errors.length) return { ok: false, errors };
  const { headers, mapping, cells } = columnsOf(pairs);
  const row = companyFromRow(cells, { headers, mapping, fields, region });
  if (row.ok === "empty") return { ok: false, errors: [{ field: "name", message: "The record has no company name." }] };
  if (!row.ok) return { ok: false, errors: [{ message: row.reason }] };
  const record = { ...row.record, tags };
  return { ok: true, record, keys: matchKeys("companies", record) };
}
