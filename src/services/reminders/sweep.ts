/**
 * The reminder sweep, one step of the every-minute cron at the scheduled time `now`: every open task
 * whose remind_at has come, in an open workspace, reminds its assignee once, by a bell entry
 * (notifications) and, unless they turned it off, a mail (the "reminders" list, one-click unsubscribe).
 *
 * Exactly once per (task, remind_at): each chunk is one batch that claims its reminders in
 * task_reminders (primary key task_id + remind_at, ON CONFLICT DO NOTHING, with this run's random
 * claim), writes the bell entries and outbox rows only where this run's claim holds, and clears the
 * tasks' remind_at where it is still the value swept. Two overlapping sweeps or a retried run claim
 * nothing twice; a task completed, rescheduled or deleted since it was read is not claimed (the claim
 * joins the task as it is inside the batch).
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import { rawBatchResults } from "../../db/raw-batch";
import { newId } from "../../lib/ids";
import { bellTitle, taskReminderMail } from "../../mail/reminder-messages";
import { formatCalendarDate, formatInstant } from "../../../views/lib/time";
import { DEFAULT_EMAIL_PREFERENCES, renderListMail } from "../account/email-preferences";
import type { QueueMailInput } from "../mail/outbox";
import { type Budget, readRows } from "../privacy/statement-budget";
import { mailLink, taskPath } from "./links";

/** Tasks per chunk (one read and one batch of four statements). */
export const REMINDERS_PER_CHUNK = 50;
/** Statements one run may make by default (D1 allows 1,000 per invocation, shared with the cron's other parts). */
export const REMINDER_STATEMENTS = 150;
/** Statements a chunk takes: its read, and the claim, bell, mail and clearing statements of its batch. */
const CHUNK_STATEMENTS = 5;
/** A reminder first seen later than this after its time (an outage, a reopened workspace) rings the bell only. */
export const LATE_MAIL_LIMIT_MS = 24 * 3_600_000;
/** A mail sent this long after its time says that it is late. */
const LATE_NOTE_MS = 60 * 60_000;

export interface ReminderConfig {
  /** APP_URL: mail links need the configured origin. Without it (or the key) reminders ring the bell only. */
  baseUrl: string | undefined;
  /** UNSUBSCRIBE_KEY, which signs the mail's unsubscribe link. */
  secret: string | undefined;
  perChunk?: number;
  /** Workspaces this database holds a copy of that a move has made, not theirs (shards/directory.ts copiesElsewhere). */
  notHere?: string[];
}

export interface ReminderReport {
  /** Reminders this run claimed (each one bell entry). */
  sent: number;
  /** Of those, mailed. */
  mailed: number;
  /** Due reminders cleared without a reminder: the task was done, or its assignee no longer a member. */
  dropped: number;
  statements: number;
  /** Nothing due is left (false: the budget ran out first; the next run goes on). */
  finished: boolean;
  mailIds: string[];
}

interface DueRow {
  task_id: number;
  tenant_id: string;
  title: string;
  due_date: string;
  due_at: number | null;
  remind_at: number;
  status: string;
  assignee_id: string;
  subject_type: string | null;
  subject_id: number | null;
  workspace: string;
  member: string | null;
  email: string | null;
  verified: number | null;
  zone: string | null;
  locale: string | null;
  wants_mail: number | null;
}

/** Due reminders, oldest first, through tasks_remind_idx; a closed workspace's wait (it may be reopened). */
const dueQuery = (now: number, limit: number, notHere: string[]) => sql`
  SELECT /* all tenants: the reminder sweep reads every workspace's due reminders */
    t.id AS task_id, t.tenant_id, t.title, t.due_date, t.due_at, t.remind_at, t.status, t.assignee_id,
    t.subject_type, t.subject_id, tn.name AS workspace, m.user_id AS member, u.email,
    u.email_verified_at AS verified, coalesce(u.time_zone, tn.time_zone) AS zone,
    coalesce(u.locale, tn.locale) AS locale, p.reminders AS wants_mail
  FROM tasks t
  JOIN tenants tn ON tn.id = t.tenant_id
  LEFT JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.assignee_id
  LEFT JOIN users u ON u.id = m.user_id
  LEFT JOIN email_preferences p ON p.user_id = m.user_id
  WHERE t.remind_at IS NOT NULL AND t.remind_at <= ${now} AND tn.closed_at IS NULL
    AND t.tenant_id NOT IN (SELECT value FROM json_each(${JSON.stringify(notHere)}))
  ORDER BY t.remind_at, t.id LIMIT ${limit}`;

