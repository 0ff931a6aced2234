/**
 * Tenant-defined fields on contacts and companies. Definitions are managed by admins (audited, in
 * field-settings.ts); values are validated by kind here and stored as canonical text.
 */
import { numberFormat, parseLocaleNumber } from "../../lib/money";
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
  if (field.kind === "checkbox") return { ok: true, value: v === "" || checkboxWord(v) === false ? null : "1" };
  if (v === "") return { ok: true, value: null };
  switch (field.kind) {
    case "text":
      return v.length <= MAX_TEXT
        ? { ok: true, value: v }
        : { ok: false, message: `${field.name} has at most ${MAX_TEXT} characters.` };
    case "number": {
      let read: PlainDecimal | null;
      if (locale !== undefined) {
        const typed = parseLocaleNumber(v, locale);
        if (!typed.ok) return { ok: false, message: `${field.name} must be a number, such as ${typed.example}.` };
        read = localeDecimal(v, locale);
      } else read = canonicalDecimal(v.replace(/\s/g, ""));
      if (!read) return { ok: false, message: `${field.name} must be a number.` };
      // The edit form shows and reads back at most 15 digits, and a double keeps no more.
      return read.digits <= MAX_DIGITS
        ? { ok: true, value: read.text }
        : { ok: false, message: `${field.name} has more than ${MAX_DIGITS} digits.` };
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

const MAX_DIGITS = 15;

/** How files and the API write a ticked (true) or unticked (false) box; null: neither. */
export function checkboxWord(raw: string): boolean | null {
  const v = raw.trim().toLowerCase();
  if (["true", "yes", "y", "1", "on"].includes(v)) return true;
  if (["false", "no", "n", "0", "off"].includes(v)) return false;
  return null;
}

/** A number as plain decimal text ("0.0000001", never "1e-7") and how many digits that text has. */
interface PlainDecimal {
  text: string;
  digits: number;
}

/** The plain decimal of sign, integer digits, fraction digits and a power of ten; exact, with no rounding. */
function plainDecimal(negative: boolean, integer: string, fraction: string, exponent: number): PlainDecimal {
  const all = `${integer}${fraction}`;
  const lead = all.length - all.replace(/^0+/, "").length;
  const significant = all.slice(lead).replace(/0+$/, "");
  if (significant === "") return { text: "0", digits: 1 };
  // The value is 0.<significant> × 10^point.
  const point = integer.length + exponent - lead;
  const digits = point <= 0 ? significant.length - point : Math.max(point, significant.length);
  // Too long to keep: the caller refuses it, so the text is never built (an exponent may be huge).
  if (digits > MAX_DIGITS) return { text: "", digits };
  const whole = point <= 0 ? "0" : significant.slice(0, point).padEnd(point, "0");
  const part = point <= 0 ? `${"0".repeat(-point)}${significant}` : significant.slice(point);
  return { text: `${negative ? "-" : ""}${whole}${part ? `.${part}` : ""}`, digits };
}

/** A number in the canonical form files and the API write ("-12.5", "1.5e3"), or null. */
function canonicalDecimal(v: string): PlainDecimal | null {
  const m = /^([-+])?(?:(\d+)\.?(\d*)|\.(\d+))(?:e([-+]?\d+))?$/i.exec(v);
  if (!m) return null;
  return plainDecimal(m[1] === "-", m[2] ?? "", m[3] ?? m[4] ?? "", Number(m[5] ?? 0));
}

/** The digits of a number parseLocaleNumber accepted, read exactly (its own answer went through a double). */
function localeDecimal(v: string, locale: string): PlainDecimal {
  const decimal = numberFormat(locale, { useGrouping: true })
    .formatToParts(1.5)
    .find((p) => p.type === "decimal");
  const [integer = "", fraction = ""] = v.split(decimal?.value ?? ".");
  return plainDecimal(/^[-\u2212]/.test(v), integer.replace(/\D/g, ""), fraction.replace(/\D/g, ""), 0);
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
