/**
 * What admins do with the workspace's custom field definitions at /app/settings/fields and through the API
 * (src/routes/api/custom-fields.ts): create, rename and change a choice field's options (never dropping an option a
 * record holds), delete (with every value). Names are checked as imports read them (field-names.ts); the order is
 * field-order.ts's. Each change and its audit entry go in one batch.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { TenantDb } from "../../db/scoped";
import {
  CUSTOM_FIELD_KINDS,
  customFields,
  customFieldValues,
  SUBJECT_TYPES,
  type CustomFieldKind,
  type SubjectType,
} from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { cleanName, nameKeyOf, SETTING_LIMITS } from "../../lib/setting-names";
import { text } from "../../lib/validation";
import { refusingTakenName } from "../../lib/unique-name";
import { settingAudit } from "../audit/audit";
import { guardedValue, isPlanLimitError } from "../billing/limits";
import { fieldColumnKey } from "../import/cells";
import { fieldNamesOf, nameTaken } from "./field-names";
import { fieldRemovalChanges, fieldRenameChanges } from "./removal-events";
import { getCustomField, type CustomField } from "./custom-fields";
import { settingAuditWhen } from "./tag-settings";

const MAX_OPTIONS = 50;
const OPTION_MAX = 100;

/** The custom field form (Settings → Custom fields and the API); options one per line, as typed. */
export const customFieldInputSchema = z
  .object({
    entity: z.enum(SUBJECT_TYPES, { error: "Choose contacts, companies or deals." }),
    // Cleaned before the checks: a name of invisible characters only is no name.
    name: z.preprocess((v) => (typeof v === "string" ? cleanName(v) : (v ?? "")), text("Name", { min: 1, max: 60 })),
    kind: z.enum(CUSTOM_FIELD_KINDS, { error: "Choose one of the kinds." }),
    options: z.preprocess((v) => v ?? "", text("Options", { max: MAX_OPTIONS * (OPTION_MAX + 2) })),
  })
  .transform((v) => ({
    ...v,
    // One option per line; blank lines and repeats are dropped, so what is stored is a clean list.
    options:
      v.kind === "select"
        ? [
            ...new Set(
              v.options
                .split(/\r\n|\r|\n/)
                .map((o) => o.trim())
                .filter(Boolean),
            ),
          ]
        : [],
  }))
  .superRefine((v, ctx) => {
    if (v.kind !== "select") return;
    if (v.options.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "A choice field needs at least one option, one per line.",
      });
    else if (v.options.length > MAX_OPTIONS)
      ctx.addIssue({ code: "custom", path: ["options"], message: `At most ${MAX_OPTIONS} options.` });
    else if (v.options.some((o) => o.length > OPTION_MAX))
      ctx.addIssue({ code: "custom", path: ["options"], message: `Each option has at most ${OPTION_MAX} characters.` });
  });

export type FieldChange = { ok: true; field: CustomField } | { ok: false; field: "name" | "options"; message: string };

const limitReached = (entity: SubjectType) =>
  `This workspace has ${SETTING_LIMITS.customFieldsPerType} ${entity} fields, the most it can have. Delete one you no longer use first.`;

/** Creates a custom field definition (input checked by the route; options only for "select"). */
export async function createCustomFieldAudited(
  t: TenantDb,
  actor: KeyActor,
  input: { entity: SubjectType; name: string; kind: CustomFieldKind; options: string[] },
): Promise<FieldChange> {
  if (input.kind === "select" && input.options.length === 0)
    return { ok: false, field: "options", message: "A select field needs at least one option." };
  const name = cleanName(input.name);
  const names = await fieldNamesOf(t, input.entity, null);
  const refused = names.refusal(name);
  if (refused) return refused;
  // NULL at the limit, or when a field was made or renamed since the names were read: NOT NULL fails and the
  // batch writes nothing (counted and compared inside it, so it holds).
  const roomLeft = sql`(SELECT count(*) FROM custom_fields WHERE tenant_id = ${t.tenantId}
    AND entity = ${input.entity}) < ${SETTING_LIMITS.customFieldsPerType} AND ${names.unchanged(name)}`;
  try {
    return await refusingTakenName<FieldChange>(nameTaken(input.entity), async () => {
      const [rows] = await t.db.batch([
        t
          .insert(customFields, {
            entity: input.entity,
            name,
            nameKey: guardedValue(roomLeft, nameKeyOf(name)),
            kind: input.kind,
            options: input.kind === "select" ? JSON.stringify(input.options) : null,
            // New fields go last: after the highest place of the entity's fields (creation times wrapped around).
            position: sql`(SELECT coalesce(max(f.position), 0) + 1 FROM custom_fields f
              WHERE f.tenant_id = ${t.tenantId} AND f.entity = ${input.entity})`,
            createdAt: actor.now,
          })
          .returning({ id: customFields.id }),
        settingAudit(t, actor, "custom_field.created", { label: name }, { entity: input.entity, kind: input.kind }),
      ]);
      return {
        ok: true,
        field: {
          id: rows[0]!.id,
          entity: input.entity,
          name,
          kind: input.kind,
          options: input.kind === "select" ? input.options : [],
          position: 0,
        },
      };
    });
  } catch (err) {
    if (!isPlanLimitError(err, "custom_fields.name_key")) throw err;
    const now = await fieldNamesOf(t, input.entity, null);
    if (now.count >= SETTING_LIMITS.customFieldsPerType)
      return { ok: false, field: "name", message: limitReached(input.entity) };
    return now.refusal(name) ?? { ok: false, field: "name", message: "Try again." };
  }
}

