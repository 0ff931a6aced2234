/**
 * What a task form posts, checked: title, description, type, priority, due date and optional time,
 * reminder, assignee, linked record ("contact:12") and recurrence. The assignee and the record are
 * only checked for shape here; write.ts checks that they belong to the workspace.
 */
import { z } from "zod";
import {
  REMINDER_LEADS,
  SUBJECT_TYPES,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_REPEATS,
  type SubjectType,
  type TaskKind,
  type Task,
  type TaskRepeat,
} from "../../db/schema";
import { text } from "../../lib/validation";
import { dateInZone, isCalendarDate, isWallTime, timeInZone } from "../../lib/zoned-time";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5_000;

/** A title as the header search matches it (tasks.title_sort): lower-cased here, as SQLite's lower() folds ASCII only. */
export function titleSortOf(title: string): string {
  return title.toLowerCase();
}

export const KIND_LABELS: Record<TaskKind, string> = {
  todo: "To-do",
  call: "Call",
  email: "Email",
  meeting: "Meeting",
};
export const REPEAT_LABELS: Record<TaskRepeat, string> = {
  day: "days",
  week: "weeks",
  month: "months",
  weekday: "week on",
};

export interface TaskInput {
  title: string;
  description: string | null;
  kind: TaskKind;
  priority: "normal" | "high";
  dueDate: string;
  dueTime: string | null;
  /** Minutes before a timed task; on a dated one 0 ("08:00 on the day") or 1440 ("08:00 the day before"); null: none. */
  remindLead: number | null;
  /** A user id, or null for "me". */
  assigneeId: string | null;
  subject: { type: SubjectType; id: number } | null;
  repeat: { unit: TaskRepeat; every: number } | null;
}

/** "contact:12" → { type, id }; "" → null; anything else → undefined (refused). */
export function parseSubjectRef(raw: unknown): { type: SubjectType; id: number } | null | undefined {
  if (raw === undefined || raw === "") return null;
  if (typeof raw !== "string") return undefined;
  const m = /^(contact|company|deal):([1-9]\d{0,14})$/.exec(raw);
  if (!m) return undefined;
  const type = m[1] as SubjectType;
  return SUBJECT_TYPES.includes(type) ? { type, id: Number(m[2]) } : undefined;
}

const optionalText = (label: string, max: number) =>
  z.preprocess((v) => (v === undefined ? "" : v), text(label, { max })).transform((s) => s || null);

const choice = <T extends string>(values: readonly T[], message: string, fallback: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? fallback : v), z.enum(values as [T, ...T[]], { error: message }));

export const taskSchema = z
  .object({
    title: z.preprocess((v) => (v === undefined ? "" : v), text("Title", { min: 1, max: TITLE_MAX })),
    description: optionalText("Description", DESCRIPTION_MAX),
    kind: choice(TASK_KINDS, "Choose a type from the list.", "todo"),
    priority: choice(TASK_PRIORITIES, "Choose a priority from the list.", "normal"),
    due_date: z
      .string({ error: "Enter a due date." })
      .trim()
      .refine((s) => s !== "", { error: "Enter a due date." })
      .refine(isCalendarDate, { error: "Enter a real date, like 2026-12-24." }),
    due_time: z.preprocess(
      (v) => (v === undefined ? "" : v),
      z
        .string({ error: "Enter a time like 14:30." })
        .trim()
        .refine((s) => s === "" || isWallTime(s), { error: "Enter a time like 14:30." })
        .transform((s) => s || null),
    ),
    remind: z.preprocess(
      (v) => (v === undefined ? "" : v),
      z
        .string({ error: "Choose a reminder from the list." })
        .refine((s) => s === "" || (REMINDER_LEADS as readonly number[]).map(String).includes(s), {
          error: "Choose a reminder from the list.",
        })
        .transform((s) => (s === "" ? null : Number(s))),
    ),
    assignee: z.preprocess(
      (v) => (v === undefined ? "" : v),
      z
        .string({ error: "Choose someone from the list." })
        .max(64, { error: "Choose someone from the list." })
        .transform((s) => s || null),
    ),
    record: z
      .preprocess((v) => v ?? "", z.unknown())
      .transform((v, ctx) => {
        const ref = parseSubjectRef(v);
        if (ref === undefined) {
          ctx.addIssue({ code: "custom", message: "Link the task to a contact, company or deal of this workspace." });
          return z.NEVER;
        }
        return ref;
      }),
    repeat: choice(["", ...TASK_REPEATS] as const, "Choose how it repeats from the list.", ""),
    repeat_every: z.preprocess(
      (v) => (v === undefined || v === "" ? "1" : v),
      z
        .string({ error: "Enter a number from 1 to 365." })
        .regex(/^\d{1,3}$/, { error: "Enter a number from 1 to 365." })
        .transform(Number)
        .refine((n) => n >= 1 && n <= 365, { error: "Enter a number from 1 to 365." }),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.repeat === "weekday" && v.repeat_every > 7)
      ctx.addIssue({ code: "custom", path: ["repeat_every"], message: "Choose a weekday from the list." });
  })
  .transform(
    (v): TaskInput => ({
      title: v.title,
      description: v.description,
      kind: v.kind,
      priority: v.priority,
      dueDate: v.due_date,
      dueTime: v.due_time,
      // A dated task reminds at 08:00: the day before for "1 day before", else on the day (stored as 0, so the
      // form shows back what it does).
      remindLead: v.remind === null ? null : v.due_time ? v.remind : v.remind >= 1440 ? v.remind : 0,
      assigneeId: v.assignee,
      subject: v.record,
      repeat: v.repeat ? { unit: v.repeat, every: v.repeat_every } : null,
    }),
  );

/**
 * A task as the task form's values (editing it, or an API PATCH applying its fields over them). A timed task's
 * day and time are shown in `zone`, the one the form will read them in, when it is not the task's own: the
 * editor sees the time their list shows, and saving changes only what they changed.
 */
export function taskFormValues(task: Task, zone: string = task.timeZone): Record<string, string> {
  const shifted = task.dueTime !== null && task.dueAt !== null && zone !== task.timeZone;
  return {
    title: task.title,
    description: task.description ?? "",
    kind: task.kind,
    priority: task.priority,
    due_date: shifted ? dateInZone(task.dueAt!, zone) : task.dueDate,
    due_time: shifted ? timeInZone(task.dueAt!, zone) : (task.dueTime ?? ""),
    remind: task.remindLead === null ? "" : String(task.remindLead),
    assignee: task.assigneeId,
    record: task.subjectType ? `${task.subjectType}:${task.subjectId}` : "",
    repeat: task.repeatUnit ?? "",
    repeat_every: task.repeatEvery ? String(task.repeatEvery) : "1",
  };
}
