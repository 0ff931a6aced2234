/**
 * Workspace settings that admins manage: tags, custom field definitions, the default phone region
 * and (owners only) the workspace's name. Each change and its audit entry go in one batch.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import {
  companyTags,
  contactTags,
  customFields,
  customFieldValues,
  tags,
  tenants,
  type CustomFieldKind,
  type SubjectType,
} from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { isRegion } from "../../lib/phone";
import { auditInsert, type AuditAction } from "../audit/audit";
import { COMPANY_CSV_COLUMNS, CONTACT_CSV_COLUMNS } from "../export/records";
import { getCustomField, type CustomField } from "../records/custom-fields";
import type { Tag, TagColor } from "../records/tags";

export interface SettingsActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  now: number;
}

function audit(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  action: AuditAction,
  target: { type: string; id?: number | string; label?: string },
  detail?: Record<string, string | number | boolean | null>,
) {
  return auditInsert(db, {
    tenantId,
    actorUserId: actor.userId,
    action,
    targetType: target.type,
    targetId: target.id === undefined ? undefined : String(target.id),
    targetLabel: target.label,
    detail,
    ip: actor.ip,
    userAgent: actor.userAgent,
    now: actor.now,
  });
}

const isUniqueViolation = (err: unknown) =>
  String(err).includes("UNIQUE constraint failed") ||
  String((err as { cause?: unknown })?.cause).includes("UNIQUE constraint failed");

// ---- Tags -----------------------------------------------------------------------------------------

export type TagChange = { ok: true; tag: Tag } | { ok: false; field: "name"; message: string };

/** A tag of the tenant, or null. */
export async function getTag(db: Database, tenantId: string, id: number): Promise<Tag | null> {
  const [row] = await db
    .select({ id: tags.id, name: tags.name, color: tags.color })
    .from(tags)
    .where(and(eq(tags.tenantId, tenantId), eq(tags.id, id)))
    .limit(1);
  return row ?? null;
}

/** Creates a tag; a name that exists in any case is refused. */
export async function createTagAudited(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  input: { name: string; color: TagColor },
): Promise<TagChange> {
  try {
    const [rows] = await db.batch([
      db
        .insert(tags)
        .values({
          tenantId,
          name: input.name,
          nameKey: input.name.toLowerCase(),
          color: input.color,
          createdAt: actor.now,
        })
        .returning({ id: tags.id, name: tags.name, color: tags.color }),
      audit(db, tenantId, actor, "tag.created", { type: "tag", label: input.name }, { color: input.color }),
    ]);
    return { ok: true, tag: rows[0]! };
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, field: "name", message: "A tag with this name already exists." };
    throw err;
  }
}

/** Renames or recolours a tag. Null when it is not the tenant's. */
export async function updateTagAudited(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  id: number,
  input: { name: string; color: TagColor },
): Promise<TagChange | null> {
  const before = await getTag(db, tenantId, id);
  if (!before) return null;
  if (before.name === input.name && before.color === input.color) return { ok: true, tag: before };
  try {
    await db.batch([
      db
        .update(tags)
        .set({ name: input.name, nameKey: input.name.toLowerCase(), color: input.color })
        .where(and(eq(tags.tenantId, tenantId), eq(tags.id, id))),
      audit(
        db,
        tenantId,
        actor,
        "tag.updated",
        { type: "tag", id, label: input.name },
        { from_name: before.name, from_color: before.color, color: input.color },
      ),
    ]);
    return { ok: true, tag: { id, ...input } };
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, field: "name", message: "A tag with this name already exists." };
    throw err;
  }
}

/** Deletes a tag and takes it off every contact and company. False when it is not the tenant's. */
export async function deleteTagAudited(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  id: number,
): Promise<boolean> {
  const tag = await getTag(db, tenantId, id);
  if (!tag) return false;
  await db.batch([
    db.delete(contactTags).where(and(eq(contactTags.tenantId, tenantId), eq(contactTags.tagId, id))),
    db.delete(companyTags).where(and(eq(companyTags.tenantId, tenantId), eq(companyTags.tagId, id))),
    db.delete(tags).where(and(eq(tags.tenantId, tenantId), eq(tags.id, id))),
    audit(db, tenantId, actor, "tag.deleted", { type: "tag", id, label: tag.name }),
  ]);
  return true;
}

// ---- Custom fields ----------------------------------------------------------------------------------

