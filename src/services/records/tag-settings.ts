/**
 * What admins do with the workspace's tags at /app/settings/tags: create, rename or recolour, and
 * delete; the API's /tags writes use the same functions and form schema. Each change and its audit entry go in
 * one batch.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TenantDb } from "../../db/scoped";
import { auditLog, companyTags, contactTags, tags } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { cleanName, nameKeyOf, SETTING_LIMITS } from "../../lib/setting-names";
import { tagName } from "../../lib/validation";
import { refusingTakenName } from "../../lib/unique-name";
import { type AuditAction, settingAudit } from "../audit/audit";
import { guardedValue, isPlanLimitError } from "../billing/limits";
import { tagRemovalChanges } from "./removal-events";
import { TAG_COLORS, type Tag, type TagColor, tagRoomLeft } from "./tags";

export type TagChange = { ok: true; tag: Tag } | { ok: false; field: "name"; message: string };

const NAME_TAKEN = "A tag with this name already exists.";
/** Why a new tag is refused when the workspace has as many as it may. */
export const TAG_LIMIT_REACHED = `This workspace has ${SETTING_LIMITS.tags.toLocaleString("en-US")} tags, the most it can have. Delete one you no longer use first.`;

/** The tag form (Settings → Tags and the API): a name and one of the colours. */
export const tagInputSchema = z.object({
  // Cleaned before the checks: a name of invisible characters only is no name.
  name: z.preprocess((v) => (typeof v === "string" ? cleanName(v) : (v ?? "")), tagName("Name", { min: 1, max: 50 })),
  color: z.enum(TAG_COLORS, { error: "Choose one of the colours." }),
});

/** A tag of the tenant, or null. */
export async function getTag(t: TenantDb, id: number): Promise<Tag | null> {
  const [row] = await t.db
    .select({ id: tags.id, name: tags.name, color: tags.color })
    .from(tags)
    .where(t.where(tags, eq(tags.id, id)))
    .limit(1);
  return row ?? null;
}

/** Creates a tag; a name that exists in any case, or one past the workspace's limit, is refused. */
export async function createTagAudited(
  t: TenantDb,
  actor: KeyActor,
  input: { name: string; color: TagColor },
): Promise<TagChange> {
  const name = cleanName(input.name);
  try {
    return await refusingTakenName<TagChange>(NAME_TAKEN, async () => {
      const [rows] = await t.db.batch([
        t
          .insert(tags, {
            name,
            // NULL at the limit: NOT NULL fails and the batch writes nothing (counted inside it, so it holds).
            nameKey: guardedValue(tagRoomLeft(t), nameKeyOf(name)),
            color: input.color,
            createdAt: actor.now,
          })
          .returning({ id: tags.id, name: tags.name, color: tags.color }),
        settingAudit(t, actor, "tag.created", { label: name }, { color: input.color }),
      ]);
      return { ok: true, tag: rows[0]! };
    });
  } catch (err) {
    if (isPlanLimitError(err, "tags.name_key")) return { ok: false, field: "name", message: TAG_LIMIT_REACHED };
    throw err;
  }
}

/** Renames or recolours a tag. Null when it is not the tenant's (or was deleted a moment ago). */
export async function updateTagAudited(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  input: { name: string; color: TagColor },
): Promise<TagChange | null> {
  const before = await getTag(t, id);
  if (!before) return null;
  const name = cleanName(input.name);
  if (before.name === name && before.color === input.color) return { ok: true, tag: before };
  return refusingTakenName<TagChange | null>(NAME_TAKEN, async () => {
    const [rows] = await t.db.batch([
      t
        .update(tags, { name, nameKey: nameKeyOf(name), color: input.color }, eq(tags.id, id))
        .returning({ id: tags.id }),
      settingAuditWhen(
        t,
        actor,
        "tag.updated",
        { id, label: name },
        { from_name: before.name, from_color: before.color, color: input.color },
        sql`EXISTS (SELECT 1 FROM tags WHERE tenant_id = ${t.tenantId} AND id = ${id})`,
      ),
    ]);
    if (rows.length === 0) return null;
    return { ok: true, tag: { id, name, color: input.color } };
  });
}

/**
 * settingAudit written only when `changed` holds, checked after the change in the same batch: a change that
 * found no row (deleted meanwhile) or whose guard refused it leaves no entry. Columns in table order.
 */
export function settingAuditWhen(
  t: TenantDb,
  actor: KeyActor,
  action: AuditAction,
  target: { id: number; label: string },
  detail: Record<string, string | number | boolean | null>,
  changed: SQL,
) {
  return t.db.insert(auditLog).select(
    sql`SELECT NULL, ${t.tenantId}, ${actor.userId}, ${action}, ${action.split(".")[0]}, ${String(target.id)},
      ${target.label.slice(0, 300)}, ${JSON.stringify(detail)}, ${actor.ip}, ${actor.userAgent?.slice(0, 512) ?? null},
      ${actor.now} WHERE ${changed}`,
  );
}

/**
 * Deletes a tag and takes it off every contact, company and deal (deal_tags by cascade), each of them getting its
 * *.updated webhook event in the same batch. False when it is not the tenant's.
 */
export async function deleteTagAudited(t: TenantDb, actor: KeyActor, id: number): Promise<boolean> {
  const tag = await getTag(t, id);
  if (!tag) return false;
  await t.db.batch([
    // First: the new times and the events read which records carry the tag.
    ...tagRemovalChanges(t, id, actor.now),
    t.delete(contactTags, eq(contactTags.tagId, id)),
    t.delete(companyTags, eq(companyTags.tagId, id)),
    t.delete(tags, eq(tags.id, id)),
    settingAudit(t, actor, "tag.deleted", { id, label: tag.name }),
  ]);
  return true;
}
