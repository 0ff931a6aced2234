/**
 * /api/v1/notes: list (keyset; of one record, or all), get, create on a contact, company or deal, edit the
 * body (PATCH) and delete (to the trash), through the notes service the app uses: the same Markdown, the same
 * @mentions (a member's `@email` becomes their mention and they are told, in the bell and by mail, as when a
 * person writes it), the timeline, note.created. A key acts as an admin would, as the member who made it.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { SubjectType } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { appBaseUrl, deliverSoon } from "../../lib/mail";
import { text } from "../../lib/validation";
import { getApiNote, listApiNotes, workspaceName } from "../../services/api/notes";
import type { MentionContext } from "../../services/records/mentions";
import { addNote, deleteNote, editNote, NOTE_MAX_LENGTH, type NoteActor } from "../../services/records/notes";
import { parseRecordId } from "../record-helpers";
import { listParams, pageBody, refuseMove } from "./cursor";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { NoteInputSchema, NoteListSchema, NoteSchema, NoteListQuery } from "./schemas-work";

/** Mounted at /api/v1 (the paths carry /notes). */
export const notesApi = apiRouter();

const tags = ["Notes"];
const json = (schema: typeof NoteSchema | typeof NoteListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: NoteInputSchema } } };
const notFound = () => new ApiProblem("not_found", "No such note.");
// The note form's own rule for the body.
const bodySchema = text("Note", { min: 1, max: NOTE_MAX_LENGTH });

function noteId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

const keyActor = (c: Context<AppEnv>): NoteActor => ({ userId: callerOf(c).createdBy, role: "admin" });

/** Mentions are told in the name of the key's maker; with no maker there is nobody to tell them from. */
async function mentionsOf(c: Context<AppEnv>, t: TenantDb, subject: { type: SubjectType; id: number }) {
  const authorId = callerOf(c).createdBy;
  if (authorId === null) return undefined;
  const context: MentionContext = {
    authorId,
    workspace: await workspaceName(t),
    subject,
    baseUrl: appBaseUrl(c),
    secret: c.env.UNSUBSCRIBE_KEY,
  };
  return context;
}

/** The body as the note form reads it, or its problem. */
function noteBody(raw: string | undefined, problems: FieldProblem[]): string {
  const parsed = bodySchema.safeParse(raw ?? "");
  if (parsed.success) return parsed.data;
  problems.push({ field: "body", message: parsed.error.issues[0]?.message ?? "Write the note." });
  return "";
}

notesApi.openapi(
  createRoute({
    method: "get",
    path: "/notes",
    tags,
    summary: "List notes",
    description: "Oldest first, by id: of one record (subject_type and subject_id), or every note.",
    request: { query: NoteListQuery },
    responses: { 200: json(NoteListSchema, "A page of notes"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince, subject } = listParams(query);
    const page = await listApiNotes(apiTenant(c), {
      subject,
      updatedSince,
      afterId,
      limit,
    });
    return c.json(pageBody(page), 200);
  },
);

notesApi.openapi(
  createRoute({
    method: "post",
    path: "/notes",
    tags,
    summary: "Add a note",
    description: "On a contact, company or deal (subject_type, subject_id), with a Markdown body.",
    request: { body },
    responses: { 201: json(NoteSchema, "The note as added"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const sent = c.req.valid("json");
    const problems: FieldProblem[] = [];
    if (!sent.subject_type)
      problems.push({ field: "subject_type", message: "Say whether it is on a contact, company or deal." });
    if (!sent.subject_id) problems.push({ field: "subject_id", message: "Give the record's id." });
    const text = noteBody(sent.body, problems);
    if (problems.length || !sent.subject_type || !sent.subject_id) throw invalidFields(problems);
    const subject = { type: sent.subject_type, id: sent.subject_id };
    const added = await addNote(
      t,
      keyActor(c),
      subject.type,
      subject.id,
      text,
      Date.now(),
      await mentionsOf(c, t, subject),
    );
    if (!added) throw invalidFields([{ field: "subject_id", message: `This workspace has no such ${subject.type}.` }]);
    deliverSoon(c, added.mailIds);
    const record = await getApiNote(t, added.id);
    if (!record) throw notFound();
    c.header("Location", `/api/v1/notes/${added.id}`);
    return c.json(record, 201);
  },
);

notesApi.openapi(
  createRoute({
    method: "get",
    path: "/notes/{id}",
    tags,
    summary: "Get a note",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(NoteSchema, "The note"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const record = await getApiNote(apiTenant(c), noteId(c.req.valid("param").id));
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

notesApi.openapi(
  createRoute({
    method: "patch",
    path: "/notes/{id}",
    tags,
    summary: "Edit a note",
    description: "Replaces the body; members it mentions now and did not before are told. A note stays on its record.",
    request: { params: IdParam, body },
    responses: { 200: json(NoteSchema, "The note as edited"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = noteId(c.req.valid("param").id);
    const current = await getApiNote(t, id);
    if (!current) throw notFound();
    const sent = c.req.valid("json");
    const problems: FieldProblem[] = [];
    refuseMove(sent, "A note", problems);
    const text = sent.body === undefined ? current.body : noteBody(sent.body, problems);
    if (problems.length) throw invalidFields(problems);
    const subject = { type: current.subject_type, id: current.subject_id };
    const result = await editNote(t, keyActor(c), id, text, Date.now(), await mentionsOf(c, t, subject));
    if (!result.ok) throw notFound();
    deliverSoon(c, result.mailIds ?? []);
    const record = await getApiNote(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

notesApi.openapi(
  createRoute({
    method: "delete",
    path: "/notes/{id}",
    tags,
    summary: "Delete a note",
    description: "It goes to the trash for 30 days, as in the app.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const result = await deleteNote(apiTenant(c), keyActor(c), noteId(c.req.valid("param").id), Date.now());
    if (!result.ok) throw notFound();
    return c.body(null, 204);
  },
);
