/**
 * The names a custom field may take. Exports name a field's column after it, beside the record type's built-in
 * columns, and imports map a column to a field by fieldColumnKey (case, accents and punctuation aside) before they
 * look at the built-in names. So a name is refused when its column key is a built-in column's ("First-name" would
 * take the first names of our own contacts.csv) or another field's of the same record type (of "Région" and
 * "Region", the later would take both columns).
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { customFields, type SubjectType } from "../../db/schema";
import { nameKeyOf } from "../../lib/setting-names";
import { BUILT_IN_COLUMNS } from "../export/columns";
import { fieldColumnKey } from "../import/cells";

/** A name refused, by the name field. */
export type NameRefusal = { ok: false; field: "name"; message: string };

/** The answer when another field of the record type has the name (in any case). */
export const nameTaken = (entity: SubjectType) => `A ${entity} field with this name already exists.`;

/** Whether a name is the column of a built-in field of `entity` in exports and imports. */
export function builtInClash(entity: SubjectType, name: string): NameRefusal | null {
  const key = fieldColumnKey(name);
  const builtIn: readonly string[] = BUILT_IN_COLUMNS[entity];
  const taken = key ? builtIn.find((column) => fieldColumnKey(column) === key) : undefined;
  if (!taken) return null;
  return {
    ok: false,
    field: "name",
    message: `“${taken}” is already a ${entity} column in exports and imports. Choose another name.`,
  };
}

/** The names of a record type's fields as read now, to check a new name against. */
export interface FieldNames {
  /** How many fields the record type has. */
  count: number;
  /** Why `name` cannot be the field's (a built-in column's or another field's), or null. */
  refusal(name: string): NameRefusal | null;
  /**
   * True in SQL while the record type's fields have no name but those read here and `name`: a write guarded by it
   * is refused when another admin made or renamed a field since, whose name the check above did not see.
   */
  unchanged(name: string): SQL;
}

/** The names of `entity`'s fields, but that of field `selfId` (the one being renamed; null for a new field). */
export async function fieldNamesOf(t: TenantDb, entity: SubjectType, selfId: number | null): Promise<FieldNames> {
  const fields = await t.db
    .select({ id: customFields.id, name: customFields.name, nameKey: customFields.nameKey })
    .from(customFields)
    .where(t.where(customFields, eq(customFields.entity, entity)));
  const others = fields.filter((f) => f.id !== selfId);
  // As stored: the guard compares the column.
  const keys = fields.map((f) => f.nameKey);
  return {
    count: fields.length,
    refusal(name) {
      const builtIn = builtInClash(entity, name);
      if (builtIn) return builtIn;
      const key = fieldColumnKey(name);
      // A name of punctuation only has no column key and never maps: nothing to tell apart.
      const twin = key ? others.find((f) => fieldColumnKey(f.name) === key) : undefined;
      if (!twin) return null;
      return {
        ok: false,
        field: "name",
        message:
          nameKeyOf(twin.name) === nameKeyOf(name)
            ? nameTaken(entity)
            : `A ${entity} field is called “${twin.name}”, which imports cannot tell apart from this name. Choose another name.`,
      };
    },
    unchanged(name) {
      const known = JSON.stringify([...keys, nameKeyOf(name)]);
      return sql`NOT EXISTS (SELECT 1 FROM custom_fields nf WHERE nf.tenant_id = ${t.tenantId}
        AND nf.entity = ${entity} AND nf.name_key NOT IN (SELECT value FROM json_each(${known})))`;
    },
  };
}
