/**
 * What an import compares of a contact or a company already there (its tag keys, custom values and
 * notes), as subqueries on the record's alias `r`. Only constants are written into the SQL.
 */
import { sql } from "drizzle-orm";

type Kind = "contact" | "company";

/** The record's tags' name keys as a JSON array. */
export const currentTagKeys = (r: string, kind: Kind) =>
  sql.raw(`(SELECT json_group_array(t.name_key) FROM ${kind}_tags ct JOIN tags t ON t.id = ct.tag_id
        WHERE ct.tenant_id = ${r}.tenant_id AND ct.${kind}_id = ${r}.id)`);

/** The record's custom values as a JSON object {fieldId: value}, from fields of its kind only. */
export const currentCustomValues = (r: string, kind: Kind) =>
  sql.raw(`(SELECT json_group_object(v.field_id, v.value) FROM custom_field_values v
        JOIN custom_fields f ON f.id = v.field_id AND f.entity = '${kind}'
        WHERE v.tenant_id = ${r}.tenant_id AND v.entity_id = ${r}.id)`);

/** The record's notes' bodies as a JSON array. */
export const currentNoteBodies = (r: string, kind: Kind) =>
  sql.raw(`(SELECT json_group_array(body) FROM notes
        WHERE tenant_id = ${r}.tenant_id AND subject_type = '${kind}' AND subject_id = ${r}.id)`);
