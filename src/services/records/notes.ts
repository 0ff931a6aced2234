/**
 * Notes on contacts, companies and deals, in Markdown (views/lib/markdown.ts renders it, user HTML
 * escaped) with @mentions (mentions.ts). The author, or an admin or owner, may edit or delete a note.
 */
import { desc, eq, type SQL, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  activities,
  companies,
  contacts,
  deals,
  notes,
  staff,
  tenantCounters,
  users,
  type Role,
  type SubjectType,
} from "../../db/schema";
import { inJsonList, insertWhere } from "../../db/sql";
import { roleAtLeast } from "../../lib/roles";
import { rawBatchResults } from "../../db/raw-batch";
import { webhookEventInsert } from "../webhooks/events";
import { noteData, noteDeletedData } from "../webhooks/payloads";
import {
  insertedNoteId,
  type MentionContext,
  mentionStatements,
  newlyMentioned,
  resolveEmailMentions,
} from "./mentions";
import { trashStatements } from "../trash/snapshot";
import type { TimelineNote } from "../../../views/partials/timeline/Timeline";

export const NOTE_MAX_LENGTH = 20_000;

/** A note as the timeline shows it: the view declares its shape. */
export type Note = TimelineNote;

/** Who changes a note: the author, or an admin or owner, may. */
export interface NoteActor {
  /** Null for an API key whose maker's account is gone (src/services/api/). */
  userId: string | null;
  role: Role;
}

const SUBJECT_TABLES = { contact: contacts, company: companies, deal: deals } as const;

/** Whether the subject (contact, company or deal) exists in the tenant. */
export async function subjectExists(t: TenantDb, type: SubjectType, id: number): Promise<boolean> {
  const table = SUBJECT_TABLES[type];
  const [row] = await t.db
    .select({ id: table.id })
    .from(table)
    .where(t.where(table, eq(table.id, id)))
    .limit(1);
  return Boolean(row);
}

/** In SQL, whether the subject exists in the tenant when the statement runs: a batch's guard. */
export function subjectExistsSql(t: TenantDb, type: SubjectType, id: number): SQL {
  const table = SUBJECT_TABLES[type];
  return sql`EXISTS (SELECT 1 FROM ${table} WHERE ${t.where(table, eq(table.id, id))})`;
}

/** In SQL, whether the tenant's note `id` exists when the statement runs. */
const noteExistsSql = (t: TenantDb, id: number) =>
  sql`EXISTS (SELECT 1 FROM ${notes} WHERE ${t.where(notes, eq(notes.id, id))})`;

/** A timeline entry on a note's record, written only if `condition` holds inside the batch. */
function noteActivity(
  t: TenantDb,
  subject: { type: SubjectType; id: number },
  actorId: string | null,
  kind: string,
  now: number,
  condition: SQL,
) {
  const values = { subjectType: subject.type, subjectId: subject.id, actorId, kind, createdAt: now };
  return insertWhere({ table: activities, values: { tenantId: t.tenantId, ...values } }, condition);
}

/** The notes counter moved by what `delta` counts inside the batch (an EXISTS is 0 or 1), as dealCounter. */
const notesCounterBy = (t: TenantDb, delta: SQL) =>
  sql`INSERT INTO tenant_counters (tenant_id, notes) VALUES (${t.tenantId}, max(0, ${delta}))
    ON CONFLICT (tenant_id) DO UPDATE SET notes = max(0, notes + ${delta})`;

/** A record's notes, newest first, with authors' emails (or "former member"). */
export async function listNotes(t: TenantDb, type: SubjectType, subjectId: number, limit = 100): Promise<Note[]> {
  return notesFromRows(await notesQuery(t, type, subjectId, limit));
}

/** The query behind listNotes (map its rows with notesFromRows), for batches. Column names are unique. */
export function notesQuery(t: TenantDb, type: SubjectType, subjectId: number, limit = 100) {
  return t.db
    .select({
      id: notes.id,
      body: notes.body,
      authorId: notes.authorId,
      // A staff member's change in the support view (their id is no user's) is shown as support's.
      authorEmail: sql<
        string | null
      >`coalesce(${users.email}, 'Support · ' || ${staff.name} || ' (CustomerTrackr)')`.as("author_email"),
      createdAt: notes.createdAt,
      updatedAt: notes.updatedAt,
    })
    .from(notes)
    .leftJoin(users, eq(users.id, notes.authorId))
    .leftJoin(staff, eq(staff.id, notes.authorId))
    .where(t.where(notes, eq(notes.subjectType, type), eq(notes.subjectId, subjectId)))
    .orderBy(desc(notes.id))
    .limit(limit);
}

