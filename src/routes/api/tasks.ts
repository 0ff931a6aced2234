/**
 * /api/v1/tasks: list (keyset, My tasks' filters), get, create, update (PATCH, partial; status done completes
 * it as the app's checkbox does, with task.completed and a recurring task's next one; open reopens it) and
 * delete (to the trash). Bodies are read through the task form's own schema (src/services/tasks/form.ts). A key
 * acts as an admin would (keys are made by admins, for the workspace), for the member who made it; due times
 * are read in the workspace's zone.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { Task } from "../../db/schema";
import { parseForm } from "../../lib/validation";
import { getApiTask, listApiTasks, workspaceTimeZone } from "../../services/api/tasks";
import { taskFormValues, taskSchema } from "../../services/tasks/form";
import {
  completeTasks,
  createTask,
  deleteTask,
  getTask,
  reopenTask,
  updateTask,
  type TaskActor,
  type TaskWriteResult,
} from "../../services/tasks/write";
import type { TenantDb } from "../../db/scoped";
import { parseRecordId } from "../record-helpers";
import { listParams, pageBody } from "./cursor";
import { apiTenant, callerOf } from "./guard";
import { ApiProblem, invalidFields, type FieldProblem } from "./problem";
import { apiRouter } from "./router";
import { IdParam, problems, NoQuery } from "./schemas";
import { TaskInputSchema, TaskListQuery, TaskListSchema, TaskSchema, type TaskJson } from "./schemas-work";

/** Mounted at /api/v1 (the paths carry /tasks). */
export const tasksApi = apiRouter();

