/**
 * Creating, changing, completing, reopening and deleting tasks. Each is one batch: the task, the
 * linked record's next_task_due, the timeline entry and, for a completed recurring task, the next one.
 *
 * Who may do what: members create tasks for anyone in the workspace; a task is changed, completed or
 * deleted by its assignee, its creator, or an admin or owner; it is given to someone else only by its
 * assignee or an admin or owner ("a member cannot reassign others' tasks").
 */
import { eq, sql } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import { webhookEventInsert } from "../webhooks/events";
import { taskData } from "../webhooks/payloads";
import type { TenantDb } from "../../db/scoped";
import { tasks, type Role, type Task } from "../../db/schema";
import { roleAtLeast } from "../../lib/roles";
import type { FieldErrors } from "../../lib/validation";
import { subjectExists } from "../records/notes";
import { wallTimeToUtc } from "../../lib/zoned-time";
import { type TaskInput, titleSortOf } from "./form";
import { timing, timingOf, unlessSent } from "./timing";
import { nextDueDate, repeatDayFor, seriesDay } from "./recurrence";
import { memberZone } from "./assignees";
import { nextTaskDueOfTasks, nextTaskDueUpdate, taskTimelineEntries } from "./statements";
import { trashStatements } from "../trash/snapshot";

export { memberZone, reassignToOwnerStatement } from "./assignees";

/**
 * How long after completing a task its reopening is the Undo, which takes back the next task of a series: the item
 * offers Undo for 10 seconds (views/pages/tasks/TaskItem.tsx), and a slow click or answer gets the rest. A later
 * Reopen leaves the series' open task alone.
 */
export const UNDO_WINDOW_MS = 60_000;

export interface TaskActor {
  /** Null for an API key whose maker's account is gone (src/services/api/): it acts as an admin. */
  userId: string | null;
  role: Role;
  /** The zone a due time typed in the form is read in. */
  timeZone: string;
  now: number;
}

export type TaskWriteResult =
  | { ok: true; id: number }
  | { ok: false; errors: FieldErrors }
  | { ok: false; reason: "not_found" | "forbidden" };

/** Whether the actor may change, complete or delete the task. */
export function canChangeTask(task: Pick<Task, "assigneeId" | "createdBy">, actor: Pick<TaskActor, "userId" | "role">) {
  const own = actor.userId !== null && (task.assigneeId === actor.userId || task.createdBy === actor.userId);
  return own || roleAtLeast(actor.role, "admin");
}

/** Whether the actor may give the task to someone else. */
export function canReassignTask(task: Pick<Task, "assigneeId">, actor: Pick<TaskActor, "userId" | "role">) {
  return (actor.userId !== null && task.assigneeId === actor.userId) || roleAtLeast(actor.role, "admin");
}

/** The tenant's task, or null. */
export async function getTask(t: TenantDb, id: number): Promise<Task | null> {
  const [row] = await t.db
    .select()
    .from(tasks)
    .where(t.where(tasks, eq(tasks.id, id)))
    .limit(1);
  return row ?? null;
}

/**
 * Checks the assignee (a member, admin or owner; `kept`, the one the task has, may stay whatever their role now) and
 * the linked record; returns the assignee's id and zone or the fields' errors.
 */
async function checkRefs(t: TenantDb, actor: TaskActor, input: TaskInput, kept?: string) {
  const errors: FieldErrors = {};
  const assigneeId = input.assigneeId ?? actor.userId;
  const [zone, subjectOk] = await Promise.all([
    assigneeId === null ? null : memberZone(t, assigneeId, assigneeId !== kept),
    input.subject ? subjectExists(t, input.subject.type, input.subject.id) : Promise.resolve(true),
  ]);
  if (zone === null) errors.assignee = "Choose someone from the list.";
  if (!subjectOk) errors.record = "Link the task to a contact, company or deal of this workspace.";
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return { ok: true as const, assigneeId: assigneeId!, zone: zone! };
}

/** Creates a task. */
export async function createTask(t: TenantDb, actor: TaskActor, input: TaskInput): Promise<TaskWriteResult> {
  const refs = await checkRefs(t, actor, input);
  if (!refs.ok) return refs;
  const when = timing(input, actor.timeZone, refs.zone, actor.now);
  const [inserted] = await runRawBatchRows(t.db, [
    t
      .insert(tasks, {
        title: input.title,
        titleSort: titleSortOf(input.title),
        description: input.description,
        kind: input.kind,
        priority: input.priority,
        ...when,
        assigneeId: refs.assigneeId,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        repeatUnit: input.repeat?.unit ?? null,
        repeatEvery: input.repeat?.every ?? null,
        repeatDay: repeatDayFor(input.repeat?.unit ?? null, when.dueDate),
        createdBy: actor.userId,
        createdAt: actor.now,
        updatedAt: actor.now,
      })
      .returning({ id: tasks.id }),
    ...[nextTaskDueUpdate(t, input.subject?.type ?? null, input.subject ? [input.subject.id] : [])].filter(
      (s) => s !== null,
    ),
  ]);
  return { ok: true, id: Number(inserted![0]!.id) };
}

