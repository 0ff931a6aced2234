/**
 * /api/v1/activities: the calls, meetings and emails logged on a contact, company or deal, as the record's "Log
 * activity" form logs them: list (keyset; of one record, or all), get, log, edit (PATCH, partial) and delete,
 * through the interactions service (the record's last activity and last contact, the timeline). Bodies are read
 * by the form's own parser; `occurred_at` is an instant (the form's wall time, read in UTC). A key acts as an
 * admin would, as the member who made it.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { Interaction } from "../../services/interactions/interactions";
import { listApiActivities, toApiActivity } from "../../services/api/activities";
import { parseInteractionForm } from "../../services/interactions/form";
import {
  deleteInteraction,
  editInteraction,
  getInteraction,
  logInteraction,
  type InteractionActor,
} from "../../services/interactions/interactions";
import { parseRecordId } from "../record-helpers";
import { listParams, pageBody, refuseMove } from "./cursor";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import {
  ActivityInputSchema,
  ActivityListSchema,
  ActivitySchema,
  ActivityListQuery,
  type ActivityJson,
} from "./schemas-work";

/** Mounted at /api/v1 (the paths carry /activities). */
export const activitiesApi = apiRouter();

const tags = ["Activities"];
const json = (schema: typeof ActivitySchema | typeof ActivityListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: ActivityInputSchema } } };
const notFound = () => new ApiProblem("not_found", "No such activity.");

function activityId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

const keyActor = (c: Context<AppEnv>): InteractionActor => ({ userId: callerOf(c).createdBy, role: "admin" });

/** A UTC wall time 'YYYY-MM-DDTHH:MM' of an instant: the form's value, read in the zone "UTC". */
const wallTime = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** The form's input from the JSON over the activity as it is (an update), or problems by field. */
function readActivityJson(sent: ActivityJson, current: Interaction | null, problems: FieldProblem[]) {
  const text = (v: string | number | null | undefined, was: string | number | null | undefined) =>
    v === undefined ? String(was ?? "") : v === null ? "" : String(v);
  const form = {
    kind: sent.kind ?? current?.kind ?? "",
    occurred_at: sent.occurred_at
      ? wallTime(Date.parse(sent.occurred_at))
      : current
        ? wallTime(current.occurredAt)
        : "",
    duration_minutes: text(sent.duration_minutes, current?.durationMinutes),
    outcome: text(sent.outcome, current?.outcome),
    notes: text(sent.notes, current?.notes),
  };
  const parsed = parseInteractionForm(form, "UTC", Date.now());
  if (!parsed.ok) for (const [field, message] of Object.entries(parsed.errors)) problems.push({ field, message });
  if (problems.length || !parsed.ok) throw invalidFields(problems);
  return parsed.data;
}

activitiesApi.openapi(
  createRoute({
    method: "get",
    path: "/activities",
    tags,
    summary: "List activities",
    description:
      "Logged calls, meetings and emails, oldest first by id: of one record (subject_type and subject_id), or all.",
    request: { query: ActivityListQuery },
    responses: { 200: json(ActivityListSchema, "A page of activities"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince, subject } = listParams(query);
    const page = await listApiActivities(apiTenant(c), {
      subject,
      updatedSince,
      afterId,
      limit,
    });
    return c.json(pageBody(page), 200);
  },
);

activitiesApi.openapi(
  createRoute({
    method: "post",
    path: "/activities",
    tags,
    summary: "Log an activity",
    description: "A call (with its outcome), meeting or email on a contact, company or deal.",
    request: { body },
    responses: { 201: json(ActivitySchema, "The activity as logged"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const sent = c.req.valid("json");
    const problems: FieldProblem[] = [];
    if (!sent.subject_type)
      problems.push({ field: "subject_type", message: "Say whether it is on a contact, company or deal." });
    if (!sent.subject_id) problems.push({ field: "subject_id", message: "Give the record's id." });
    const input = readActivityJson(sent, null, problems);
    const now = Date.now();
    const id = await logInteraction(t, keyActor(c), sent.subject_type!, sent.subject_id!, input, now);
    if (id === null)
      throw invalidFields([{ field: "subject_id", message: `This workspace has no such ${sent.subject_type}.` }]);
    const row = await getInteraction(t, id);
    if (!row) throw notFound();
    c.header("Location", `/api/v1/activities/${id}`);
    return c.json(toApiActivity(row), 201);
  },
);

activitiesApi.openapi(
  createRoute({
    method: "get",
    path: "/activities/{id}",
    tags,
    summary: "Get an activity",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(ActivitySchema, "The activity"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const row = await getInteraction(apiTenant(c), activityId(c.req.valid("param").id));
    if (!row) throw notFound();
    return c.json(toApiActivity(row), 200);
  },
);

activitiesApi.openapi(
  createRoute({
    method: "patch",
    path: "/activities/{id}",
    tags,
    summary: "Edit an activity",
    description: "Only the fields sent change; null clears one. An activity stays on its record.",
    request: { params: IdParam, body },
    responses: { 200: json(ActivitySchema, "The activity as edited"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = activityId(c.req.valid("param").id);
    const current = await getInteraction(t, id);
    if (!current) throw notFound();
    const sent = c.req.valid("json");
    const problems: FieldProblem[] = [];
    refuseMove(sent, "An activity", problems);
    const input = readActivityJson(sent, current, problems);
    if (!(await editInteraction(t, keyActor(c), id, input, Date.now())).ok) throw notFound();
    const row = await getInteraction(t, id);
    if (!row) throw notFound();
    return c.json(toApiActivity(row), 200);
  },
);

activitiesApi.openapi(
  createRoute({
    method: "delete",
    path: "/activities/{id}",
    tags,
    summary: "Delete an activity",
    description: "Gone for good, as in the app; the record's last contact is what is left.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const result = await deleteInteraction(apiTenant(c), keyActor(c), activityId(c.req.valid("param").id), Date.now());
    if (!result.ok) throw notFound();
    return c.body(null, 204);
  },
);