/** Runs the sweep at `now` until nothing is due or the budget is spent. */
export async function runReminderSweep(
  db: Database,
  config: ReminderConfig,
  now: number,
  budget: Budget = { left: REMINDER_STATEMENTS },
): Promise<ReminderReport> {
  const start = budget.left;
  const perChunk = config.perChunk ?? REMINDERS_PER_CHUNK;
  const claim = newId();
  const report: ReminderReport = { sent: 0, mailed: 0, dropped: 0, statements: 0, finished: false, mailIds: [] };
  while (budget.left >= CHUNK_STATEMENTS) {
    const rows = await readRows<DueRow>(db, budget, dueQuery(now, perChunk, config.notHere ?? []));
    if (rows.length === 0) {
      report.finished = true;
      break;
    }
    await sweepChunk(db, config, now, claim, rows, budget, report);
    if (rows.length < perChunk) {
      report.finished = true;
      break;
    }
  }
  report.statements = start - budget.left;
  return report;
}

/** What one chunk's batch writes for a reminder that goes out. */
interface Outgoing {
  row: DueRow;
  title: string;
  mail: (QueueMailInput & { id: string }) | null;
}

async function sweepChunk(
  db: Database,
  config: ReminderConfig,
  now: number,
  claim: string,
  rows: DueRow[],
  budget: Budget,
  report: ReminderReport,
): Promise<void> {
  const outgoing: Outgoing[] = [];
  for (const row of rows) {
    // Done tasks should have no remind_at (completing clears it); a removed assignee is never reminded.
    if (row.status !== "open" || row.member === null) continue;
    outgoing.push(await reminderFor(config, now, row));
  }
  const sending = JSON.stringify(
    outgoing.map((o) => ({ task: o.row.task_id, at: o.row.remind_at, tenant: o.row.tenant_id, user: o.row.member })),
  );
  const bell = JSON.stringify(
    outgoing.map((o) => ({
      task: o.row.task_id,
      at: o.row.remind_at,
      tenant: o.row.tenant_id,
      user: o.row.member,
      title: o.title,
    })),
  );
  const mails = outgoing.flatMap((o) =>
    o.mail ? [{ task: o.row.task_id, at: o.row.remind_at, ...outboxFields(o.mail) }] : [],
  );
  const statements: SQLWrapper[] = [];
  if (outgoing.length) {
    statements.push(
      // The claim: only a task that is still open with this remind_at and assigned to a member.
      sql`INSERT INTO task_reminders (tenant_id, task_id, remind_at, user_id, claim, sent_at)
          SELECT /* all tenants: the sweep's claims, each for its task's own workspace */
            t.tenant_id, t.id, t.remind_at, t.assignee_id, ${claim}, ${now}
          FROM json_each(${sending}) j
          JOIN tasks t ON t.id = json_extract(j.value, '$.task') AND t.remind_at = json_extract(j.value, '$.at')
            AND t.status = 'open'
          JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.assignee_id
          WHERE true
          ON CONFLICT (task_id, remind_at) DO NOTHING
          RETURNING task_id`,
      sql`INSERT INTO notifications (tenant_id, user_id, task_id, title, created_at)
          SELECT /* all tenants: bell entries only where this run's claim holds */
            json_extract(j.value, '$.tenant'), json_extract(j.value, '$.user'), json_extract(j.value, '$.task'),
            json_extract(j.value, '$.title'), ${now}
          FROM json_each(${bell}) j
          WHERE EXISTS (SELECT 1 FROM task_reminders r WHERE r.task_id = json_extract(j.value, '$.task')
            AND r.remind_at = json_extract(j.value, '$.at') AND r.claim = ${claim})`,
    );
  }
  if (mails.length)
    statements.push(sql`INSERT INTO email_outbox (id, tenant_id, user_id, to_address, kind, essential, subject, text_body,
          html_body, headers, status, attempts, next_attempt_at, created_at, updated_at)
        SELECT /* all tenants: reminder mail only where this run's claim holds */
          json_extract(j.value, '$.id'), json_extract(j.value, '$.tenant'), json_extract(j.value, '$.user'),
          json_extract(j.value, '$.to'), json_extract(j.value, '$.kind'), 0, json_extract(j.value, '$.subject'),
          json_extract(j.value, '$.text'), json_extract(j.value, '$.html'), json_extract(j.value, '$.headers'),
          'pending', 0, ${now}, ${now}, ${now}
        FROM json_each(${JSON.stringify(mails)}) j
        WHERE EXISTS (SELECT 1 FROM task_reminders r WHERE r.task_id = json_extract(j.value, '$.task')
          AND r.remind_at = json_extract(j.value, '$.at') AND r.claim = ${claim})`);
  // Every task read is done with: cleared where remind_at is still what was read (a reschedule since stands).
  const swept = JSON.stringify(rows.map((r) => [r.task_id, r.remind_at]));
  statements.push(sql`UPDATE tasks SET remind_at = NULL
      WHERE /* all tenants: the tasks this chunk read, by id */ (id, remind_at) IN
        (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${swept}))`);

  budget.left -= statements.length;
  const [claimed] = await rawBatchResults(db, statements);
  const claimedTasks = new Set(
    outgoing.length ? (claimed?.results ?? []).map((r) => (r as { task_id: number }).task_id) : [],
  );
  report.sent += claimedTasks.size;
  report.dropped += rows.length - outgoing.length;
  for (const o of outgoing) {
    if (o.mail && claimedTasks.has(o.row.task_id)) {
      report.mailed += 1;
      report.mailIds.push(o.mail.id);
    }
  }
}

