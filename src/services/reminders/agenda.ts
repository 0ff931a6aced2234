/**
 * The daily agenda (opt-in, email_preferences.agenda): at 07:00 in the user's zone, one mail listing,
 * per open workspace they belong to, their open tasks due that local day and the overdue ones. Nothing
 * is sent on a day with none.
 *
 * The user's zone: their own (users.time_zone), else the zone of the first open workspace they joined,
 * else UTC; the same for every workspace in the mail, since it is one mail at one hour. Its locale (how dates
 * and times are written) likewise: their own, else that workspace's.
 *
 * email_preferences.agenda_next_at is when the sweep next looks at a user (their next 07:00; 0 at the
 * next run, after the preference or their zone changed), so a run reads only users whose 07:00 has come.
 * The agenda goes out between 07:00 and noon local (a run after an outage that ends later skips the
 * day, the agenda being stale by then), at most once per local day: the user is claimed for the day by
 * one conditional update of agenda_date (and agenda_next_at, as read), and only claimed users are
 * mailed. Overlapping or repeated runs claim nobody twice; a run that dies between claiming and
 * queueing loses that day's agenda (at most once, never twice), as the weekly digest does.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { readEverywhere } from "../shards/workspace-db";
import { dayStart, readerDueDate, SLACK_DAYS } from "../tasks/due-day";
import { addDays, dateInZone, wallTimeToUtc } from "../../lib/zoned-time";
import { formatCalendarDate, formatClock } from "../../../views/lib/time";
import { type AgendaWorkspace, dailyAgendaMail } from "../../mail/reminder-messages";
import { DEFAULT_EMAIL_PREFERENCES, queueListMail } from "../account/email-preferences";
import { mailLink } from "./links";

/** The local hour the agenda goes out, and the hour after which a day's agenda is no longer sent. */
export const AGENDA_TIME = "07:00";
const AGENDA_UNTIL = "12:00";
/** Users looked at per cron run. */
export const AGENDA_PAGE = 50;
/** Tasks listed per workspace at most (the day's first, then the latest overdue); the mail says how many more. */
export const AGENDA_TASKS_PER_WORKSPACE = 25;

export interface AgendaConfig {
  baseUrl: string | undefined;
  secret: string | undefined;
  pageSize?: number;
  /** Per database (as `recordsDbs`), the workspaces it has a copy of that a move made, not theirs. */
  notHere?: string[][];
}

export interface AgendaReport {
  looked: number;
  sent: number;
  mailIds: string[];
}

interface DueUser {
  user_id: string;
  email: string;
  verified: number | null;
  agenda_date: string | null;
  agenda_next_at: number;
  zone: string;
  locale: string;
}

