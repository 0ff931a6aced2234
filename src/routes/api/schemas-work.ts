/**
 * Tasks', notes' and activities' request and response shapes (zod: they validate requests and describe them in
 * the OpenAPI document). A record they hang off is `subject_type` (contact, company, deal) and `subject_id`.
 */
import { z } from "@hono/zod-openapi";
import {
  INTERACTION_KINDS,
  REMINDER_LEADS,
  SUBJECT_TYPES,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_REPEATS,
} from "../../db/schema";
import { DESCRIPTION_MAX, TITLE_MAX } from "../../services/tasks/form";
import { ContactListQuery, ContactListSchema, updatedSince } from "./schemas";

const time = z.string().openapi({ format: "date-time", example: "2026-11-26T10:15:00.000Z" });
const next_cursor = ContactListSchema.shape.next_cursor;

export const TaskSchema = z
  .object({
    id: z.number().int().openapi({ example: 88 }),
    title: z.string().openapi({ example: "Call Ada about the renewal" }),
    description: z.string().nullable(),
    kind: z.enum(TASK_KINDS),
    priority: z.enum(TASK_PRIORITIES),
    due_date: z.string().openapi({ format: "date", example: "2026-12-24" }),
    due_time: z.string().nullable().openapi({ example: "14:30" }),
    time_zone: z.string().openapi({ description: "The zone due_time is read in.", example: "Europe/London" }),
    due_at: time.nullable(),
    remind_lead: z.number().int().nullable().openapi({
      description:
        "Minutes before due_at; on a task without a time, 0 is 08:00 on the day and 1440 08:00 the day before.",
    }),
    assignee_id: z.string(),
    subject_type: z.enum(SUBJECT_TYPES).nullable(),
    subject_id: z.number().int().nullable(),
    status: z.enum(["open", "done"]),
    repeat: z.object({ unit: z.enum(TASK_REPEATS), every: z.number().int() }).nullable(),
    completed_at: time.nullable(),
    completed_by: z.string().nullable(),
    created_at: time,
    updated_at: time,
  })
  .openapi("Task");

/**
 * A task's writable fields: `title` and `due_date` are needed on create; on update absent is unchanged and
 * null clears. `status` done completes it (a recurring task's next one is made) and open reopens it.
 */
export const TaskInputSchema = z
  .object({
    title: z.string().max(TITLE_MAX).optional().openapi({ example: "Call Ada about the renewal" }),
    description: z.string().max(DESCRIPTION_MAX).nullable().optional(),
    kind: z.enum(TASK_KINDS).optional(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    due_date: z.string().max(10).optional().openapi({ example: "2026-12-24" }),
    due_time: z.string().max(5).nullable().optional().openapi({ description: "HH:MM in the workspace's zone." }),
    remind_lead: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ description: `One of ${REMINDER_LEADS.join(", ")} minutes before; null: none.` }),
    assignee_id: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "A member's user id; the key's maker by default." }),
    subject_type: z.enum(SUBJECT_TYPES).nullable().optional(),
    subject_id: z.number().int().positive().nullable().optional(),
    repeat: z
      .object({ unit: z.enum(TASK_REPEATS), every: z.number().int().min(1).max(365) })
      .strict()
      .nullable()
      .optional(),
    status: z.enum(["open", "done"]).optional().openapi({ description: "Only on update." }),
  })
  .strict()
  .openapi("TaskInput");
export type TaskJson = z.infer<typeof TaskInputSchema>;

const date = (description: string) => z.iso.date().optional().openapi({ description, example: "2026-12-31" });

export const TaskListQuery = z
  .object({
    limit: ContactListQuery.shape.limit,
    cursor: ContactListQuery.shape.cursor,
    status: z.enum(["open", "done"]).optional(),
    due_before: date("Due on or before this date."),
    due_after: date("Due on or after this date."),
    assignee: z.string().max(64).optional().openapi({ description: "Assigned to this member (user id)." }),
    subject_type: z.enum(SUBJECT_TYPES).optional().openapi({ description: "Linked to a record of this type…" }),
    subject_id: z.coerce.number().int().positive().optional().openapi({ description: "…with this id." }),
    updated_since: updatedSince("tasks"),
  })
  .strict();

