/**
 * 10,000 reminders due at once (after an outage, or a busy morning): the sweep works through them in
 * chunks within its statement budget per cron run, so every run stays inside D1's 1,000 queries per
 * invocation; several runs finish them all, none twice.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingDb } from "../helpers/query-count";
import { member, MINUTE, reminderMails, runCron } from "./helpers";

const DUE = 10_000;
/** The lowered budget: 10 chunks of 50 reminders (five statements each) per run. */
const BUDGET = 50;

/** The statements of the reminder sweep among a run's statements (each names its purpose in a comment). */
const SWEEP_STATEMENT =
  /the reminder sweep reads|the sweep's claims|bell entries only where|reminder mail only where|the tasks this chunk read/;

describe("10,000 due reminders", () => {
  it("are sent over several runs within the budget, each exactly once", async () => {
    const mailed = await member("UTC", "Mail Co");
    const belled = await member("Europe/Berlin", "Bell Co");
    await env.DB.prepare(
      "INSERT INTO email_preferences (user_id, digest, news, reminders, agenda, updated_at) VALUES (?, 1, 0, 0, 0, 0)",
    )
      .bind(belled.userId)
      .run();
    const now = Date.UTC(2027, 6, 1, 9, 0);
    // Every tenth to the user who gets mail, the rest to one who turned reminder mail off; due over the last hour.
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1 - 1)
       INSERT INTO tasks (tenant_id, title, due_date, due_time, time_zone, due_at, remind_lead, remind_at, assignee_id,
         status, created_at, updated_at)
       SELECT CASE WHEN i % 10 = 0 THEN ?2 ELSE ?3 END, 'Bulk ' || i, '2027-07-01', '09:00', 'UTC', ?4, 0,
         ?4 - (i % 60) * 60000, CASE WHEN i % 10 = 0 THEN ?5 ELSE ?6 END, 'open', 0, 0 FROM seq`,
    )
      .bind(DUE, mailed.tenantId, belled.tenantId, now, mailed.userId, belled.userId)
      .run();

    let runs = 0;
    let maxSweepStatements = 0;
    let maxStatements = 0;
    for (;;) {
      const left = (await env.DB.prepare("SELECT count(*) AS n FROM tasks WHERE remind_at IS NOT NULL").first<{
        n: number;
      }>())!.n;
      if (left === 0) break;
      const counting = countingDb();
      await runCron(now + runs * MINUTE, { DB: counting.binding, REMINDER_STATEMENTS: String(BUDGET) });
      maxSweepStatements = Math.max(
        maxSweepStatements,
        counting.statements.filter((s) => SWEEP_STATEMENT.test(s)).length,
      );
      maxStatements = Math.max(maxStatements, counting.statements.length);
      runs += 1;
      expect(runs).toBeLessThan(30);
    }
    // 10 chunks of 50 per run (500), or 12 when their chunks mail nobody (four statements each, not five).
    expect(runs).toBeGreaterThanOrEqual(Math.ceil(DUE / 600));
    expect(runs).toBeLessThanOrEqual(DUE / 500);
    expect(maxSweepStatements).toBeLessThanOrEqual(BUDGET);
    expect(maxStatements).toBeLessThan(1000);

    // One bell entry and one claim per task, the mail only to the one who wants it, none twice.
    const perTask = await env.DB.prepare(
      `SELECT count(*) AS tasks, sum(n = 1) AS once FROM (SELECT t.id, count(n.id) AS n FROM tasks t
         LEFT JOIN notifications n ON n.task_id = t.id WHERE t.tenant_id IN (?, ?) GROUP BY t.id)`,
    )
      .bind(mailed.tenantId, belled.tenantId)
      .first<{ tasks: number; once: number }>();
    expect(perTask).toEqual({ tasks: DUE, once: DUE });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM task_reminders").first<{ n: number }>())!.n).toBe(DUE);
    const mails = await reminderMails(mailed.email);
    expect(mails).toHaveLength(DUE / 10);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(DUE / 10);
    expect(await reminderMails(belled.email)).toHaveLength(0);

    // A run after that finds nothing to do.
    await runCron(now + runs * MINUTE, { REMINDER_STATEMENTS: String(BUDGET) });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM notifications").first<{ n: number }>())!.n).toBe(DUE);
    console.log(
      JSON.stringify({ type: "reminder_figures", due: DUE, budget: BUDGET, runs, maxSweepStatements, maxStatements }),
    );
  }, 300_000);
});