export function notesFromRows(rows: Awaited<ReturnType<typeof notesQuery>>): Note[] {
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    authorId: r.authorId,
    author: r.authorEmail ?? "former member",
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

function touchSubject(t: TenantDb, type: SubjectType, id: number, now: number) {
  if (type === "deal") return t.update(deals, { lastActivityAt: now }, eq(deals.id, id));
  return type === "contact"
    ? t.update(contacts, { lastActivityAt: now }, eq(contacts.id, id))
    : t.update(companies, { lastActivityAt: now }, eq(companies.id, id));
}

/**
 * Adds a note (body already validated), telling the members it mentions (`mentions`) in the same batch.
 * Null when the subject is not the tenant's, or is deleted before the batch runs.
 */
export async function addNote(
  t: TenantDb,
  actor: NoteActor,
  type: SubjectType,
  subjectId: number,
  body: string,
  now: number,
  mentions?: MentionContext,
): Promise<{ id: number; mailIds: string[] } | null> {
  if (!(await subjectExists(t, type, subjectId))) return null;
  if (mentions) body = await resolveEmailMentions(t, body);
  const told = mentions
    ? await mentionStatements(
        t,
        await newlyMentioned(t, body, "", mentions.authorId),
        mentions,
        insertedNoteId,
        now,
        subjectExistsSql(t, type, subjectId),
      )
    : { statements: [], mailIds: [] };
  // The record may be deleted since the check: then every statement writes nothing, and no orphan is left.
  const subjectLives = subjectExistsSql(t, type, subjectId);
  const values = { subjectType: type, subjectId, authorId: actor.userId, body, createdAt: now, updatedAt: now };
  const [inserted] = await rawBatchResults(t.db, [
    sql`${insertWhere({ table: notes, values: { tenantId: t.tenantId, ...values } }, subjectLives)} RETURNING id`,
    // Right after the insert: insertedNoteId reads the id it got.
    ...told.statements,
    notesCounterBy(t, subjectLives),
    touchSubject(t, type, subjectId, now),
    noteActivity(t, { type, id: subjectId }, actor.userId, "note_added", now, subjectLives),
    webhookEventInsert(
      t,
      "note.created",
      noteData(),
      sql`FROM notes n WHERE n.tenant_id = ${t.tenantId} AND n.id = ${insertedNoteId} AND ${subjectLives}`,
      now,
    ),
  ]);
  const row = inserted!.results[0] as { id: number } | undefined;
  return row ? { id: row.id, mailIds: told.mailIds } : null;
}

/** A note of the tenant, or null. */
export async function getNote(t: TenantDb, id: number) {
  const [row] = await t.db
    .select()
    .from(notes)
    .where(t.where(notes, eq(notes.id, id)))
    .limit(1);
  return row ?? null;
}

/** The author may change their note; so may admins and owners. */
export function canChangeNote(note: { authorId: string | null }, actor: NoteActor): boolean {
  return (actor.userId !== null && note.authorId === actor.userId) || roleAtLeast(actor.role, "admin");
}

export type NoteChange = { ok: true; mailIds?: string[] } | { ok: false; reason: "not_found" | "forbidden" };

/** Edits a note's body; only members it mentions now and did not before are told (`mentions`). */
export async function editNote(
  t: TenantDb,
  actor: NoteActor,
  id: number,
  body: string,
  now: number,
  mentions?: MentionContext,
): Promise<NoteChange> {
  const note = await getNote(t, id);
  if (!note) return { ok: false, reason: "not_found" };
  if (!canChangeNote(note, actor)) return { ok: false, reason: "forbidden" };
  if (mentions) body = await resolveEmailMentions(t, body);
  const told = mentions
    ? await mentionStatements(
        t,
        await newlyMentioned(t, body, note.body, mentions.authorId),
        mentions,
        id,
        now,
        noteExistsSql(t, id),
      )
    : { statements: [], mailIds: [] };
  // Deleted since the check: nothing is written (a mention of a gone note would break its foreign key).
  const noteLives = noteExistsSql(t, id);
  const [updated] = await rawBatchResults(t.db, [
    t.update(notes, { body, updatedAt: now }, eq(notes.id, id)).returning({ id: notes.id }),
    ...told.statements,
    noteActivity(t, { type: note.subjectType, id: note.subjectId }, actor.userId, "note_edited", now, noteLives),
  ]);
  if (updated!.results.length === 0) return { ok: false, reason: "not_found" };
  return { ok: true, mailIds: told.mailIds };
}

/** Moves a note to the trash, with its note.deleted event. */
export async function deleteNote(
  t: TenantDb,
  actor: NoteActor,
  id: number,
  now: number,
): Promise<NoteChange & { subject?: { type: SubjectType; id: number } }> {
  const note = await getNote(t, id);
  if (!note) return { ok: false, reason: "not_found" };
  if (!canChangeNote(note, actor)) return { ok: false, reason: "forbidden" };
  // Another delete may have run since the check: what follows counts only a note this batch deletes.
  const noteLives = noteExistsSql(t, id);
  const results = await rawBatchResults(t.db, [
    // The note waits in the trash for its author (or an admin) to restore it.
    ...trashStatements(t, "note", [id], { userId: actor.userId, now }),
    notesCounterBy(t, sql`-${noteLives}`),
    noteActivity(t, { type: note.subjectType, id: note.subjectId }, actor.userId, "note_deleted", now, noteLives),
    webhookEventInsert(
      t,
      "note.deleted",
      noteDeletedData(),
      sql`FROM notes n WHERE n.tenant_id = ${t.tenantId} AND n.id = ${id}`,
      now,
    ),
    t.delete(notes, eq(notes.id, id)).returning({ id: notes.id }),
  ]);
  if (results.at(-1)!.results.length === 0) return { ok: false, reason: "not_found" };
  return { ok: true, subject: { type: note.subjectType, id: note.subjectId } };
}

/**
 * Statements deleting all notes of some records, for the record's deletion batch. The counter is
 * lowered by what the batch itself finds, so two deletions at once cannot lower it twice. No note.deleted
 * per note: the record's own *.deleted tells a receiver its notes are gone.
 */
export function deleteNotesOfStatements(t: TenantDb, type: SubjectType, ids: number[]) {
  const ofRecords = t.where(notes, eq(notes.subjectType, type), inJsonList(notes.subjectId, ids));
  return [
    t.update(tenantCounters, {
      notes: sql`max(0, ${tenantCounters.notes} - (SELECT count(*) FROM ${notes} WHERE ${ofRecords}))`,
    }),
    t.delete(notes, eq(notes.subjectType, type), inJsonList(notes.subjectId, ids)),
  ];
}