export const TaskListSchema = z.object({ data: z.array(TaskSchema), next_cursor }).openapi("TaskList");

export const NoteSchema = z
  .object({
    id: z.number().int().openapi({ example: 501 }),
    subject_type: z.enum(SUBJECT_TYPES),
    subject_id: z.number().int().openapi({ example: 123 }),
    body: z.string().openapi({ description: "Markdown, as typed.", example: "Called @[Grace](user:u_1): **yes**." }),
    author_id: z.string().nullable(),
    author: z.string().nullable().openapi({ description: "The author's email while their account exists." }),
    created_at: time,
    updated_at: time,
  })
  .openapi("Note");

export const NoteInputSchema = z
  .object({
    subject_type: z.enum(SUBJECT_TYPES).optional().openapi({ description: "On create: the record it is on." }),
    subject_id: z.number().int().positive().optional().openapi({ example: 123 }),
    body: z
      .string()
      .optional()
      .openapi({ description: "Markdown; @mentions as in the app.", example: "Met at the fair." }),
  })
  .strict()
  .openapi("NoteInput");
export type NoteJson = z.infer<typeof NoteInputSchema>;

/** The query of a list of `records` ("notes", "activities") that can be one record's: subject_type and subject_id, both or neither. */
const subjectListQuery = (records: string) =>
  z
    .object({
      limit: ContactListQuery.shape.limit,
      cursor: ContactListQuery.shape.cursor,
      subject_type: TaskListQuery.shape.subject_type,
      subject_id: TaskListQuery.shape.subject_id,
      updated_since: updatedSince(records),
    })
    .strict();
export const NoteListQuery = subjectListQuery("notes");
export const ActivityListQuery = subjectListQuery("activities");

export const NoteListSchema = z.object({ data: z.array(NoteSchema), next_cursor }).openapi("NoteList");

export const ActivitySchema = z
  .object({
    id: z.number().int().openapi({ example: 77 }),
    subject_type: z.enum(SUBJECT_TYPES),
    subject_id: z.number().int().openapi({ example: 123 }),
    kind: z.enum(INTERACTION_KINDS),
    occurred_at: time,
    duration_minutes: z.number().int().nullable().openapi({ example: 15 }),
    outcome: z.string().nullable().openapi({ example: "connected" }),
    notes: z.string().nullable(),
    logged_by: z.string().nullable().openapi({ description: "The member who logged it; null once they have left." }),
    created_at: time,
    updated_at: time,
  })
  .openapi("Activity");

/**
 * A logged call, meeting or email. On create the record (subject_type, subject_id) and kind are needed; on
 * update absent is unchanged and null clears. A call's outcome is one of connected, no_answer, voicemail, busy,
 * wrong_number; a meeting's or email's is free words.
 */
export const ActivityInputSchema = z
  .object({
    subject_type: z.enum(SUBJECT_TYPES).optional().openapi({ description: "On create: the record it is on." }),
    subject_id: z.number().int().positive().optional().openapi({ example: 123 }),
    kind: z.enum(INTERACTION_KINDS).optional().openapi({ example: "call" }),
    occurred_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When it happened (to the minute); now by default.", example: "2026-12-05T14:30:00Z" }),
    duration_minutes: z.number().int().min(0).nullable().optional().openapi({ example: 15 }),
    outcome: z.string().nullable().optional().openapi({ example: "connected" }),
    notes: z.string().nullable().optional(),
  })
  .strict()
  .openapi("ActivityInput");
export type ActivityJson = z.infer<typeof ActivityInputSchema>;

export const ActivityListSchema = z.object({ data: z.array(ActivitySchema), next_cursor }).openapi("ActivityList");
