/**
 * The weekly activity digest: non-essential, on by default, one click off.
 *
 * Each ISO week (Monday 00:00 UTC onwards) the every-minute cron sweeps the users in id order, a
 * page per run (digest_runs keeps where the sweep is), and mails each user who wants the digest and
 * has a confirmed address the counts of the previous week (Monday to Monday, UTC) in each of their
 * workspaces: new contacts, contacts updated, new companies, notes written. Counts only: nothing a
 * workspace keeps about its customers is in the mail. A week with nothing to count sends nothing, and
 * a closed workspace (src/services/privacy/closure.ts) is left out.
 *
 * At most one digest per user per week: a user is claimed for the week by one upsert of
 * email_preferences.digest_week (its WHERE makes the claim conditional), and only claimed users
 * are mailed. Two sweeps running at once, or a run repeated, claim nobody twice. A run that dies
 * between claiming and queueing loses that page's digests for the week (at most once, never twice).
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { DatabaseName } from "../shards/databases";
import { readEverywhere } from "../shards/workspace-db";
import { digestRuns } from "../../db/schema";
import { weeklyDigestMail, type DigestWorkspace } from "../../mail/messages";
import { DEFAULT_EMAIL_PREFERENCES, queueListMail } from "../account/email-preferences";

/** Users looked at per cron run. */
export const DIGEST_PAGE = 100;
const WEEK_MS = 7 * 86_400_000;

/** The Monday 00:00 UTC that starts the ISO week of `ms`. */
export function weekStart(ms: number): number {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
}

/** The ISO 8601 week of `ms`, as "2026-W48". */
export function isoWeek(ms: number): string {
  const start = weekStart(ms);
  const thursday = new Date(start + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export interface DigestReport {
  week: string;
  looked: number;
  sent: number;
  finished: boolean;
}

export interface DigestConfig {
  /** APP_URL: the digest is sent without a request, so links need the configured origin. */
  baseUrl: string | undefined;
  /** UNSUBSCRIBE_KEY: without it no digest goes out (it could not carry its unsubscribe link). */
  secret: string | undefined;
  pageSize?: number;
}

/**
 * One step of the week's sweep at `now` (the cron's scheduled time). Returns the outbox ids queued,
 * so the caller may deliver them at once.
 */
export async function runDigestStep(
  db: Database,
  config: DigestConfig,
  now: number,
  recordsDbs: Database[] = [db],
  names: DatabaseName[] = ["DB"],
): Promise<DigestReport & { mailIds: string[] }> {
  if (names.length !== recordsDbs.length) throw new Error("runDigestStep: one name per records database");
  const week = isoWeek(now);
  const report = { week, looked: 0, sent: 0, finished: false, mailIds: [] as string[] };
  if (!config.baseUrl || !config.secret) return report;
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const pageSize = config.pageSize ?? DIGEST_PAGE;

  const [run] = await db.all<{ after_user_id: string; finished_at: number | null }>(sql`
    INSERT INTO digest_runs (week, after_user_id, started_at) VALUES (${week}, '', ${now})
    ON CONFLICT (week) DO UPDATE SET week = week RETURNING after_user_id, finished_at`);
  if (!run || run.finished_at !== null) return { ...report, finished: true };

  const users = await db.all<{
    id: string;
    email: string;
    verified: number | null;
    digest: number | null;
    digest_week: string | null;
  }>(sql`
    SELECT u.id, u.email, u.email_verified_at AS verified, p.digest, p.digest_week
    FROM users u LEFT JOIN email_preferences p ON p.user_id = u.id
    WHERE u.id > ${run.after_user_id} ORDER BY u.id LIMIT ${pageSize}`);
  report.looked = users.length;
  const last = users.at(-1)?.id ?? run.after_user_id;
  const finished = users.length < pageSize;

  // Who wants it: a confirmed address, the digest on (no row: on), not yet sent this week.
  const wanting = users.filter((u) => u.verified !== null && u.digest !== 0 && u.digest_week !== week);
  const from = weekStart(now) - WEEK_MS;
  const to = weekStart(now);
  const byUser = wanting.length
    ? await workspaceWeeks(
        db,
        recordsDbs,
        names,
        wanting.map((u) => u.id),
        from,
        to,
      )
    : new Map<string, DigestWorkspace[]>();
  const withNews = wanting.filter((u) =>
    (byUser.get(u.id) ?? []).some((w) => w.newContacts + w.updatedContacts + w.newCompanies + w.newNotes > 0),
  );

  // The claim: one upsert, conditional per row, returns only the users this run may mail.
  const claimed = withNews.length
    ? new Set(
        (
          await db.all<{ user_id: string }>(sql`
            INSERT INTO email_preferences (user_id, digest, news, digest_week, updated_at)
            SELECT value, 1, 0, ${week}, ${now} FROM json_each(${JSON.stringify(withNews.map((u) => u.id))}) WHERE true
            ON CONFLICT (user_id) DO UPDATE SET digest_week = excluded.digest_week
              WHERE email_preferences.digest = 1 AND email_preferences.digest_week IS NOT excluded.digest_week
            RETURNING user_id`)
        ).map((r) => r.user_id),
      )
    : new Set<string>();

  const inserts = [];
  for (const u of withNews) {
    if (!claimed.has(u.id)) continue;
    const workspaces = byUser.get(u.id)!;
    const mail = await queueListMail(
      db,
      {
        to: u.email,
        userId: u.id,
        tenantId: null,
        list: "digest",
        baseUrl,
        secret: config.secret,
        render: (unsubscribeUrl) =>
          weeklyDigestMail({ week, from, to, workspaces, appLink: `${baseUrl}/app`, unsubscribeUrl }),
      },
      now,
      { ...DEFAULT_EMAIL_PREFERENCES, digest: true },
    );
    if (mail) {
      inserts.push(mail.query);
      report.mailIds.push(mail.id);
    }
  }
  // Moves the sweep on, unless a concurrent run already did (its claims and mails stand either way).
  const advance = db
    .update(digestRuns)
    // A finished run needs no cursor; clearing it keeps no user id once the week's sweep is over.
    .set({ afterUserId: finished ? "" : last, finishedAt: finished ? now : null })
    .where(and(eq(digestRuns.week, week), eq(digestRuns.afterUserId, run.after_user_id)));
  await db.batch([advance, ...inserts]);
  report.sent = inserts.length;
  report.finished = finished;
  return report;
}

/**
 * For each user, the week's counts in each of their workspaces: one query for all of them on each database holding
 * workspaces' records (each has its workspaces' memberships, src/services/shards/mirror.ts), and one directory read.
 */
async function workspaceWeeks(
  control: Database,
  dbs: Database[],
  names: DatabaseName[],
  userIds: string[],
  from: number,
  to: number,
): Promise<Map<string, DigestWorkspace[]>> {
  const read = await readEverywhere(dbs, "digest_database_failed", async (db) => {
    const database = names[dbs.indexOf(db)];
    return (await weekCounts(db, userIds, from, to)).map((r) => ({ ...r, database }));
  });
  // The control database has every workspace's people (a shard's workspace counts zero there) and a move has a
  // workspace on two databases: each is counted only where the directory says its records are.
  const homes = await homesOf(control, [...new Set(read.map((r) => r.tenant_id))]);
  const all = read.filter((r) => r.database === (homes.get(r.tenant_id) ?? "DB"));
  const rows = all.sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : a.joined - b.joined));
  const out = new Map<string, DigestWorkspace[]>();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({
      name: r.name,
      newContacts: r.new_contacts,
      updatedContacts: r.updated_contacts,
      newCompanies: r.new_companies,
      newNotes: r.new_notes,
    });
    out.set(r.user_id, list);
  }
  return out;
}

