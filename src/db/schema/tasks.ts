/**
 * Tasks and reminders, the bell's notifications, logged calls, meetings and emails, and calendar feeds.
 */
import { sql } from "drizzle-orm";
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { memberships, tenants, users } from "./accounts";
import { notes, SUBJECT_TYPES } from "./contacts";

export const TASK_KINDS = ["todo", "call", "email", "meeting"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_PRIORITIES = ["normal", "high"] as const;
export const TASK_STATUSES = ["open", "done"] as const;
/** Recurrence: every N days, weeks or months, or every week on one weekday (repeat_every is 1-7, Monday 1). */
export const TASK_REPEATS = ["day", "week", "month", "weekday"] as const;
export type TaskRepeat = (typeof TASK_REPEATS)[number];
/** Reminder lead times in minutes before a timed task (0: at the time). */
export const REMINDER_LEADS = [0, 15, 60, 1440] as const;

/** A follow-up: due on a calendar date (and maybe a time), assigned to a member, maybe linked to a record. */
export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /**
     * The title lower-cased in JavaScript, which folds every script (SQLite's lower() folds ASCII only): what the
     * header search matches, as companies' and deals' name_sort. The database's DEFAULT '' only lets migration
     * 0037 add the column; every write of a title writes this too.
     */
    titleSort: text("title_sort").notNull(),
    description: text("description"),
    kind: text("kind", { enum: TASK_KINDS }).notNull().default("todo"),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("normal"),
    /** A calendar date ('YYYY-MM-DD'), never shifted by zones. */
    dueDate: text("due_date").notNull(),
    /** 'HH:MM' wall time in time_zone, or null for a task due on a day. */
    dueTime: text("due_time"),
    /** The zone due_time was given in (the creator's). */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** due_date + due_time in time_zone as UTC ms; null without a time. */
    dueAt: integer("due_at"),
    /** Minutes before due_at to remind (timed tasks), or any value for 08:00 on the day (dated tasks); null: none. */
    remindLead: integer("remind_lead"),
    /** When the reminder is due (UTC ms), null when none is or the task is done: the sweep's key. */
    remindAt: integer("remind_at"),
    /** A member's user id; a removed member's tasks pass to the owner. */
    assigneeId: text("assignee_id").notNull(),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }),
    subjectId: integer("subject_id"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("open"),
    completedAt: integer("completed_at"),
    completedBy: text("completed_by"),
    repeatUnit: text("repeat_unit", { enum: TASK_REPEATS }),
    repeatEvery: integer("repeat_every"),
    /**
     * A monthly series' day of the month (migration 0046): a month without it ends the task on its last day, and the
     * next one comes back to it (31 March, 30 June, 30 September, 31 December). Set from the due date on create, edit
     * and reschedule, copied to each next task. Null for other repeats, and for a monthly task from before 0046 (its
     * next one reads the day from its due date and the one it was made from).
     */
    repeatDay: integer("repeat_day"),
    /** The task this one was created from by completing a recurring task (so undo can remove it). */
    previousId: integer("previous_id"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // My tasks: an assignee's open tasks by due date; everyone's for admins.
    index("tasks_tenant_assignee_idx").on(t.tenantId, t.assigneeId, t.status, t.dueDate, t.id),
    index("tasks_tenant_status_idx").on(t.tenantId, t.status, t.dueDate, t.id),
    // My tasks' Done: the latest completed first, an assignee's or everyone's (migration 0045).
    index("tasks_tenant_assignee_done_idx")
      .on(t.tenantId, t.assigneeId, t.completedAt, t.id)
      .where(sql`status = 'done'`),
    index("tasks_tenant_done_idx").on(t.tenantId, t.completedAt, t.id).where(sql`status = 'done'`),
    // A record's tasks, and its earliest open due date.
    index("tasks_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.status, t.dueDate),
    // The reminder sweep across workspaces: only tasks with a reminder still to send.
    index("tasks_remind_idx").on(t.remindAt).where(sql`remind_at IS NOT NULL`),
    index("tasks_tenant_previous_idx").on(t.tenantId, t.previousId),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("tasks_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/**
 * Reminders sent, one row per task and due instant and lead time: the unique key that makes a
 * reminder go out once however often the sweep runs. Written in the same batch as its mail and bell entry.
 */
export const taskReminders = sqliteTable(
  "task_reminders",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    /** The remind_at it was sent for: rescheduling the task makes a new reminder due. */
    remindAt: integer("remind_at").notNull(),
    userId: text("user_id").notNull(),
    /** The sweep that claimed it, so only that sweep queues its mail. */
    claim: text("claim").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.remindAt] }),
    index("task_reminders_tenant_idx").on(t.tenantId, t.sentAt),
    // Account erasure deletes a user's rows in every workspace (src/services/account/deletion.ts).
    index("task_reminders_user_idx").on(t.userId),
  ],
);

/** The bell: reminders in the app, per member and workspace. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    taskId: integer("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    /** The note that @mentioned the user (migration 0025): the entry goes with the note. */
    noteId: integer("note_id").references(() => notes.id, { onDelete: "cascade" }),
    /** What the bell says ("Call Ada — due 14:00"), written when the reminder is sent. */
    title: text("title").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    index("notifications_tenant_user_idx").on(t.tenantId, t.userId, t.readAt, t.id),
    // A move's pages (src/services/shards/rows.ts): the index above holds read_at, which may be null.
    index("notifications_tenant_id_idx").on(t.tenantId, t.id),
    index("notifications_user_fk_idx").on(t.userId),
    index("notifications_task_fk_idx").on(t.taskId),
    index("notifications_note_fk_idx").on(t.noteId),
  ],
);

export const INTERACTION_KINDS = ["call", "meeting", "email"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** A logged call, meeting or email on a contact, company or deal. */
export const interactions = sqliteTable(
  "interactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    subjectType: text("subject_type", { enum: SUBJECT_TYPES }).notNull(),
    subjectId: integer("subject_id").notNull(),
    kind: text("kind", { enum: INTERACTION_KINDS }).notNull(),
    /** When it happened (UTC ms). */
    occurredAt: integer("occurred_at").notNull(),
    durationMinutes: integer("duration_minutes"),
    /** For calls: connected, no_answer, voicemail, busy, wrong_number; free text otherwise. */
    outcome: text("outcome"),
    notes: text("notes"),
    /** Null once the member has left. */
    loggedBy: text("logged_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("interactions_tenant_subject_idx").on(t.tenantId, t.subjectType, t.subjectId, t.occurredAt),
    // The dashboard's recent activity.
    index("interactions_tenant_idx").on(t.tenantId, t.occurredAt, t.id),
    // The API's keyset order (see contacts_tenant_id_idx).
    index("interactions_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/**
 * A member's private calendar feed of one workspace: the secret in its URL, stored as SHA-256 only. One per
 * membership (migration 0034), so reading a feed reads one workspace's database; it goes with the membership.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastReadAt: integer("last_read_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete("cascade"),
    uniqueIndex("calendar_feeds_secret_unique").on(t.secretHash),
  ],
);
export type Task = typeof tasks.$inferSelect;
export type Interaction = typeof interactions.$inferSelect;
