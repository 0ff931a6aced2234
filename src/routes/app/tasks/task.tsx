/**
 * One task: the new and edit forms, completing (with Undo for 10 seconds through htmx), reopening and
 * deleting. Another workspace's task is a 404; a task someone else owns is a 403 unless the actor is an
 * admin (services/tasks/write.ts decides). Without JavaScript every form posts and redirects back.
 */
import { trackFeature } from "../../../middleware/usage";
import { Hono, type Context } from "hono";
import { withUndo } from "../shared/trash-undo";
import type { AppEnv } from "../../../env";
import { errorResponse } from "../../../lib/errors";
import { inReaderZone, render, wantsFragment } from "../../../lib/render";
import { parseForm, safeNextPath } from "../../../lib/validation";
import { recordRefusal, requireRole } from "../../../middleware/session";
import { parseSubjectRef, taskFormValues, taskSchema } from "../../../services/tasks/form";
import { taskRowsById } from "../../../services/tasks/list";
import {
  canChangeTask,
  completeTasks,
  createTask,
  deleteTask,
  getTask,
  reopenTask,
  updateTask,
  type TaskWriteResult,
} from "../../../services/tasks/write";
import { recordPath } from "../../../../views/lib/records";
import { TaskFormPage } from "../../../../views/pages/tasks/TaskForm";
import { TaskItem } from "../../../../views/pages/tasks/TaskItem";
import { authOf, tenantOf } from "../../context";
import { echo, parseRecordId } from "../../record-helpers";
import { recordTasksPanel } from "./list";
import { readerToday, taskActorOf, taskFormProps, taskReader } from "./shared";

export const taskRoutes = new Hono<AppEnv>();

async function refuse(c: Context<AppEnv>, id: number) {
  await recordRefusal(c, authOf(c), { type: "task", id: String(id) }, "assignee, creator or admin");
  return errorResponse(c, 403);
}

/** A refused write: the 404 or 403 it deserves, or null when it was the fields. */
async function refusal(c: Context<AppEnv>, id: number, r: TaskWriteResult) {
  if (r.ok || "errors" in r) return null;
  return r.reason === "forbidden" ? refuse(c, id) : errorResponse(c, 404);
}

taskRoutes.get("/new", requireRole("member"), async (c) => {
  const record = c.req.query("record") ?? "";
  const props = await taskFormProps(c, {
    action: "/app/tasks",
    values: { due_date: readerToday(c), record: parseSubjectRef(record) ? record : "", remind: "" },
    submit: "Add task",
  });
  return render(c, "New task", <TaskFormPage {...props} heading="New task" cancelHref="/app/tasks" />);
});

taskRoutes.post("/", requireRole("member"), async (c) => {
  const body = await c.req.parseBody();
  const values = echo(body);
  const fromPanel = wantsFragment(c) && c.req.header("HX-Target") === "record-tasks";
  const parsed = parseForm(taskSchema, body);
  const result = parsed.ok ? await createTask(tenantOf(c), taskActorOf(c), parsed.data) : null;
  const errors = !parsed.ok ? parsed.errors : result && !result.ok && "errors" in result ? result.errors : null;
  if (errors) {
    if (fromPanel) {
      const panel = await recordTasksPanel(c, values.record ?? "", errors, values);
      if (panel !== null) return c.html(panel, 422);
    }
    const props = await taskFormProps(c, { action: "/app/tasks", values, errors, submit: "Add task" });
    return render(c, "New task", <TaskFormPage {...props} heading="New task" cancelHref="/app/tasks" />, 422);
  }
  const record = parsed.ok ? parsed.data.subject : null;
  if (fromPanel && record) {
    const panel = await recordTasksPanel(c, `${record.type}:${record.id}`, undefined, undefined, true);
    if (panel !== null) return c.html(panel);
  }
  return c.redirect(record ? `${recordPath(record)}#record-tasks` : "/app/tasks?notice=created", 303);
});

/** The tenant's task from the URL, or null. */
async function taskFromUrl(c: Context<AppEnv>) {
  const id = parseRecordId(c.req.param("id"));
  return id ? getTask(tenantOf(c), id) : null;
}

