/**
 * Notes on contacts, companies and deals. A note's own URLs are mounted at /app/notes (edit, delete, the
 * members an @mention may name); adding
 * one is `POST /app/contacts/:id/notes` or `/app/companies/:id/notes`, whose routers use addNoteRoute.
 * Members add notes; the author, or an admin or owner, edits and deletes them (services/records/notes.ts
 * decides). Another tenant's note or record is a 404. With htmx the answer is the refreshed Timeline;
 * without, a redirect back to the record.
 */
import { trackFeature } from "../../middleware/usage";
import { trashItemIdOf } from "../../services/trash/items";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { SubjectType } from "../../db/schema";
import type { AppEnv } from "../../env";
import { errorResponse } from "../../lib/errors";
import { render, wantsFragment } from "../../lib/render";
import { parseForm, text } from "../../lib/validation";
import { recordRefusal, requireRole } from "../../middleware/session";
import {
  addNote,
  canChangeNote,
  deleteNote,
  editNote,
  getNote,
  NOTE_MAX_LENGTH,
  subjectExists,
} from "../../services/records/notes";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { type MentionContext, mentionableMembers } from "../../services/records/mentions";
import { authOf, tenantOf } from "../context";
import {
  entryDeleteRoutes,
  savedEntryAnswer,
  timelineFragment,
  type EntryRemoval,
  type Subject,
} from "./shared/timeline-entry";
import { parseRecordId } from "../record-helpers";
import { NoteAddForm, NoteEditForm, NotePage } from "../../../views/partials/timeline/NoteEditForm";
import { subjectPath, timelineId } from "../../../views/partials/timeline/Timeline";

/** Mounted at /app/notes. */
export const notesRoutes = new Hono<AppEnv>();

const noteSchema = z.object({
  body: z.preprocess((v) => (v === undefined ? "" : v), text("Note", { min: 1, max: NOTE_MAX_LENGTH })),
});

/** The signed-in user as a note's actor: the note rule needs their role. */
function noteActorOf(c: Context<AppEnv>) {
  const auth = authOf(c);
  return { userId: auth.user.id, role: auth.role };
}

/** What telling mentioned members needs from the request: who writes, where, and the mail's origin and key. */
function mentionContext(c: Context<AppEnv>, subject: Subject): MentionContext {
  const auth = authOf(c);
  return {
    authorId: auth.user.id,
    workspace: auth.tenant.name,
    subject,
    baseUrl: appBaseUrl(c),
    secret: c.env.UNSUBSCRIBE_KEY,
  };
}

/** A refusal by the note rule (not the route's role): 403, written to the audit trail like requireRole's. */
async function refuse(c: Context<AppEnv>, noteId: number) {
  await recordRefusal(c, authOf(c), { type: "note", id: String(noteId) }, "author or admin");
  return errorResponse(c, 403);
}

/** `POST /app/<contacts|companies>/:id/notes`: adds a note to the record (members). */
export function addNoteRoute(type: SubjectType) {
  return async (c: Context<AppEnv>) => {
    const t = tenantOf(c);
    const id = parseRecordId(c.req.param("id"));
    if (id === null || !(await subjectExists(t, type, id))) return errorResponse(c, 404);
    const subject = { type, id };
    const body = await c.req.parseBody();
    const parsed = parseForm(noteSchema, body);
    if (!parsed.ok) {
      const value = typeof body.body === "string" ? body.body : "";
      if (wantsFragment(c))
        return timelineFragment(c, subject, { noteForm: { value, error: parsed.errors.body } }, 422);
      return render(
        c,
        "Add a note",
        <NotePage title="Add a note" subject={subject}>
          <NoteAddForm subject={subject} value={value} error={parsed.errors.body} />
        </NotePage>,
        422,
      );
    }
    const added = await addNote(t, noteActorOf(c), type, id, parsed.data.body, Date.now(), mentionContext(c, subject));
    if (added === null) return errorResponse(c, 404); // deleted in the meantime
    deliverSoon(c, added.mailIds);
    trackFeature(c, "note.added");
    if (wantsFragment(c)) return timelineFragment(c, subject);
    return c.redirect(`${subjectPath(subject)}#${timelineId(subject)}`, 303);
  };
}

/** The tenant's note from the URL, with the viewer's right to change it. */
async function noteFromUrl(c: Context<AppEnv>) {
  const id = parseRecordId(c.req.param("id"));
  const note = id ? await getNote(tenantOf(c), id) : null;
  if (!note) return null;
  return {
    note,
    subject: { type: note.subjectType, id: note.subjectId } as Subject,
    allowed: canChangeNote(note, noteActorOf(c)),
  };
}

// The note box's @mention suggestions (assets-src/mentions.js): the workspace's members, fetched once per page.
notesRoutes.get("/members", requireRole("member"), async (c) => {
  c.header("Cache-Control", "private, no-store");
  return c.json(await mentionableMembers(tenantOf(c)));
});

notesRoutes.get("/:id/edit", requireRole("member"), async (c) => {
  const found = await noteFromUrl(c);
  if (!found) return errorResponse(c, 404);
  if (!found.allowed) return refuse(c, found.note.id);
  const inline = wantsFragment(c);
  const form = <NoteEditForm note={found.note} subject={found.subject} value={found.note.body} inline={inline} />;
  if (inline) return c.html(form);
  return render(
    c,
    "Edit note",
    <NotePage title="Edit note" subject={found.subject}>
      {form}
    </NotePage>,
  );
});

notesRoutes.post("/:id", requireRole("member"), async (c) => {
  const found = await noteFromUrl(c);
  if (!found) return errorResponse(c, 404);
  if (!found.allowed) return refuse(c, found.note.id);
  const body = await c.req.parseBody();
  const parsed = parseForm(noteSchema, body);
  const inline = wantsFragment(c);
  if (!parsed.ok) {
    const form = (
      <NoteEditForm
        note={found.note}
        subject={found.subject}
        value={typeof body.body === "string" ? body.body : ""}
        error={parsed.errors.body}
        inline={inline}
      />
    );
    if (inline) return c.html(form, 422);
    return render(
      c,
      "Edit note",
      <NotePage title="Edit note" subject={found.subject}>
        {form}
      </NotePage>,
      422,
    );
  }
  const result = await editNote(
    tenantOf(c),
    noteActorOf(c),
    found.note.id,
    parsed.data.body,
    Date.now(),
    mentionContext(c, found.subject),
  );
  if (!result.ok) return result.reason === "forbidden" ? refuse(c, found.note.id) : errorResponse(c, 404);
  deliverSoon(c, result.mailIds ?? []);
  return savedEntryAnswer(c, found.subject, `note-${found.note.id}`, inline);
});

async function removeNote(c: Context<AppEnv>): Promise<EntryRemoval> {
  const found = await noteFromUrl(c);
  if (!found) return { response: errorResponse(c, 404) };
  if (!found.allowed) return { response: await refuse(c, found.note.id) };
  const result = await deleteNote(tenantOf(c), noteActorOf(c), found.note.id, Date.now());
  if (!result.ok)
    return { response: result.reason === "forbidden" ? await refuse(c, found.note.id) : errorResponse(c, 404) };
  return { subject: found.subject, trashed: await trashItemIdOf(tenantOf(c), "note", found.note.id) };
}

entryDeleteRoutes(notesRoutes, removeNote);
