/** Tenant-defined tags with colours; many per contact or company. */
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inJsonList } from "../../db/sql";
import { companyTags, contactTags, tags, type SubjectType } from "../../db/schema";

/** The palette. Each name maps to a pair of CSS classes with AA contrast in light and dark. */
export const TAG_COLORS = ["gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink"] as const;
export type TagColor = (typeof TAG_COLORS)[number];

export interface Tag {
  id: number;
  name: string;
  color: string;
}

/** All of a tenant's tags, by name. */
export async function listTags(db: Database, tenantId: string): Promise<Tag[]> {
  return tagsQuery(db, tenantId);
}

/** The query behind listTags, for batches. */
export function tagsQuery(db: Database, tenantId: string) {
  return db
    .select({ id: tags.id, name: tags.name, color: tags.color })
    .from(tags)
    .where(eq(tags.tenantId, tenantId))
    .orderBy(asc(tags.nameKey));
}

/**
 * Of the given tag ids, those that belong to the tenant. Callers refuse the input when this is
 * shorter than what was asked for (a tag of another tenant, or one that does not exist).
 */
export async function ownedTagIds(db: Database, tenantId: string, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: tags.id })
    .from(tags)
    .where(and(eq(tags.tenantId, tenantId), inJsonList(tags.id, ids)));
  return rows.map((r) => r.id);
}

export type TagInputResult = { ok: true; tag: Tag } | { ok: false; message: string };

/** Creates a tag while tagging a record; a name that exists (in any case) is refused. Managing tags (rename, delete) is audited: services/workspace-settings.ts. */
export async function createTag(
  db: Database,
  tenantId: string,
  input: { name: string; color: TagColor },
  now: number,
): Promise<TagInputResult> {
  try {
    const [tag] = await db
      .insert(tags)
      .values({ tenantId, name: input.name, nameKey: input.name.toLowerCase(), color: input.color, createdAt: now })
      .returning({ id: tags.id, name: tags.name, color: tags.color });
    return { ok: true, tag: tag! };
  } catch (err) {
    if (String(err).includes("UNIQUE constraint failed"))
      return { ok: false, message: "A tag with this name already exists." };
    throw err;
  }
}

/** The tags of some records of a type (group the rows with tagsByRecord), for batches. Column names are unique. */
export function tagsForQuery(db: Database, tenantId: string, type: SubjectType, ids: number[]) {
  const link = type === "contact" ? contactTags : companyTags;
  const key = type === "contact" ? contactTags.contactId : companyTags.companyId;
  return db
    .select({ recordId: key, id: tags.id, name: tags.name, color: tags.color })
    .from(link)
    .innerJoin(tags, eq(tags.id, link.tagId))
    .where(and(eq(link.tenantId, tenantId), inJsonList(key, ids)))
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
