/**
 * What admins do with the workspace's tags at /app/settings/tags: create, rename or recolour, and
 * delete; the API's /tags writes use the same functions and form schema. Each change and its audit entry go in
 * one batch.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TenantDb } from "../../db/scoped";
import { companyTags, contactTags, tags } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { tagName } from "../../lib/validation";
import { refusingTakenName } from "../../lib/unique-name";
import { settingAudit } from "../audit/audit";
import { tagRemovalChanges } from "./removal-events";
import { TAG_COLORS, type Tag, type TagColor } from "./tags";

export type TagChange = { ok: true; tag: Tag } | { ok: false; field: "name"; message: string };

const NAME_TAKEN = "A tag with this name already exists.";

/** The tag form (Settings → Tags and the API): a name and one of the colours. */
export const tagInputSchema = z.object({
  name: z.preprocess((v) => v ?? "", tagName("Name", { min: 1, max: 50 })),
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

/** Creates a tag; a name that exists in any case is refused. */
export async function createTagAudited(
  t: TenantDb,
  actor: KeyActor,
  input: { name: string; color: TagColor },
): Promise<TagChange> {
  return refusingTakenName<TagChange>(NAME_TAKEN, async () => {
    const [rows] = await t.db.batch([
      t
        .insert(tags, { name: input.name, nameKey: input.name.toLowerCase(), color: input.color, createdAt: actor.now })
        .returning({ id: tags.id, name: tags.name, color: tags.color }),
      settingAudit(t, actor, "tag.created", { label: input.name }, { color: input.color }),
    ]);
    return { ok: true, tag: rows[0]! };
  });
}

/** Renames or recolours a tag. Null when it is not the tenant's. */
export async function updateTagAudited(
  t: TenantDb,
  actor: KeyActor,
  id: number,
  input: { name: string; color: TagColor },
): Promise<TagChange | null> {
  const before = await getTag(t, id);
  if (!before) return null;
  if (before.name === input.name && before.color === input.color) return { ok: true, tag: before };
  return refusingTakenName<TagChange>(NAME_TAKEN, async () => {
    await t.db.batch([
      t.update(tags, { name: input.name, nameKey: input.name.toLowerCase(), color: input.color }, eq(tags.id, id)),
      settingAudit(
        t,
        actor,
        "tag.updated",
        { id, label: input.name },
        { from_name: before.name, from_color: before.color, color: input.color },
      ),
    ]);
    return { ok: true, tag: { id, ...input } };
  });
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