/**
 * Renames a field and, for a choice field, sets its options (in order). An option some record holds cannot be
 * dropped: the batch re-checks that no value uses a dropped option, so a value set a moment ago is kept valid.
 * Null when the field is not the tenant's (or was deleted a moment ago).
 */
export async function updateCustomFieldAudited(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  input: { name: string; options: string[] },
): Promise<FieldChange | null> {
  const before = await getCustomField(t, id);
  if (!before) return null;
  const options = before.kind === "select" ? input.options : [];
  if (before.kind === "select" && options.length === 0)
    return { ok: false, field: "options", message: "A select field needs at least one option." };
  const name = cleanName(input.name);
  const after: CustomField = { ...before, name, options };
  if (before.name === name && JSON.stringify(before.options) === JSON.stringify(options))
    return { ok: true, field: before };
  // A new column key is checked against the built-in columns and the other fields, and the write is guarded so.
  const names = fieldColumnKey(before.name) === fieldColumnKey(name) ? null : await fieldNamesOf(t, before.entity, id);
  const refused = names?.refusal(name);
  if (refused) return refused;
  const namesHold = names ? names.unchanged(name) : sql`1`;
  const dropped = JSON.stringify(before.options.filter((o) => !options.includes(o)));
  const heldValues = sql`SELECT v.value FROM custom_field_values v WHERE v.tenant_id = ${t.tenantId}
    AND v.field_id = ${id} AND v.value IN (SELECT value FROM json_each(${dropped}))`;
  const inUse = async (): Promise<FieldChange | null> => {
    const [held] = await t.db.all<{ value: string }>(sql`${heldValues} LIMIT 1`);
    return held
      ? { ok: false, field: "options", message: `Records hold “${held.value}”: change them before dropping it.` }
      : null;
  };
  const held = await inUse();
  if (held) return held;
  return refusingTakenName<FieldChange | null>(nameTaken(before.entity), async () => {
    const [rows] = await t.db.batch([
      t
        .update(
          customFields,
          {
            name,
            nameKey: nameKeyOf(name),
            options: before.kind === "select" ? JSON.stringify(options) : null,
          },
          eq(customFields.id, id),
          sql`NOT EXISTS (${heldValues})`,
          namesHold,
        )
        .returning({ id: customFields.id }),
      // A new name changes the key of every value in the records' custom_fields: they change, as on a delete.
      ...(before.name === name ? [] : fieldRenameChanges(t, { id, entity: before.entity, name }, actor.now)),
      settingAuditWhen(
        t,
        actor,
        "custom_field.updated",
        { id, label: name },
        {
          entity: before.entity,
          from_name: before.name,
          ...(before.kind === "select" ? { options: options.join(", ") } : {}),
        },
        // The update's own condition, read after it in the same transaction: true exactly when it changed the row.
        sql`EXISTS (SELECT 1 FROM custom_fields WHERE tenant_id = ${t.tenantId} AND id = ${id})
          AND NOT EXISTS (${heldValues}) AND ${namesHold}`,
      ),
    ]);
    if (rows.length > 0) return { ok: true, field: after };
    // Nothing changed: a record took a dropped option a moment ago, another field took a look-alike name, or the
    // field was deleted.
    const heldNow = await inUse();
    if (heldNow) return heldNow;
    const namesNow = names ? (await fieldNamesOf(t, before.entity, id)).refusal(name) : null;
    if (namesNow) return namesNow;
    return (await getCustomField(t, id)) ? { ok: false, field: "options", message: "Try again." } : null;
  });
}

/**
 * Deletes a custom field and every value of it, each record that held one getting its *.updated webhook event in
 * the same batch. False when it is not the tenant's.
 */
export async function deleteCustomFieldAudited(t: TenantDb, actor: KeyActor, id: number): Promise<boolean> {
  const field = await getCustomField(t, id);
  if (!field) return false;
  await t.db.batch([
    // First: the new times and the events read which records hold a value.
    ...fieldRemovalChanges(t, field, actor.now),
    t.delete(customFieldValues, eq(customFieldValues.fieldId, id)),
    t.delete(customFields, eq(customFields.id, id)),
    settingAudit(t, actor, "custom_field.deleted", { id, label: field.name }, { entity: field.entity }),
  ]);
  return true;
}
