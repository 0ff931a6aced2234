/**
 * The order of a record type's custom fields (custom_fields.position): the record forms, pages, exports and the API
 * list them so. An admin moves a field one place up or down at /app/settings/fields.
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { customFields } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { settingAudit } from "../audit/audit";
import { movedOrder, type Direction } from "../deals/pipelines";
import { getCustomField, listCustomFields } from "./custom-fields";

/**
 * Moves a field one place up or down among its record type's fields, renumbering them 0..n-1 in the new order, in
 * one batch with its audit entry (nothing is written at either end). False when the field is not the workspace's.
 */
export async function moveCustomFieldAudited(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  direction: Direction,
): Promise<boolean> {
  const field = await getCustomField(t, id);
  if (!field) return false;
  const ids = (await listCustomFields(t, field.entity)).map((f) => f.id);
  const order = movedOrder(ids, id, direction);
  if (order === JSON.stringify(ids)) return true;
  // Qualified: json_each has an `id` column of its own.
  const fieldId = sql.raw("custom_fields.id");
  await t.db.batch([
    t.update(
      customFields,
      { position: sql`(SELECT j.key FROM json_each(${order}) j WHERE j.value = ${fieldId})` },
      sql`${customFields.entity} = ${field.entity}`,
      sql`${fieldId} IN (SELECT value FROM json_each(${order}))`,
    ),
    settingAudit(t, actor, "custom_field.moved", { id, label: field.name }, { entity: field.entity, direction }),
  ]);
  return true;
}