const tags = ["Tasks"];
const json = (schema: typeof TaskSchema | typeof TaskListSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = { required: true, content: { "application/json": { schema: TaskInputSchema } } };
const notFound = () => new ApiProblem("not_found", "No such task.");

/** The form's field names as the JSON spells them. */
const JSON_FIELD: Record<string, string> = {
  assignee: "assignee_id",
  record: "subject_id",
  remind: "remind_lead",
  repeat: "repeat.unit",
  repeat_every: "repeat.every",
};

function taskId(raw: string): number {
  const id = parseRecordId(raw);
  if (id === null) throw notFound();
  return id;
}

async function keyActor(c: Context<AppEnv>, t: TenantDb): Promise<TaskActor> {
  return { userId: callerOf(c).createdBy, role: "admin", timeZone: await workspaceTimeZone(t), now: Date.now() };
}

/** The task form's body: from the task as it is (an update), with what the JSON sends over it. */
function formBody(json: TaskJson, current: Task | null): Record<string, string> {
  const body: Record<string, string> = current ? taskFormValues(current) : {};
  for (const key of ["title", "description", "kind", "priority", "due_date", "due_time"] as const)
    if (json[key] !== undefined) body[key] = json[key] ?? "";
  if (json.remind_lead !== undefined) body.remind = json.remind_lead === null ? "" : String(json.remind_lead);
  if (json.assignee_id !== undefined) body.assignee = json.assignee_id;
  if (json.subject_type !== undefined || json.subject_id !== undefined)
    body.record = json.subject_type && json.subject_id ? `${json.subject_type}:${json.subject_id}` : "";
  if (json.repeat !== undefined) {
    body.repeat = json.repeat?.unit ?? "";
    body.repeat_every = String(json.repeat?.every ?? 1);
  }
  return body;
}

/** The task input, or a validation problem naming every field. */
function readTaskJson(json: TaskJson, current: Task | null) {
  const problems: FieldProblem[] = [];
  if ((json.subject_type === undefined) !== (json.subject_id === undefined) || !json.subject_type !== !json.subject_id)
    problems.push({ field: "subject_id", message: "Send subject_type and subject_id together (both null unlinks)." });
  if (json.status !== undefined && !current)
    problems.push({ field: "status", message: "A new task is open; complete it once it is created." });
  const parsed = parseForm(taskSchema, formBody(json, current));
  const errors = parsed.ok ? {} : parsed.errors;
  for (const [field, message] of Object.entries(errors)) problems.push({ field: JSON_FIELD[field] ?? field, message });
  if (problems.length || !parsed.ok) throw invalidFields(problems);
  return parsed.data;
}

/** A write's refusal as a problem (the key acts as an admin, so only a field or a missing task). */
function refused(result: TaskWriteResult): void {
  if (result.ok) return;
  if ("errors" in result)
    throw invalidFields(
      Object.entries(result.errors).map(([field, message]) => ({ field: JSON_FIELD[field] ?? field, message })),
    );
  throw notFound();
}

tasksApi.openapi(
  createRoute({
    method: "get",
    path: "/tasks",
    tags,
    summary: "List tasks",
    description: "Oldest first, by id; every member's tasks, with My tasks' filters.",
    request: { query: TaskListQuery },
    responses: { 200: json(TaskListSchema, "A page of tasks"), ...problems(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { afterId, limit, updatedSince, subject } = listParams(query);
    const page = await listApiTasks(apiTenant(c), {
      status: query.status ?? null,
      dueBefore: query.due_before ?? null,
      dueAfter: query.due_after ?? null,
      assigneeId: query.assignee ?? null,
      subject,
      updatedSince,
      afterId,
      limit,
    });
    return c.json(pageBody(page), 200);
  },
);

tasksApi.openapi(
  createRoute({
    method: "post",
    path: "/tasks",
    tags,
    summary: "Create a task",
    description: "Needs a title and a due date; assigned to the key's maker unless assignee_id says otherwise.",
    request: { body },
    responses: { 201: json(TaskSchema, "The task as created"), ...problems(400, 401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const input = readTaskJson(c.req.valid("json"), null);
    const result = await createTask(t, await keyActor(c, t), input);
    refused(result);
    const record = result.ok ? await getApiTask(t, result.id) : null;
    if (!record) throw notFound();
    c.header("Location", `/api/v1/tasks/${record.id}`);
    return c.json(record, 201);
  },
);

tasksApi.openapi(
  createRoute({
    method: "get",
    path: "/tasks/{id}",
    tags,
    summary: "Get a task",
    request: { params: IdParam, query: NoQuery },
    responses: { 200: json(TaskSchema, "The task"), ...problems(401, 403, 404, 422) },
  }),
  async (c) => {
    const record = await getApiTask(apiTenant(c), taskId(c.req.valid("param").id));
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

tasksApi.openapi(
  createRoute({
    method: "patch",
    path: "/tasks/{id}",
    tags,
    summary: "Update a task",
    description:
      "Only the fields sent change; null clears one. `status` done completes it (task.completed), open reopens it.",
    request: { params: IdParam, body },
    responses: { 200: json(TaskSchema, "The task as updated"), ...problems(400, 401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const t = apiTenant(c);
    const id = taskId(c.req.valid("param").id);
    const current = await getTask(t, id);
    if (!current) throw notFound();
    const sent = c.req.valid("json");
    const input = readTaskJson(sent, current);
    const actor = await keyActor(c, t);
    // Only a body with more than a status is an edit: completing alone leaves the rest as it is.
    // A day or time sent is in the task's time_zone, as the record shows them; a new task's in the workspace's.
    if (Object.keys(sent).some((k) => k !== "status"))
      refused(await updateTask(t, { ...actor, timeZone: current.timeZone }, id, input));
    if (sent.status === "done" && current.status === "open") await completeTasks(t, actor, [id]);
    if (sent.status === "open" && current.status === "done") refused(await reopenTask(t, actor, id));
    const record = await getApiTask(t, id);
    if (!record) throw notFound();
    return c.json(record, 200);
  },
);

tasksApi.openapi(
  createRoute({
    method: "delete",
    path: "/tasks/{id}",
    tags,
    summary: "Delete a task",
    description: "It goes to the trash for 30 days, as in the app.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const t = apiTenant(c);
    refused(await deleteTask(t, await keyActor(c, t), taskId(c.req.valid("param").id)));
    return c.body(null, 204);
  },
);