/** The bell entry's words and, when it is to be mailed, the mail, for one due reminder. */
async function reminderFor(config: ReminderConfig, now: number, row: DueRow): Promise<Outgoing> {
  const zone = row.zone ?? "UTC";
  const locale = row.locale ?? "en-US";
  // A task with a time: its due instant in the assignee's zone; a task due on a day: that day. Both written the
  // assignee's way, in the mail and in the bell entry (stored as text).
  const when =
    row.due_at === null ? formatCalendarDate(row.due_date, locale) : formatInstant(row.due_at, zone, "minute", locale);
  const title = bellTitle(row.title, when);
  const wantsMail =
    row.wants_mail !== 0 && row.verified !== null && row.email !== null && now - row.remind_at <= LATE_MAIL_LIMIT_MS;
  if (!wantsMail || !config.baseUrl) return { row, title, mail: null };
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const mail = await renderListMail(
    {
      to: row.email!,
      userId: row.member!,
      tenantId: row.tenant_id,
      list: "reminders",
      baseUrl,
      secret: config.secret,
      render: (unsubscribeUrl) =>
        taskReminderMail({
          title: row.title,
          when,
          workspace: row.workspace,
          link: mailLink(baseUrl, row.tenant_id, taskPath(row.subject_type, row.subject_id)),
          late: now - row.remind_at > LATE_NOTE_MS,
          unsubscribeUrl,
        }),
    },
    { ...DEFAULT_EMAIL_PREFERENCES, reminders: true },
  );
  return { row, title, mail: mail ? { ...mail, id: newId() } : null };
}

/** The outbox columns of a rendered mail, for the JSON the batch inserts from. */
function outboxFields(mail: QueueMailInput & { id: string }) {
  return {
    id: mail.id,
    tenant: mail.tenantId,
    user: mail.userId,
    to: mail.to,
    kind: mail.kind,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null,
  };
}