/** Changes a task from its form. */
export async function updateTask(
  t: TenantDb,
  actor: TaskActor,
  id: number,
  input: TaskInput,
): Promise<TaskWriteResult> {
  const before = await getTask(t, id);
  if (!before) return { ok: false, reason: "not_found" };
  if (!canChangeTask(before, actor)) return { ok: false, reason: "forbidden" };
  const assigneeId = input.assigneeId ?? before.assigneeId;
  if (assigneeId !== before.assigneeId && !canReassignTask(before, actor))
    return { ok: false, errors: { assignee: "Only the assignee or an admin can give this task to someone else." } };
  const refs = await checkRefs(t, actor, { ...input, assigneeId }, before.assigneeId);
  if (!refs.ok) return refs;
  // The form shows a timed task's day and time in the editor's zone (taskFormValues): the same instant sent back
  // is no change, and the task keeps the day, time and zone it was given in; a changed one is the editor's.
  const sameTime =
    (input.dueDate === before.dueDate && input.dueTime === before.dueTime) ||
    (input.dueTime !== null &&
      before.dueAt !== null &&
      wallTimeToUtc(input.dueDate, input.dueTime, actor.timeZone) === before.dueAt);
  const { columns, since } = sameTime
    ? timingOf({ ...input, dueDate: before.dueDate, dueTime: before.dueTime }, before.timeZone, refs.zone, actor.now)
    : timingOf(input, actor.timeZone, refs.zone, actor.now);
  // A reminder already sent stays sent unless the timing, lead or assignee changed, nor goes again to the same
  // assignee for a time moved away and back (unlessSent).
  const unchanged = sameTime && input.remindLead === before.remindLead && assigneeId === before.assigneeId;
  const when = {
    ...columns,
    remindAt: unchanged ? before.remindAt : unlessSent(t, id, assigneeId, columns.remindAt, since),
  };
  await runRawBatchRows(t.db, [
    t.update(
      tasks,
      {
        title: input.title,
        titleSort: titleSortOf(input.title),
        description: input.description,
        kind: input.kind,
        priority: input.priority,
        ...when,
        assigneeId,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        repeatUnit: input.repeat?.unit ?? null,
        repeatEvery: input.repeat?.every ?? null,
        repeatDay: repeatDayFor(input.repeat?.unit ?? null, columns.dueDate, {
          unit: before.repeatUnit,
          dueDate: before.dueDate,
          day: before.repeatDay,
        }),
        updatedAt: actor.now,
      },
      eq(tasks.id, id),
    ),
    ...[
      nextTaskDueUpdate(t, before.subjectType, before.subjectId ? [before.subjectId] : []),
      nextTaskDueUpdate(t, input.subject?.type ?? null, input.subject ? [input.subject.id] : []),
    ].filter((s) => s !== null),
  ]);
  return { ok: true, id };
}

/**
 * Completes open tasks the actor may change (others are skipped). A recurring one gets its successor,
 * due on its next date, in the same batch. Returns the ids completed.
 */
export async function completeTasks(t: TenantDb, actor: TaskActor, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const mine = roleAtLeast(actor.role, "admin")
    ? sql`1`
    : sql`(assignee_id = ${actor.userId} OR created_by = ${actor.userId})`;
  const openOnes = await t.db.all<{ id: number }>(sql`SELECT id FROM tasks WHERE tenant_id = ${t.tenantId}
    AND id IN (SELECT value FROM json_each(${list})) AND status = 'open' AND ${mine}`);
  const todo = openOnes.map((r) => r.id);
  if (todo.length === 0) return [];
  const todoList = JSON.stringify(todo);
  // What this batch completed: the rows it stamped (a concurrent completion stamps its own time or user;
  // IS, so a key acting for nobody matches its own NULL).
  const stamped = sql`status = 'done' AND completed_at = ${actor.now} AND completed_by IS ${actor.userId}`;
  const recurring = await t.db.all<Task & Record<string, unknown>>(sql`SELECT id, due_date AS dueDate,
    due_time AS dueTime, time_zone AS timeZone, remind_lead AS remindLead, repeat_unit AS repeatUnit,
    repeat_every AS repeatEvery, repeat_day AS repeatDay, assignee_id AS assigneeId,
    (SELECT p.due_date FROM tasks p WHERE p.tenant_id = tasks.tenant_id AND p.id = tasks.previous_id) AS previousDue
    FROM tasks WHERE tenant_id = ${t.tenantId}
    AND id IN (SELECT value FROM json_each(${todoList})) AND repeat_unit IS NOT NULL`);
  const successors = [];
  // A bulk completion's recurring tasks mostly share an assignee: their zone is read once.
  const zones = new Map<string, string | null>();
  for (const r of recurring) {
    if (!zones.has(r.assigneeId)) zones.set(r.assigneeId, await memberZone(t, r.assigneeId));
    const zone = zones.get(r.assigneeId) ?? r.timeZone;
    const day =
      r.repeatUnit === "month" ? seriesDay(r.dueDate, r.repeatDay, (r.previousDue as string | null) ?? null) : null;
    const dueDate = nextDueDate(r.dueDate, r.repeatUnit!, r.repeatEvery ?? 1, day);
    const w = timing({ dueDate, dueTime: r.dueTime, remindLead: r.remindLead }, r.timeZone, zone, actor.now);
    successors.push(sql`INSERT INTO tasks (tenant_id, title, title_sort, description, kind, priority, due_date,
        due_time, time_zone, due_at, remind_lead, remind_at, assignee_id, subject_type, subject_id, status,
        repeat_unit, repeat_every, repeat_day, previous_id, created_by, created_at, updated_at)
      SELECT tenant_id, title, title_sort, description, kind, priority, ${w.dueDate}, ${w.dueTime}, ${w.timeZone}, ${w.dueAt},
        remind_lead, ${w.remindAt}, assignee_id, subject_type, subject_id, 'open', repeat_unit, repeat_every, ${day}, id,
        ${actor.userId}, ${actor.now}, ${actor.now}
      FROM tasks WHERE tenant_id = ${t.tenantId} AND id = ${r.id} AND ${stamped}`);
  }
  await runRawBatchRows(t.db, [
    sql`UPDATE tasks SET status = 'done', completed_at = ${actor.now}, completed_by = ${actor.userId},
      remind_at = NULL, updated_at = ${actor.now}
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT value FROM json_each(${todoList})) AND status = 'open'`,
    ...successors,
    taskTimelineEntries(t, todo, "task_completed", actor.userId, actor.now, stamped),
    ...nextTaskDueOfTasks(t, todo),
    webhookEventInsert(
      t,
      "task.completed",
      taskData(),
      sql`FROM tasks tk WHERE tk.tenant_id = ${t.tenantId} AND tk.id IN (SELECT value FROM json_each(${todoList}))
        AND tk.status = 'done' AND tk.completed_at = ${actor.now}
        AND tk.completed_by IS ${actor.userId}`,
      actor.now,
    ),
  ]);
  const done = await t.db.all<{ id: number }>(sql`SELECT id FROM tasks WHERE tenant_id = ${t.tenantId}
    AND id IN (SELECT value FROM json_each(${todoList})) AND ${stamped}`);
  return done.map((r) => r.id);
}