export type FieldChange = { ok: true; field: CustomField } | { ok: false; field: "name" | "options"; message: string };

/** Creates a custom field definition (input checked by the route; options only for "select"). */
export async function createCustomFieldAudited(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  input: { entity: SubjectType; name: string; kind: CustomFieldKind; options: string[] },
): Promise<FieldChange> {
  if (input.kind === "select" && input.options.length === 0)
    return { ok: false, field: "options", message: "A select field needs at least one option." };
  // Exports name a field's column after it, next to the built-in columns, and imports map columns
  // back by name: a field called "Email" would make two "Email" columns and take the other's data.
  const builtIn = (input.entity === "contact" ? CONTACT_CSV_COLUMNS : COMPANY_CSV_COLUMNS) as readonly string[];
  const taken = builtIn.find((column) => column.toLowerCase() === input.name.trim().toLowerCase());
  if (taken)
    return {
      ok: false,
      field: "name",
      message: `“${taken}” is already a ${input.entity} column in exports and imports. Choose another name.`,
    };
  try {
    const [rows] = await db.batch([
      db
        .insert(customFields)
        .values({
          tenantId,
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
      audit(
        db,
        tenantId,
        actor,
        "custom_field.created",
        { type: "custom_field", label: input.name },
        { entity: input.entity, kind: input.kind },
      ),
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
  } catch (err) {
    if (isUniqueViolation(err))
      return { ok: false, field: "name", message: `A ${input.entity} field with this name already exists.` };
    throw err;
  }
}

/** Deletes a custom field and every value of it. False when it is not the tenant's. */
export async function deleteCustomFieldAudited(
  db: Database,
  tenantId: string,
  actor: SettingsActor,
  id: number,
): Promise<boolean> {
  const field = await getCustomField(db, tenantId, id);
  if (!field) return false;
  await db.batch([
    db
      .delete(customFieldValues)
      .where(and(eq(customFieldValues.tenantId, tenantId), eq(customFieldValues.fieldId, id))),
    db.delete(customFields).where(and(eq(customFields.tenantId, tenantId), eq(customFields.id, id))),
    audit(
      db,
      tenantId,
      actor,
      "custom_field.deleted",
      { type: "custom_field", id, label: field.name },
      { entity: field.entity },
    ),
  ]);
  return true;
}

// ---- The workspace ------------------------------------------------------------------------------------

export interface WorkspaceSettings {
  name: string;
  defaultRegion: string;
}

/** The workspace's name, or null when it is gone. */
export async function workspaceName(t: TenantDb): Promise<string | null> {
  const [row] = await t.db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return row?.name ?? null;
}

/** The workspace's name and default phone region. */
export async function getWorkspaceSettings(t: TenantDb): Promise<WorkspaceSettings | null> {
  const [row] = await t.db
    .select({ name: tenants.name, defaultRegion: tenants.defaultRegion })
    .from(tenants)
    .where(eq(tenants.id, t.tenantId))
    .limit(1);
  return row ?? null;
}

/**
 * Changes the default phone region and, when given (owners only: the route decides), the name.
 * Returns the changed settings' names (none: nothing was written).
 */
export async function updateWorkspaceSettings(
  t: TenantDb,
  actor: Actor,
  input: { defaultRegion: string; name?: string },
): Promise<string[]> {
  if (!isRegion(input.defaultRegion)) throw new Error("updateWorkspaceSettings: not a region");
  const before = await getWorkspaceSettings(t);
  if (!before) return [];
  const set: Partial<WorkspaceSettings> = {};
  const detail: Record<string, string> = {};
  if (input.defaultRegion !== before.defaultRegion) {
    set.defaultRegion = input.defaultRegion;
    detail.default_region = `${before.defaultRegion} → ${input.defaultRegion}`;
  }
  if (input.name !== undefined && input.name !== before.name) {
    set.name = input.name;
    detail.name = `${before.name} → ${input.name}`;
  }
  const changed = Object.keys(set);
  if (changed.length === 0) return [];
  await t.db.batch([
    t.db
      .update(tenants)
      .set({ ...set, updatedAt: actor.now })
      .where(eq(tenants.id, t.tenantId)),
    auditInsert(t.db, {
      tenantId: t.tenantId,
      actorUserId: actor.userId,
      action: "workspace.updated",
      targetType: "workspace",
      targetId: t.tenantId,
      targetLabel: input.name ?? before.name,
      detail,
      ...actor,
    }),
  ]);
  return changed;
}
