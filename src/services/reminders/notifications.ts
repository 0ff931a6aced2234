/**
 * The bell: a member's reminders and @mentions in the app, per workspace. Only the member's own, only the active
 * workspace's (every query names the user and the TenantDb's workspace); another's is simply not found.
 */
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { notes, notifications, tasks } from "../../db/schema";
import { taskPath } from "./links";

/** Entries per page of /app/notifications. */
export const NOTIFICATIONS_PAGE = 50;
/** The badge counts up to this many ("99+" beyond). */
export const UNREAD_COUNT_CAP = 100;

export interface NotificationEntry {
  id: number;
  title: string;
  createdAt: number;
  read: boolean;
}

/** Unread entries of the user, counted up to UNREAD_COUNT_CAP (an index range, never the whole history). */
export async function countUnread(t: TenantDb, userId: string): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(sql`
    SELECT count(*) AS n FROM (SELECT 1 FROM notifications
      WHERE tenant_id = ${t.tenantId} AND user_id = ${userId} AND read_at IS NULL LIMIT ${UNREAD_COUNT_CAP})`);
  return row?.n ?? 0;
}

/** The user's entries, newest first, a page at a time (`before`: the last id of the previous page). */
export async function listNotifications(
  t: TenantDb,
  userId: string,
  opts: { before?: number } = {},
): Promise<{ entries: NotificationEntry[]; nextBefore: number | null }> {
  const rows = await t.db
    .select({
      id: notifications.id,
      title: notifications.title,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(
      t.where(
        notifications,
        eq(notifications.userId, userId),
        opts.before === undefined ? undefined : lt(notifications.id, opts.before),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE + 1);
  const page = rows.slice(0, NOTIFICATIONS_PAGE);
  return {
    entries: page.map((r) => ({ id: r.id, title: r.title, createdAt: r.createdAt, read: r.readAt !== null })),
    nextBefore: rows.length > NOTIFICATIONS_PAGE ? page.at(-1)!.id : null,
  };
}

/**
 * Marks one of the user's entries read and returns the path it leads to (its task's record or the
 * tasks page; a mention's note); null when the user has no such entry in this workspace.
 */
export async function openNotification(t: TenantDb, userId: string, id: number, now: number): Promise<string | null> {
  const [entry] = await t.db
    .select({
      subjectType: tasks.subjectType,
      subjectId: tasks.subjectId,
      noteId: notes.id,
      noteSubjectType: notes.subjectType,
      noteSubjectId: notes.subjectId,
    })
    .from(notifications)
    .leftJoin(tasks, and(eq(tasks.id, notifications.taskId), eq(tasks.tenantId, notifications.tenantId)))
    .leftJoin(notes, and(eq(notes.id, notifications.noteId), eq(notes.tenantId, notifications.tenantId)))
    .where(t.where(notifications, eq(notifications.userId, userId), eq(notifications.id, id)))
    .limit(1);
  if (!entry) return null;
  await t.update(
    notifications,
    { readAt: now },
    eq(notifications.userId, userId),
    eq(notifications.id, id),
    isNull(notifications.readAt),
  );
  // A mention leads to its note on the record's page.
  if (entry.noteId !== null) return `${taskPath(entry.noteSubjectType, entry.noteSubjectId)}#note-${entry.noteId}`;
  return taskPath(entry.subjectType, entry.subjectId);
}

/** Marks every unread entry of the user in this workspace read. */
export async function markAllRead(t: TenantDb, userId: string, now: number): Promise<void> {
  await t.update(notifications, { readAt: now }, eq(notifications.userId, userId), isNull(notifications.readAt));
}
