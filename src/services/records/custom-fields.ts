/**
 * Tenant-defined fields on contacts and companies. Definitions are managed by admins (audited, in
 * field-settings.ts); values are validated by kind here and stored as canonical text.
 */
import { parseLocaleNumber } from "../../lib/money";
import { asc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { customFields, customFieldValues, type CustomFieldKind, type SubjectType } from "../../db/schema";

export interface CustomField {
  id: number;
  entity: SubjectType;
  name: string;
  kind: CustomFieldKind;
  options: string[];
  position: number;
}

const MAX_TEXT = 2000;

/** A field definition row as the app uses it (options parsed). */
export function toCustomField(row: typeof customFields.$inferSelect): CustomField {
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    kind: row.kind,
    options: row.options ? (JSON.parse(row.options) as string[]) : [],
    position: row.position,
  };
}

/** The tenant's fields for contacts or companies, in display order. */
export async function listCustomFields(t: TenantDb, entity: SubjectType): Promise<CustomField[]> {
  return (await customFieldsQuery(t, entity)).map(toCustomField);
}

/** The query behind listCustomFields (raw rows; map them with toCustomField), for batches. */
export function customFieldsQuery(t: TenantDb, entity: SubjectType) {
  return t.db
    .select()
    .from(customFields)
    .where(t.where(customFields, eq(customFields.entity, entity)))
    .orderBy(asc(customFields.position), asc(customFields.id));
}

/** One field of the tenant, or null. */
export async function getCustomField(t: TenantDb, id: number): Promise<CustomField | null> {
  const [row] = await t.db
    .select()
    .from(customFields)
    .where(t.where(customFields, eq(customFields.id, id)))
    .limit(1);
  return row ? toCustomField(row) : null;
}

export type ValueResult = { ok: true; value: string | null } | { ok: false; message: string };

/**
 * Checks one submitted value against its field's kind; "" clears it. Returns the canonical text. With
 * `locale` (a person's form), numbers are read with that locale's separators; without (files, the API),
 * in the canonical form.
 */
export function parseCustomValue(field: CustomField, raw: string, locale?: string): ValueResult {
  const v = raw.trim();
  if (field.kind === "checkbox") return { ok: true, value: v === "" || v === "0" || v === "off" ? null : "1" };
  if (v === "") return { ok: true, value: null };
  switch (field.kind) {
    case "text":
      return v.length <= MAX_TEXT
        ? { ok: true, value: v }
        : { ok: false, message: `${field.name} has at most ${MAX_TEXT} characters.` };
    case "number": {
      if (locale !== undefined) {
        const read = parseLocaleNumber(v, locale);
        return read.ok ? read : { ok: false, message: `${field.name} must be a number, such as ${read.example}.` };
      }
      const n = Number(v.replace(/\s/g, ""));
      return Number.isFinite(n) && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v.replace(/\s/g, ""))
        ? { ok: true, value: String(n) }
        : { ok: false, message: `${field.name} must be a number.` };
    }
    case "date": {
      const m = v.match(/^(\d{4})-(\d{2})-(\d{2})$/);
      const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
      return d && d.toISOString().slice(0, 10) === v
        ? { ok: true, value: v }
        : { ok: false, message: `${field.name} must be a date (YYYY-MM-DD).` };
    }
    case "select":
      return field.options.includes(v)
        ? { ok: true, value: v }
        : { ok: false, message: `Choose one of the options for ${field.name}.` };
    case "url": {
      try {
        // People type "example.com/page": a host with a dot and no scheme gets https:// (stored with it).
        const u = new URL(/^[^\s:/?#]+\.[^\s:/?#]+([/?#]\S*)?$/.test(v) ? `https://${v}` : v);
        if ((u.protocol === "http:" || u.protocol === "https:") && v.length <= MAX_TEXT)
          return { ok: true, value: u.toString() };
      } catch {
        // fall through to the message
      }
      return {
        ok: false,
        message: `${field.name} must be a web address, such as example.com or https://example.com/page.`,
      };
    }
  }
}

export type FormValuesResult =
  | { ok: true; values: Map<number, string | null> }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads the `cf_<id>` fields of a form for the entity's fields (numbers in the reader's `locale`). A `cf_`
 * key naming a field that is not one of the tenant's (for this entity) is refused, not ignored.
 */
export function parseCustomFieldsForm(
  fields: CustomField[],
  body: Record<string, unknown>,
  locale?: string,
): FormValuesResult {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const values = new Map<number, string | null>();
  const errors: Record<string, string> = {};
  for (const key of Object.keys(body)) {
    const m = key.match(/^cf_(\d{1,12})$/);
    if (key.startsWith("cf_") && (!m || !byId.has(Number(m[1]))))
      errors.form = "The form named a custom field that does not exist.";
  }
  for (const f of fields) {
    const raw = body[`cf_${f.id}`];
    if (raw === undefined) {
      if (f.kind === "checkbox") values.set(f.id, null);
      continue;
    }
    if (typeof raw !== "string") {
      errors[`cf_${f.id}`] = `${f.name} must be text.`;
      continue;
    }
    const r = parseCustomValue(f, raw, locale);
    if (r.ok) values.set(f.id, r.value);
    else errors[`cf_${f.id}`] = r.message;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}

/** Statements that write parsed values for a record (null deletes the value). */
export function saveValuesStatements(t: TenantDb, entityId: number, values: Map<number, string | null>) {
  const statements = [];
  for (const [fieldId, value] of values) {
    statements.push(
      value === null
        ? t.delete(customFieldValues, eq(customFieldValues.fieldId, fieldId), eq(customFieldValues.entityId, entityId))
        : t.insert(customFieldValues, { fieldId, entityId, value }).onConflictDoUpdate({
            target: [customFieldValues.tenantId, customFieldValues.fieldId, customFieldValues.entityId],
            set: { value },
          }),
    );
  }
  return statements;
}

/**
 * One record's values of its entity's fields, as a single query for batches: the fields come from
 * a subquery, so it needs no earlier read. Map with valuesOfRecord.
 */
export function recordValuesQuery(t: TenantDb, entity: SubjectType, id: number) {
  return t.db
    .select({ fieldId: customFieldValues.fieldId, value: customFieldValues.value })
    .from(customFieldValues)
    .where(
      t.where(
        customFieldValues,
        eq(customFieldValues.entityId, id),
        sql`${customFieldValues.fieldId} IN (SELECT ${customFields.id} FROM ${customFields}
          WHERE ${customFields.tenantId} = ${t.tenantId} AND ${customFields.entity} = ${entity})`,
      ),
    );
}

export function valuesOfRecord(rows: Awaited<ReturnType<typeof recordValuesQuery>>): Map<number, string> {
  return new Map(rows.map((r) => [r.fieldId, r.value]));
}

/** Deletes every custom value of records of an entity type (when the records are deleted). */
export function deleteValuesStatement(t: TenantDb, fields: CustomField[], entityIds: number[]) {
  return t.delete(
    customFieldValues,
    inJsonList(
      customFieldValues.fieldId,
      fields.map((f) => f.id),
    ),
    inJsonList(customFieldValues.entityId, entityIds),
  );
}
