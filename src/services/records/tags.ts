/** Tenant-defined tags with colours; many per contact or company. */
import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { companyTags, contactTags, dealTags, tags, type SubjectType } from "../../db/schema";
import { cleanName, nameKeyOf, SETTING_LIMITS } from "../../lib/setting-names";
import { guardedValue, isPlanLimitError } from "../billing/limits";

/** The palette. Each name maps to a pair of CSS classes with AA contrast in light and dark. */
export const TAG_COLORS = ["gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink"] as const;
export type TagColor = (typeof TAG_COLORS)[number];

export interface Tag {
  id: number;
  name: string;
  color: string;
}

/** All of a tenant's tags, by name. */
export async function listTags(t: TenantDb): Promise<Tag[]> {
  return tagsQuery(t);
}

/** The query behind listTags, for batches. */
export function tagsQuery(t: TenantDb) {
  return t.db
    .select({ id: tags.id, name: tags.name, color: tags.color })
    .from(tags)
    .where(t.where(tags))
    .orderBy(asc(tags.nameKey));
}

/**
 * Of the given tag ids, those that belong to the tenant. Callers refuse the input when this is
 * shorter than what was asked for (a tag of another tenant, or one that does not exist).
 */
export async function ownedTagIds(t: TenantDb, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await t.db
    .select({ id: tags.id })
    .from(tags)
    .where(t.where(tags, inJsonList(tags.id, ids)));
  return rows.map((r) => r.id);
}

/** SQL: the workspace may have one more tag (SETTING_LIMITS.tags), for a guard inside the write's batch. */
export function tagRoomLeft(t: TenantDb): SQL {
  return sql`(SELECT count(*) FROM tags WHERE tenant_id = ${t.tenantId}) < ${SETTING_LIMITS.tags}`;
}

/** Thrown when a record form's "New tag" would take the workspace past its tags limit; nothing was written. */
export class TagLimitError extends Error {
  readonly field = "new_tag";
  constructor() {
    super(`A workspace has at most ${SETTING_LIMITS.tags.toLocaleString("en-US")} tags: choose an existing one.`);
    this.name = "TagLimitError";
  }
}

export type TagInputResult = { ok: true; tag: Tag } | { ok: false; atLimit: boolean; message: string };

/**
 * Creates a tag while tagging a record; a name that exists (in any case), or a tag past the workspace's limit,
 * is refused. Managing tags (rename, delete) is audited: tag-settings.ts.
 */
export async function createTag(
  t: TenantDb,
  input: { name: string; color: TagColor },
  now: number,
): Promise<TagInputResult> {
  const name = cleanName(input.name);
  try {
    const [tag] = await t
      // At the limit the key is NULL: NOT NULL fails, nothing is written.
      .insert(tags, {
        name,
        nameKey: guardedValue(tagRoomLeft(t), nameKeyOf(name)),
        color: input.color,
        createdAt: now,
      })
      .returning({ id: tags.id, name: tags.name, color: tags.color });
    return { ok: true, tag: tag! };
  } catch (err) {
    if (String(err).includes("UNIQUE constraint failed"))
      return { ok: false, atLimit: false, message: "A tag with this name already exists." };
    if (isPlanLimitError(err, "tags.name_key"))
      return { ok: false, atLimit: true, message: new TagLimitError().message };
    throw err;
  }
}

/**
 * The tag named `name` (any case, and however its accents or invisible characters are written), created if the
 * tenant has none; its colour is picked from the name so the same name always gets the same colour. Throws
 * TagLimitError when the workspace has as many tags as it may.
 */
export async function findOrCreateTag(t: TenantDb, name: string, now: number): Promise<Tag> {
  const key = nameKeyOf(name);
  // Compared by the names' keys, not the stored ones: tags made before keys were normalised match too.
  const named = (list: Tag[]) => list.find((tag) => nameKeyOf(tag.name) === key);
  const existing = named(await listTags(t));
  if (existing) return existing;
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const color: TagColor = TAG_COLORS[hash % TAG_COLORS.length]!;
  const created = await createTag(t, { name, color }, now);
  if (created.ok) return created.tag;
  // Someone created it a moment ago: use theirs.
  const raced = named(await listTags(t));
  if (raced) return raced;
  if (created.atLimit) throw new TagLimitError();
  throw new Error("tag could not be created or found");
}

const TAG_LINKS = {
  contact: { link: contactTags, key: contactTags.contactId },
  company: { link: companyTags, key: companyTags.companyId },
  deal: { link: dealTags, key: dealTags.dealId },
} as const;

/** The tags of some records of a type (group the rows with tagsByRecord), for batches. Column names are unique. */
export function tagsForQuery(t: TenantDb, type: SubjectType, ids: number[]) {
  const { link, key } = TAG_LINKS[type];
  return t.db
    .select({ recordId: key, id: tags.id, name: tags.name, color: tags.color })
    .from(link)
    .innerJoin(tags, eq(tags.id, link.tagId))
    .where(t.where(link, inJsonList(key, ids)))
    .orderBy(asc(tags.nameKey));
}

export function tagsByRecord(rows: Awaited<ReturnType<typeof tagsForQuery>>): Map<number, Tag[]> {
  const out = new Map<number, Tag[]>();
  for (const r of rows) {
    const list = out.get(r.recordId) ?? [];
    list.push({ id: r.id, name: r.name, color: r.color });
    out.set(r.recordId, list);
  }
  return out;
}