taskRoutes.get("/:id/edit", requireRole("viewer"), async (c) => {
  const task = await taskFromUrl(c);
  if (!task) return errorResponse(c, 404);
  const canChange = canChangeTask(task, taskActorOf(c)) && authOf(c).role !== "viewer";
  if (!canChange) {
    // Someone who may not change it reads it: the item as lists show it, and its description.
    const [row] = await taskRowsById(tenantOf(c), [task.id]);
    return render(
      c,
      task.title,
      <section class="stack narrow">
        <h1>{task.title}</h1>
        <ul class="task-list" hx-target="closest li" hx-swap="outerHTML">
          <TaskItem task={row!} next="/app/tasks" actor={null} />
        </ul>
        {task.description ? <p class="pre-line">{task.description}</p> : null}
        <a href="/app/tasks">All tasks</a>
      </section>,
    );
  }
  const props = await taskFormProps(c, {
    action: `/app/tasks/${task.id}`,
    values: taskFormValues(task, taskActorOf(c).timeZone),
    submit: "Save",
  });
  return render(
    c,
    task.title,
    <>
      <TaskFormPage {...props} heading="Edit task" cancelHref="/app/tasks" />
      <form method="post" action={`/app/tasks/${task.id}/delete`} class="inline-form">
        <button type="submit" class="secondary danger">
          Move to trash
        </button>
      </form>
    </>,
  );
});

taskRoutes.post("/:id", requireRole("member"), async (c) => {
  const task = await taskFromUrl(c);
  if (!task) return errorResponse(c, 404);
  const body = await c.req.parseBody();
  const parsed = parseForm(taskSchema, body);
  const result = parsed.ok ? await updateTask(tenantOf(c), taskActorOf(c), task.id, parsed.data) : null;
  const refused = result ? await refusal(c, task.id, result) : null;
  if (refused) return refused;
  const errors = !parsed.ok ? parsed.errors : result && !result.ok && "errors" in result ? result.errors : null;
  if (errors) {
    const props = await taskFormProps(c, {
      action: `/app/tasks/${task.id}`,
      values: echo(body),
      errors,
      submit: "Save",
    });
    return render(c, "Edit task", <TaskFormPage {...props} heading="Edit task" cancelHref="/app/tasks" />, 422);
  }
  const record = parsed.ok ? parsed.data.subject : null;
  return c.redirect(record ? `${recordPath(record)}#record-tasks` : "/app/tasks", 303);
});

/** The task's item as lists show it (htmx), or a redirect back for a form post. */
async function answerWithItem(c: Context<AppEnv>, id: number, undo: boolean) {
  if (!wantsFragment(c)) {
    const body = await c.req.parseBody();
    return c.redirect(safeNextPath(body.next, "/app/tasks"), 303);
  }
  const [row] = await taskRowsById(tenantOf(c), [id]);
  if (!row) return c.html("");
  const next = c.req.header("HX-Current-URL") ? new URL(c.req.header("HX-Current-URL")!).pathname : "/app/tasks";
  const back = safeNextPath(next, "/app/tasks");
  return c.html(
    inReaderZone(c, <TaskItem task={row} undo={undo} next={back} selectable={back.startsWith("/app/tasks")} />),
  );
}

taskRoutes.post("/:id/complete", requireRole("member"), async (c) => {
  const task = await taskFromUrl(c);
  if (!task) return errorResponse(c, 404);
  if (!canChangeTask(task, taskActorOf(c))) return refuse(c, task.id);
  await completeTasks(tenantOf(c), taskActorOf(c), [task.id]);
  trackFeature(c, "task.completed");
  return answerWithItem(c, task.id, true);
});

taskRoutes.post("/:id/reopen", requireRole("member"), async (c) => {
  const task = await taskFromUrl(c);
  if (!task) return errorResponse(c, 404);
  const r = await reopenTask(tenantOf(c), taskActorOf(c), task.id);
  const refused = await refusal(c, task.id, r);
  if (refused) return refused;
  return answerWithItem(c, task.id, false);
});

/** The settled item (what the Undo gives way to after 10 seconds). */
taskRoutes.get("/:id/item", requireRole("viewer"), async (c) => {
  const id = parseRecordId(c.req.param("id"));
  const [row] = id ? await taskRowsById(tenantOf(c), [id]) : [];
  if (!row) return errorResponse(c, 404);
  return c.html(inReaderZone(c, <TaskItem task={row} next="/app/tasks" selectable actor={taskReader(c)} />));
});

taskRoutes.post("/:id/delete", requireRole("member"), async (c) => {
  const task = await taskFromUrl(c);
  if (!task) return errorResponse(c, 404);
  const r = await deleteTask(tenantOf(c), taskActorOf(c), task.id);
  const refused = await refusal(c, task.id, r);
  if (refused) return refused;
  if (task.subjectType && task.subjectId) {
    const record = recordPath({ type: task.subjectType, id: task.subjectId });
    return c.redirect(`${await withUndo(c, record, "task", task.id)}#record-tasks`, 303);
  }
  return c.redirect(await withUndo(c, "/app/tasks?notice=deleted", "task", task.id), 303);
});
