/**
 * What admins do with the workspace's custom field definitions at /app/settings/fields: create and
 * delete (with every value). Each change and its audit entry go in one batch.
 */
import { eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { customFields, customFieldValues, type CustomFieldKind, type SubjectType } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { refusingTakenName } from "../../lib/unique-name";
import { settingAudit } from "../audit/audit";
import { BUILT_IN_COLUMNS } from "../export/columns";
import { getCustomField, type CustomField } from "./custom-fields";

export type FieldChange = { ok: true; field: CustomField } | { ok: false; field: "name" | "options"; message: string };

/** Creates a custom field definition (input checked by the route; options only for "select"). */
export async function createCustomFieldAudited(
  t: TenantDb,
  actor: Actor,
  input: { entity: SubjectType; name: string; kind: CustomFieldKind; options: string[] },
): Promise<FieldChange> {
  if (input.kind === "select" && input.options.length === 0)
    return { ok: false, field: "options", message: "A select field needs at least one option." };
  // Exports name a field's column after it, next to the built-in columns, and imports map columns
  // back by name: a field called "Email" would make two "Email" columns and take the other's data.
  const builtIn: readonly string[] = BUILT_IN_COLUMNS[input.entity];
  const taken = builtIn.find((column) => column.toLowerCase() === input.name.trim().toLowerCase());
  if (taken)
    return {
      ok: false,
      field: "name",
      message: `“${taken}” is already a ${input.entity} column in exports and imports. Choose another name.`,
    };
  const nameTaken = `A ${input.entity} field with this name already exists.`;
  return refusingTakenName<FieldChange>(nameTaken, async () => {
    const [rows] = await t.db.batch([
      t
        .insert(customFields, {
          entity: input.entity,
          name: input.name,
          nameKey: input.name.toLowerCase(),
          kind: input.kind,
          options: input.kind === "select" ? JSON.stringify(input.options) : null,
          // New fields go last: creation time orders them, within the column's integer range.
          position: actor.now % 1_000_000_000,
          createdAt: actor.now,
        })
        .returning({ id: customFields.id }),
      settingAudit(t, actor, "custom_field.created", { label: input.name }, { entity: input.entity, kind: input.kind }),
    ]);
    return {
      ok: true,
      field: {
        id: rows[0]!.id,
        entity: input.entity,
        name: input.name,
        kind: input.kind,
        options: input.kind === "select" ? input.options : [],
        position: 0,
      },
    };
  });
}

/** Deletes a custom field and every value of it. False when it is not the tenant's. */
export async function deleteCustomFieldAudited(t: TenantDb, actor: Actor, id: number): Promise<boolean> {
  const field = await getCustomField(t, id);
  if (!field) return false;
  await t.db.batch([
    t.delete(customFieldValues, eq(customFieldValues.fieldId, id)),
    t.delete(customFields, eq(customFields.id, id)),
    settingAudit(t, actor, "custom_field.deleted", { id, label: field.name }, { entity: field.entity }),
  ]);
  return true;
}