/** The database the directory names for each workspace (none: DB, where every workspace lived before shards). */
async function homesOf(control: Database, tenantIds: string[]): Promise<Map<string, string>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await control.all<{ tenant_id: string; home: string }>(sql`
    SELECT /* all tenants: the directory entries of the workspaces this page's users belong to */
      j.value AS tenant_id, coalesce(s.shard, 'DB') AS home
    FROM json_each(${JSON.stringify(tenantIds)}) j LEFT JOIN workspace_shards s ON s.tenant_id = j.value`);
  return new Map(rows.map((r) => [r.tenant_id, r.home]));
}

/** One database's share of workspaceWeeks. */
function weekCounts(db: Database, userIds: string[], from: number, to: number) {
  return db.all<{
    user_id: string;
    tenant_id: string;
    joined: number;
    name: string;
    new_contacts: number;
    updated_contacts: number;
    new_companies: number;
    new_notes: number;
  }>(sql`
    WITH ws AS (
      SELECT DISTINCT m.tenant_id FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id IN (SELECT value FROM json_each(${JSON.stringify(userIds)})) AND t.closed_at IS NULL
    ),
    counts AS (
      SELECT ws.tenant_id,
        (SELECT count(*) FROM contacts c WHERE c.tenant_id = ws.tenant_id AND c.created_at >= ${from}
          AND c.created_at < ${to}) AS new_contacts,
        (SELECT count(*) FROM contacts c WHERE c.tenant_id = ws.tenant_id AND c.updated_at >= ${from}
          AND c.updated_at < ${to} AND c.created_at < ${from}) AS updated_contacts,
        (SELECT count(*) FROM companies co WHERE co.tenant_id = ws.tenant_id AND co.created_at >= ${from}
          AND co.created_at < ${to}) AS new_companies,
        (SELECT count(*) FROM notes n WHERE n.tenant_id = ws.tenant_id AND n.created_at >= ${from}
          AND n.created_at < ${to}) AS new_notes
      FROM ws
    )
    SELECT m.user_id, m.tenant_id, m.created_at AS joined, t.name, counts.new_contacts, counts.updated_contacts, counts.new_companies, counts.new_notes
    FROM memberships m JOIN counts ON counts.tenant_id = m.tenant_id JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))
    ORDER BY m.user_id, m.created_at`);
}
