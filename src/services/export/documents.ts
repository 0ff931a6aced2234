/**
 * The pieces every export document is made of (src/services/export/records.ts for contacts,
 * companies and notes; deals.ts for deals): keyset pages of one query each, the per-record SQL
 * aggregates, and the streaming of a CSV or JSON document a page at a time.
 */
import { sql, type SQL } from "drizzle-orm";
import type { CustomFieldKind, SubjectType } from "../../db/schema";
import type { CustomField } from "../records/custom-fields";

/** Records per page (and per query). */
export const EXPORT_PAGE_SIZE = 1000;

/** The `format` of every JSON export; bumped only when a change would break a reader. */
export const EXPORT_FORMAT_ID = "customertrackr.export/1";

export interface ExportNote {
  id: number;
  body: string;
  /** The author's email; null once their account is gone. */
  author: string | null;
  createdAt: number;
  updatedAt: number;
}

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

export function parseCustom(json: string): Map<number, string> {
  return new Map(Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [Number(k), String(v)]));
}

/** " AND c1 AND c2 ..." after a statement's tenant condition; nothing when there are none. */
export const andAll = (conditions: SQL[]): SQL =>
  conditions.length ? sql` AND ${sql.join(conditions, sql` AND `)}` : sql``;

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

/** A JSON document's head (`extra`: what a reader needs before the records, such as the pipelines). */
export function jsonHead(
  kind: string,
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