/** One step at `now`: the users whose 07:00 has come, each mailed (or not) and scheduled for their next 07:00. */
export async function runAgendaStep(
  db: Database,
  config: AgendaConfig,
  now: number,
  recordsDbs: Database[] = [db],
): Promise<AgendaReport> {
  const report: AgendaReport = { looked: 0, sent: 0, mailIds: [] };
  if (!config.baseUrl || !config.secret) return report;
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const users = await db.all<DueUser>(sql`
    SELECT p.user_id, u.email, u.email_verified_at AS verified, p.agenda_date, p.agenda_next_at,
      coalesce(u.time_zone, (SELECT tn.time_zone FROM memberships m JOIN tenants tn ON tn.id = m.tenant_id
        WHERE m.user_id = p.user_id AND tn.closed_at IS NULL ORDER BY m.created_at LIMIT 1), 'UTC') AS zone,
      coalesce(u.locale, (SELECT tn.locale FROM memberships m JOIN tenants tn ON tn.id = m.tenant_id
        WHERE m.user_id = p.user_id AND tn.closed_at IS NULL ORDER BY m.created_at LIMIT 1), 'en-US') AS locale
    FROM email_preferences p JOIN users u ON u.id = p.user_id
    WHERE p.agenda = 1 AND p.agenda_next_at <= ${now}
    ORDER BY p.agenda_next_at LIMIT ${config.pageSize ?? AGENDA_PAGE}`);
  report.looked = users.length;
  if (users.length === 0) return report;

  // Each user's day, whether today's agenda is due now, and when to look next.
  const plans = users.map((u) => {
    const today = dateInZone(now, u.zone);
    const from = wallTimeToUtc(today, AGENDA_TIME, u.zone);
    const until = wallTimeToUtc(today, AGENDA_UNTIL, u.zone);
    const due = now >= from && now < until && u.agenda_date !== today && u.verified !== null;
    const next = now < from ? from : wallTimeToUtc(addDays(today, 1), AGENDA_TIME, u.zone);
    return { user: u, today, due, next };
  });
  const wanted = plans.filter((p) => p.due);
  const tasks = wanted.length
    ? await agendaTasksEverywhere(
        recordsDbs,
        wanted.map((p) => ({
          user: p.user.user_id,
          // Due by the end of the user's day: a dated task on or before it, a timed one before the next day begins.
          date: p.today,
          dateBelow: addDays(p.today, SLACK_DAYS + 1),
          start: dayStart(p.today, p.user.zone),
          end: dayStart(addDays(p.today, 1), p.user.zone),
        })),
        config.notHere,
      )
    : [];

  // The claim: one statement, conditional per row on the agenda_next_at this run read, so of two runs
  // that read the same user only one moves it on (and only that one may mail them).
  const claims = JSON.stringify(
    plans.map((p) => ({
      user: p.user.user_id,
      seen: p.user.agenda_next_at,
      next: p.next,
      date: p.due ? p.today : null,
    })),
  );
  const claimed = new Set(
    (
      await db.all<{ user_id: string }>(sql`
        UPDATE email_preferences SET agenda_next_at = j.next, agenda_date = coalesce(j.date, agenda_date)
        FROM (SELECT json_extract(value, '$.user') AS user, json_extract(value, '$.seen') AS seen,
            json_extract(value, '$.next') AS next, json_extract(value, '$.date') AS date FROM json_each(${claims})) AS j
        WHERE email_preferences.user_id = j.user AND email_preferences.agenda = 1
          AND email_preferences.agenda_next_at = j.seen
          AND (j.date IS NULL OR email_preferences.agenda_date IS NOT j.date)
        RETURNING user_id`)
    ).map((r) => r.user_id),
  );

  const inserts = [];
  for (const p of wanted) {
    if (!claimed.has(p.user.user_id)) continue;
    const workspaces = workspacesOf(tasks, p.user, p.today, baseUrl);
    if (workspaces.length === 0) continue;
    const mail = await queueListMail(
      db,
      {
        to: p.user.email,
        userId: p.user.user_id,
        tenantId: null,
        list: "agenda",
        baseUrl,
        secret: config.secret,
        render: (unsubscribeUrl) =>
          dailyAgendaMail({ date: formatCalendarDate(p.today, p.user.locale), workspaces, unsubscribeUrl }),
      },
      now,
      { ...DEFAULT_EMAIL_PREFERENCES, agenda: true },
    );
    if (mail) {
      inserts.push(mail.query);
      report.mailIds.push(mail.id);
    }
  }
  if (inserts.length) await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  report.sent = inserts.length;
  return report;
}

interface AgendaRow {
  user_id: string;
  tenant_id: string;
  joined: number;
  workspace: string;
  title: string;
  due_date: string;
  due_at: number | null;
  /** The user's tasks of the agenda in that workspace, listed or not. */
  total: number;
}

/** The users' open tasks due on or before their day, in their open workspaces: one query for all of them. */
type AgendaDay = { user: string; date: string; dateBelow: string; start: number; end: number };

