/**
 * Notes on contacts, companies and deals, in Markdown (views/lib/markdown.ts renders it, user HTML
 * escaped) with @mentions (mentions.ts). The author, or an admin or owner, may edit or delete a note.
 */
import { desc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
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
import { inJsonList } from "../../db/sql";
import { roleAtLeast } from "../../lib/roles";
import { rawBatchResults } from "../../db/raw-batch";
import { activityInsert } from "./activity";
import { webhookEventInsert } from "../webhooks/events";
import { noteData } from "../webhooks/payloads";
import {
  insertedNoteId,
  type MentionContext,
  mentionStatements,
  newlyMentioned,
  resolveEmailMentions,
} from "./mentions";
import { counterChange } from "./counters";
import { runRawBatch } from "../../db/raw-batch";
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
 * Null when the subject is not the tenant's.
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
    ? await mentionStatements(t, await newlyMentioned(t, body, "", mentions.authorId), mentions, insertedNoteId, now)
    : { statements: [], mailIds: [] };
  const [inserted] = await rawBatchResults(t.db, [
    t
      .insert(notes, { subjectType: type, subjectId, authorId: actor.userId, body, createdAt: now, updatedAt: now })
      .returning({ id: notes.id }),
    // Right after the insert: insertedNoteId reads the id it got.
    ...told.statements,
    counterChange(t, { notes: 1 }),
    touchSubject(t, type, subjectId, now),
    activityInsert(t, { subjectType: type, subjectId, actorId: actor.userId, kind: "note_added", now }),
    webhookEventInsert(
      t,
      "note.created",
      noteData(),
      sql`FROM notes n WHERE n.tenant_id = ${t.tenantId} AND n.id = ${insertedNoteId}`,
      now,
    ),
  ]);
  return { id: (inserted!.results[0] as { id: number }).id, mailIds: told.mailIds };
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
    ? await mentionStatements(t, await newlyMentioned(t, body, note.body, mentions.authorId), mentions, id, now)
    : { statements: [], mailIds: [] };
  await rawBatchResults(t.db, [
    t.update(notes, { body, updatedAt: now }, eq(notes.id, id)),
    ...told.statements,
    activityInsert(t, {
      subjectType: note.subjectType,
      subjectId: note.subjectId,
      actorId: actor.userId,
      kind: "note_edited",
      now,
    }),
  ]);
  return { ok: true, mailIds: told.mailIds };
}

/** Moves a note to the trash. */
export async function deleteNote(
  t: TenantDb,
  actor: NoteActor,
  id: number,
  now: number,
): Promise<NoteChange & { subject?: { type: SubjectType; id: number } }> {
  const note = await getNote(t, id);
  if (!note) return { ok: false, reason: "not_found" };
  if (!canChangeNote(note, actor)) return { ok: false, reason: "forbidden" };
  await runRawBatch(t.db, [
    // The note waits in the trash for its author (or an admin) to restore it.
    ...trashStatements(t, "note", [id], { userId: actor.userId, now }),
    t.delete(notes, eq(notes.id, id)),
    counterChange(t, { notes: -1 }),
    activityInsert(t, {
      subjectType: note.subjectType,
      subjectId: note.subjectId,
      actorId: actor.userId,
      kind: "note_deleted",
      now,
    }),
  ]);
  return { ok: true, subject: { type: note.subjectType, id: note.subjectId } };
}

/**
 * Statements deleting all notes of some records, for the record's deletion batch. The counter is
 * lowered by what the batch itself finds, so two deletions at once cannot lower it twice.
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
