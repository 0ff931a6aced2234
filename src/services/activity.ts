/** The timeline of a contact or company: creation, field changes and notes, newest first. */
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { activities, users, type SubjectType } from "../db/schema";

export type ActivityKind = "created" | "updated" | "note_added" | "note_edited" | "note_deleted" | "tagged";

/** An activity insert for a batch. `changes` is { field: [before, after] } for "updated". */
export function activityInsert(
  db: Database,
  e: { tenantId: string; subjectType: SubjectType; subjectId: number; actorId: string | null; kind: ActivityKind; changes?: Record<string, [unknown, unknown]>; now: number },
) {
  return db.insert(activities).values({
    tenantId: e.tenantId,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    actorId: e.actorId,
    kind: e.kind,
    detail: e.changes ? JSON.stringify(e.changes) : null,
    createdAt: e.now,
  });
}

/** Which of the watched fields differ between two versions of a record: { field: [before, after] }. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>, fields: (keyof T & string)[]): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    if (f in after && (before[f] ?? null) !== (after[f] ?? null)) changes[f] = [before[f] ?? null, after[f] ?? null];
  }
  return changes;
}

export interface ActivityEntry {
  id: number;
  kind: string;
  actor: string;
  changes: Record<string, [unknown, unknown]> | null;
  createdAt: number;
}

/** The newest entries of one record's timeline, with each actor's email or "former member". */
export async function listActivity(db: Database, tenantId: string, subjectType: SubjectType, subjectId: number, opts: { before?: number; limit?: number } = {}): Promise<ActivityEntry[]> {
  return activityFromRows(await activityQuery(db, tenantId, subjectType, subjectId, opts));
}

/** The query behind listActivity (map its rows with activityFromRows), for batches. Column names are unique. */
export function activityQuery(db: Database, tenantId: string, subjectType: SubjectType, subjectId: number, opts: { before?: number; limit?: number } = {}) {
  return db
    .select({ id: activities.id, kind: activities.kind, actorEmail: users.email, actorId: activities.actorId, detail: activities.detail, createdAt: activities.createdAt })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.actorId))
    .where(
      and(
        eq(activities.tenantId, tenantId),
        eq(activities.subjectType, subjectType),
        eq(activities.subjectId, subjectId),
        opts.before ? lt(activities.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(activities.id))
    .limit(opts.limit ?? 50);
}

export function activityFromRows(rows: Awaited<ReturnType<typeof activityQuery>>): ActivityEntry[] {
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actorEmail ?? "former member",
    changes: r.detail ? (JSON.parse(r.detail) as Record<string, [unknown, unknown]>) : null,
    createdAt: r.createdAt,
  }));
}