async function agendaTasks(db: Database, users: AgendaDay[]): Promise<AgendaRow[]> {
  // The day's tasks are listed first, then the latest overdue: a long backlog must not hide today.
  return db.all<AgendaRow>(sql`
    SELECT user_id, tenant_id, workspace, joined, title, due_date, due_at, total FROM (
      SELECT user_id, tenant_id, workspace, joined, title, due_date, due_at,
        row_number() OVER (PARTITION BY user_id, tenant_id ORDER BY overdue,
          CASE WHEN overdue = 0 THEN due_date END, CASE WHEN overdue = 0 THEN due_at END,
          due_date DESC, due_at DESC, id DESC) AS n,
        count(*) OVER (PARTITION BY user_id, tenant_id) AS total
      FROM (
        SELECT /* all tenants: each user's own tasks in every workspace they belong to */
          m.user_id, m.tenant_id, tn.name AS workspace, m.created_at AS joined, t.id, t.title, t.due_date, t.due_at,
          CASE WHEN t.due_at IS NULL THEN t.due_date < json_extract(j.value, '$.date')
            ELSE t.due_at < json_extract(j.value, '$.start') END AS overdue
        FROM json_each(${JSON.stringify(users)}) j
        JOIN memberships m ON m.user_id = json_extract(j.value, '$.user')
        JOIN tenants tn ON tn.id = m.tenant_id AND tn.closed_at IS NULL
        JOIN tasks t ON t.tenant_id = m.tenant_id AND t.assignee_id = m.user_id AND t.status = 'open'
          AND t.due_date < json_extract(j.value, '$.dateBelow') AND CASE WHEN t.due_at IS NULL
            THEN t.due_date <= json_extract(j.value, '$.date') ELSE t.due_at < json_extract(j.value, '$.end') END))
    WHERE n <= ${AGENDA_TASKS_PER_WORKSPACE}
    ORDER BY user_id, joined, tenant_id, due_date, due_at`);
}

/**
 * The same on every database holding workspaces' records (each has its workspaces' memberships and tenants rows,
 * src/services/shards/mirror.ts), in one order: by user, the workspaces in the order they joined them.
 */
async function agendaTasksEverywhere(
  dbs: Database[],
  users: AgendaDay[],
  notHere: string[][] = [],
): Promise<AgendaRow[]> {
  // A workspace a move has on two databases is read where the directory says it is (copiesElsewhere).
  const rows = await readEverywhere(dbs, "agenda_database_failed", async (d) => {
    const skip = new Set(notHere[dbs.indexOf(d)] ?? []);
    return (await agendaTasks(d, users)).filter((r) => !skip.has(r.tenant_id));
  });
  const key = (r: AgendaRow) => [r.user_id, String(r.joined).padStart(16, "0"), r.tenant_id, r.due_date];
  return rows.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return (a.due_at ?? 0) - (b.due_at ?? 0);
  });
}

/**
 * One user's rows as the mail's workspaces, each task today (with its time in the user's zone) or overdue, how many
 * more there are, and a link to the tasks page that opens in that workspace. Times and dates in the user's locale.
 */
function workspacesOf(
  rows: AgendaRow[],
  user: { user_id: string; zone: string; locale: string },
  today: string,
  baseUrl: string,
): AgendaWorkspace[] {
  const { zone, locale } = user;
  const out = new Map<string, AgendaWorkspace>();
  for (const r of rows) {
    if (r.user_id !== user.user_id) continue;
    const w = out.get(r.tenant_id) ?? {
      name: r.workspace,
      tasks: [],
      total: r.total,
      link: mailLink(baseUrl, r.tenant_id, "/app/tasks"),
    };
    const dueDay = readerDueDate({ dueDate: r.due_date, dueAt: r.due_at }, zone);
    w.tasks.push({
      title: r.title,
      time: r.due_at === null ? null : formatClock(r.due_at, zone, locale),
      dueDate: formatCalendarDate(dueDay, locale),
      overdue: dueDay < today,
    });
    out.set(r.tenant_id, w);
  }
  return [...out.values()];
}
