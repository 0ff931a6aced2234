/**
 * Tasks for the reminder tests, inserted with SQL as the task writes would leave them (remind_at from
 * remindAtFor, the shared rule), members in chosen zones, and the cron at a chosen minute.
 */
import { env } from "cloudflare:workers";
import { dueInstant, remindAtFor } from "../../src/services/reminders/schedule";
import { signUp } from "../helpers/http";
import { mailTo, type OutboxRow } from "../helpers/mail";
import { APP_URL, runCron as runPrivacyCron } from "../privacy-data/helpers";

export { APP_URL };
export const MINUTE = 60_000;

/** The Worker's cron at `at`, with APP_URL as in production (reminder mail needs it for its links). */
export async function runCron(at: number, bindings: Partial<Cloudflare.Env> = {}): Promise<void> {
  await runPrivacyCron(at, bindings);
}

/** A signed-up owner of a new workspace, in `zone`, with a confirmed address. */
export async function member(zone: string | null, company = "Follow-ups Ltd") {
  const owner = await signUp({ company_name: company, ...(zone ? { time_zone: zone } : {}) });
  const row = (await env.DB.prepare(
    `SELECT u.id AS userId, m.tenant_id AS tenantId FROM users u JOIN memberships m ON m.user_id = u.id
     WHERE u.email = ?`,
  )
    .bind(owner.email)
    .first<{ userId: string; tenantId: string }>())!;
  await env.DB.prepare("UPDATE users SET email_verified_at = ?, time_zone = ? WHERE id = ?")
    .bind(Date.now(), zone, row.userId)
    .run();
  return { ...owner, ...row };
}

export interface TaskSeed {
  title?: string;
  dueDate: string;
  dueTime?: string | null;
  /** The zone the due time was given in (the creator's). */
  timeZone?: string;
  /** Minutes before; for a task due on a day, 08:00 on the day (under 1440) or the day before (1440). Null: none. */
  remindLead?: number | null;
  status?: "open" | "done";
  subject?: { type: "contact" | "company" | "deal"; id: number } | null;
}

/** Inserts a task assigned to `assigneeId`, its reminder computed for the assignee's zone; returns id and remind_at. */
export async function insertTask(
  tenantId: string,
  assigneeId: string,
  assigneeZone: string,
  seed: TaskSeed,
): Promise<{ id: number; remindAt: number | null }> {
  const task = {
    dueDate: seed.dueDate,
    dueTime: seed.dueTime ?? null,
    timeZone: seed.timeZone ?? assigneeZone,
    remindLead: seed.remindLead === undefined ? 0 : seed.remindLead,
  };
  const remindAt = seed.status === "done" ? null : remindAtFor(task, assigneeZone);
  const now = Date.now();
  const row = (await env.DB.prepare(
    `INSERT INTO tasks (tenant_id, title, due_date, due_time, time_zone, due_at, remind_lead, remind_at, assignee_id,
       subject_type, subject_id, status, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
    .bind(
      tenantId,
      seed.title ?? "Call Ada back",
      task.dueDate,
      task.dueTime,
      task.timeZone,
      dueInstant(task),
      task.remindLead,
      remindAt,
      assigneeId,
      seed.subject?.type ?? null,
      seed.subject?.id ?? null,
      seed.status ?? "open",
      assigneeId,
      now,
      now,
    )
    .first<{ id: number }>())!;
  return { id: row.id, remindAt };
}

/** The reminder mails to an address. */
export async function reminderMails(
  to: string,
): Promise<(OutboxRow & { created_at: number; headers: string | null })[]> {
  return (await mailTo(to)).filter((m) => m.kind === "task_reminder") as (OutboxRow & {
    created_at: number;
    headers: string | null;
  })[];
}

/** The bell entries of a user (every workspace), oldest first. */
export async function bellEntries(userId: string) {
  return (
    await env.DB.prepare("SELECT * FROM notifications WHERE user_id = ? ORDER BY id").bind(userId).all<{
      id: number;
      tenant_id: string;
      task_id: number;
      title: string;
      created_at: number;
      read_at: number | null;
    }>()
  ).results;
}

/** The task's remind_at now. */
export async function remindAtOf(taskId: number): Promise<number | null> {
  return (await env.DB.prepare("SELECT remind_at FROM tasks WHERE id = ?")
    .bind(taskId)
    .first<{ remind_at: number | null }>())!.remind_at;
}