/**
 * Reopens a completed task; the reminder comes back if its time is still ahead. Within UNDO_WINDOW_MS of its
 * completion it is the Undo: the next task of its series, if nobody has touched it since, goes again. Later, that
 * one is the series' open task and stays.
 */
export async function reopenTask(t: TenantDb, actor: TaskActor, id: number): Promise<TaskWriteResult> {
  const task = await getTask(t, id);
  if (!task) return { ok: false, reason: "not_found" };
  if (!canChangeTask(task, actor)) return { ok: false, reason: "forbidden" };
  if (task.status === "open") return { ok: true, id };
  const zone = (await memberZone(t, task.assigneeId)) ?? task.timeZone;
  // A time already past is reminded now, unless it went out already (an undo sends nothing twice).
  const { columns: w, since } = timingOf(task, task.timeZone, zone, actor.now);
  const remindAt = unlessSent(t, id, task.assigneeId, w.remindAt, since);
  const reopened = sql`status = 'open' AND updated_at = ${actor.now} AND completed_at IS NULL`;
  const undo = task.completedAt !== null && actor.now - task.completedAt <= UNDO_WINDOW_MS;
  await runRawBatchRows(t.db, [
    sql`UPDATE tasks SET status = 'open', completed_at = NULL, completed_by = NULL, remind_at = ${remindAt},
      updated_at = ${actor.now} WHERE tenant_id = ${t.tenantId} AND id = ${id} AND status = 'done'`,
    ...(undo
      ? [
          sql`DELETE FROM tasks WHERE tenant_id = ${t.tenantId} AND previous_id = ${id} AND status = 'open'
      AND updated_at = created_at AND EXISTS (SELECT 1 FROM tasks p WHERE p.tenant_id = ${t.tenantId} AND p.id = ${id}
      AND p.status = 'open' AND p.updated_at = ${actor.now})`,
        ]
      : []),
    taskTimelineEntries(t, [id], "task_reopened", actor.userId, actor.now, reopened),
    ...nextTaskDueOfTasks(t, [id]),
    webhookEventInsert(
      t,
      "task.reopened",
      taskData(),
      sql`FROM tasks tk WHERE tk.tenant_id = ${t.tenantId} AND tk.id = ${id} AND ${reopened}`,
      actor.now,
    ),
  ]);
  return { ok: true, id };
}

/** Moves a task to the trash. */
export async function deleteTask(t: TenantDb, actor: TaskActor, id: number): Promise<TaskWriteResult> {
  const task = await getTask(t, id);
  if (!task) return { ok: false, reason: "not_found" };
  if (!canChangeTask(task, actor)) return { ok: false, reason: "forbidden" };
  await runRawBatchRows(t.db, [
    ...trashStatements(t, "task", [id], actor),
    t.delete(tasks, eq(tasks.id, id)),
    ...[nextTaskDueUpdate(t, task.subjectType, task.subjectId ? [task.subjectId] : [])].filter((s) => s !== null),
  ]);
  return { ok: true, id };
}
