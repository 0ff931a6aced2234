/**
 * Notes as the API reads them (the export's and the webhook's field names): the Markdown body as typed, the
 * record it is on, its author. One page of the keyset list (of a record, or all) and one note, each one query.
 * Writes go through src/services/records/notes.ts (mentions, the timeline, the counters, the trash).
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { notes, tenants, users, type SubjectType } from "../../db/schema";
import { isoTime } from "../export/serialise";

/** A note as the API answers it. */
export interface ApiNote {
  id: number;
  subject_type: SubjectType;
  subject_id: number;
  body: string;
  author_id: string | null;
  /** The author's email while their account exists. */
  author: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApiNoteQuery {
  subject: { type: SubjectType; id: number } | null;
  updatedSince: number | null;
  afterId: number;
  limit: number;
}

function noteSelect(t: TenantDb) {
  return t.db
    .select({
      id: notes.id,
      subjectType: notes.subjectType,
      subjectId: notes.subjectId,
      body: notes.body,
      authorId: notes.authorId,
      authorEmail: sql<string | null>`${users.email}`.as("author_email"),
      createdAt: notes.createdAt,
      updatedAt: notes.updatedAt,
    })
    .from(notes)
    .leftJoin(users, eq(users.id, notes.authorId))
    .$dynamic();
}
type NoteRow = Awaited<ReturnType<typeof noteSelect>>[number];

function toApiNote(r: NoteRow): ApiNote {
  return {
    id: r.id,
    subject_type: r.subjectType,
    subject_id: r.subjectId,
    body: r.body,
    author_id: r.authorId,
    author: r.authorEmail,
    created_at: isoTime(r.createdAt),
    updated_at: isoTime(r.updatedAt),
  };
}

/** One note of the workspace, or null (another workspace's id is not found). */
export async function getApiNote(t: TenantDb, id: number): Promise<ApiNote | null> {
  const [row] = await noteSelect(t)
    .where(t.where(notes, eq(notes.id, id)))
    .limit(1);
  return row ? toApiNote(row) : null;
}

/** One page of notes by id, of one record or all: `limit` notes and the id to continue after, or null. */
export async function listApiNotes(
  t: TenantDb,
  q: ApiNoteQuery,
): Promise<{ records: ApiNote[]; nextAfterId: number | null }> {
  const conditions: SQL[] = [gt(notes.id, q.afterId)];
  if (q.subject) conditions.push(eq(notes.subjectType, q.subject.type), eq(notes.subjectId, q.subject.id));
  if (q.updatedSince !== null) conditions.push(gte(notes.updatedAt, q.updatedSince));
  const rows = await noteSelect(t)
    .where(t.where(notes, ...conditions))
    .orderBy(asc(notes.id))
    .limit(q.limit + 1);
  const records = rows.slice(0, q.limit).map(toApiNote);
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}

/** The workspace's name, which the mail to a mentioned member names. */
export async function workspaceName(t: TenantDb): Promise<string> {
  const [row] = await t.db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t.tenantId)).limit(1);
  return row?.name ?? "";
}
