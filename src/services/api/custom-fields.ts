/**
 * The workspace's custom field definitions as the API reads them: what the `custom_fields` of contacts,
 * companies and deals may hold, by name. Admins define them in Settings → Custom fields.
 */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { customFields, type SubjectType } from "../../db/schema";
import { toCustomField, type CustomField } from "../records/custom-fields";

/** A definition as the API answers it; `options` only for a select. */
export interface ApiCustomField {
  id: number;
  entity: SubjectType;
  name: string;
  kind: CustomField["kind"];
  options: string[];
  position: number;
}

/** Every definition (or one entity's), by entity and display order: a workspace has few, so no paging. */
export async function listApiCustomFields(t: TenantDb, entity: SubjectType | null): Promise<ApiCustomField[]> {
  const rows = await t.db
    .select()
    .from(customFields)
    .where(t.where(customFields, entity ? eq(customFields.entity, entity) : undefined))
    .orderBy(asc(customFields.entity), asc(customFields.position), asc(customFields.id));
  return rows.map(toCustomField);
}
