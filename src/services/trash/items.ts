/**
 * The trash as the page shows it: a page of items, who may restore which, deleting one for good (admins
 * and owners), and the statements that erase what a privacy erasure's person left in the trash.
 */
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import { trashItems, users, type Role, type SubjectType, type TrashItem } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import type { Actor } from "../../lib/actor";
import { roleAtLeast } from "../../lib/roles";
import { rawBatchResults } from "../../db/raw-batch";
import { insertWhere } from "../../db/sql";
import { auditRow } from "../audit/audit";

export const TRASH_PAGE_SIZE = 50;

/** Who looks at the trash. */
export interface TrashViewer {
  userId: string;
  role: Role;
}

export interface TrashListItem {
  id: number;
  kind: TrashItem["kind"];
  recordId: number;
  title: string;
  deletedBy: string | null;
  deletedAt: number;
  purgeAfter: number;
  canRestore: boolean;
}

/** A trashed item of the tenant, or null. */
export async function getTrashItem(t: TenantDb, id: number): Promise<TrashItem | null> {
  const [row] = await t.db
    .select()
    .from(trashItems)
    .where(t.where(trashItems, eq(trashItems.id, id)))
    .limit(1);
  return row ?? null;
}

/** A contact of the tenant waiting in the trash, by its own id and the name it had, or null (for its erasure). */
export async function trashedContact(t: TenantDb, recordId: number): Promise<{ id: number; name: string } | null> {
  const [row] = await t.db
    .select({ id: trashItems.recordId, name: trashItems.title })
    .from(trashItems)
    .where(t.where(trashItems, eq(trashItems.kind, "contact"), eq(trashItems.recordId, recordId)))
    .limit(1);
  return row ?? null;
}

/** Admins and owners restore anything; others what they deleted, own, wrote or are assigned. */
export function canRestore(item: Pick<TrashItem, "deletedBy" | "ownerId">, viewer: TrashViewer): boolean {
  if (roleAtLeast(viewer.role, "admin")) return true;
  if (!roleAtLeast(viewer.role, "member")) return false;
  return item.deletedBy === viewer.userId || item.ownerId === viewer.userId;
}

/** A page of the trash, newest first; `before` is the last id of the previous page. */
export async function listTrash(
  t: TenantDb,
  viewer: TrashViewer,
  before: number | null,
): Promise<{ items: TrashListItem[]; next: number | null }> {
  const rows = await t.db
    .select({
      id: trashItems.id,
      kind: trashItems.kind,
      recordId: trashItems.recordId,
      title: trashItems.title,
      ownerId: trashItems.ownerId,
      deletedById: trashItems.deletedBy,
      deletedBy: sql<
        string | null
      >`coalesce(${users.name}, ${users.email}, (SELECT 'Support · ' || s.name || ' (CustomerTrackr)' FROM staff s WHERE s.id = ${trashItems.deletedBy}))`,
      deletedAt: trashItems.deletedAt,
      purgeAfter: trashItems.purgeAfter,
    })
    .from(trashItems)
    .leftJoin(users, eq(users.id, trashItems.deletedBy))
    .where(t.where(trashItems, before === null ? undefined : lt(trashItems.id, before)))
    .orderBy(desc(trashItems.id))
    .limit(TRASH_PAGE_SIZE + 1);
  const items = rows.slice(0, TRASH_PAGE_SIZE).map((r) => ({
    id: r.id,
    kind: r.kind,
    recordId: r.recordId,
    title: r.title,
    deletedBy: r.deletedBy,
    deletedAt: r.deletedAt,
    purgeAfter: r.purgeAfter,
    canRestore: canRestore({ deletedBy: r.deletedById, ownerId: r.ownerId }, viewer),
  }));
  return { items, next: rows.length > TRASH_PAGE_SIZE ? items.at(-1)!.id : null };
}

/** SQL: the trash item is still there (inside the batch: a purge or restore at the same moment took it away). */
export function stillTrashed(t: TenantDb, itemId: number): SQL {
  return sql`EXISTS (SELECT 1 FROM trash_items WHERE tenant_id = ${t.tenantId} AND id = ${itemId})`;
}

/** Deletes a trashed item for good (admins and owners: the route checks). False when it is not the tenant's. */
export async function purgeTrashItem(t: TenantDb, actor: Actor, id: number): Promise<boolean> {
  const item = await getTrashItem(t, id);
  if (!item) return false;
  const audit = auditRow({
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action: "record.purged",
    targetType: item.kind,
    targetId: String(item.recordId),
    // Named by id only, as erasure does: the record's name must not outlive it in the audit trail.
    targetLabel: `${item.kind[0]!.toUpperCase()}${item.kind.slice(1)} #${item.recordId}`,
    ...actor,
  });
  const results = await rawBatchResults(t.db, [
    // Only while the item is still there: a purge or restore a moment ago leaves this one nothing to record.
    insertWhere(audit, stillTrashed(t, id)),
    sql`DELETE FROM trash_items WHERE tenant_id = ${t.tenantId} AND id = ${id} RETURNING id`,
  ]);
  return (results.at(-1)?.results ?? []).length > 0;
}

/**
 * Statements erasing records of `type` from the trash, with the notes and tasks about them that were
 * trashed on their own, for an erasure's batch: an erased person must not wait in the trash.
 */
export function eraseFromTrashStatements(t: TenantDb, type: SubjectType, ids: number[]): SQL[] {
  const list = JSON.stringify(ids);
  return [
    t
      .delete(
        trashItems,
        eq(trashItems.kind, type),
        sql`${trashItems.recordId} IN (SELECT value FROM json_each(${list}))`,
      )
      .getSQL(),
    t
      .delete(
        trashItems,
        and(eq(trashItems.subjectType, type), sql`${trashItems.subjectId} IN (SELECT value FROM json_each(${list}))`),
      )
      .getSQL(),
  ];
}

/** Of `ids`, the records of `type` the tenant has in the trash. */
export async function trashedRecordIds(t: TenantDb, type: SubjectType, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await t.db.all<{ id: number }>(
    sql`SELECT record_id AS id FROM trash_items WHERE tenant_id = ${t.tenantId} AND kind = ${type}
      AND record_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  );
  return rows.map((r) => r.id);
}

/** The trash item of a record just moved there, for its Undo; null when it is not in the trash. */
export async function trashItemIdOf(t: TenantDb, kind: TrashItem["kind"], recordId: number): Promise<number | null> {
  const [row] = await t.db
    .select({ id: trashItems.id })
    .from(trashItems)
    .where(t.where(trashItems, eq(trashItems.kind, kind), eq(trashItems.recordId, recordId)))
    .limit(1);
  return row?.id ?? null;
}
