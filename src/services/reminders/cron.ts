/** The follow-ups' share of the every-minute cron: the reminder sweep, then the daily agenda. */
import { createDb } from "../../db/client";
import type { Bindings } from "../../env";
import { senderFromEnv } from "../../mail/senders";
import { deliverDue } from "../mail/outbox";
import { boundDatabases } from "../shards/databases";
import { recordsDatabases } from "../shards/workspace-db";
import { copiesElsewhere } from "../shards/directory";
import { runAgendaStep } from "./agenda";
import { REMINDER_STATEMENTS, runReminderSweep, type ReminderReport } from "./sweep";
import { errorText } from "../../lib/error-text";

export interface ReminderCronReport {
  reminders: ReminderReport | null;
  agendasSent: number;
  /** The parts that failed, each logged; the other part still ran (the next minute tries again). */
  failures: { part: string; error: string }[];
}

/** Statements the sweep may make per run: REMINDER_STATEMENTS when set (tests lower it), else the default. */
function statementBudget(env: Partial<Bindings>): number {
  const n = Number(env.REMINDER_STATEMENTS);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 500) : REMINDER_STATEMENTS;
}

/** Mails delivered right after the sweep queued them (as many as one delivery run sends). */
const DELIVER_AT_ONCE = 40;

/** Two sweeps' reports as one. */
const addReports = (a: ReminderReport, b: ReminderReport): ReminderReport => ({
  sent: a.sent + b.sent,
  mailed: a.mailed + b.mailed,
  dropped: a.dropped + b.dropped,
  statements: a.statements + b.statements,
  finished: a.finished && b.finished,
  mailIds: [...a.mailIds, ...b.mailIds],
});

/** Runs both at `now`; a failure of one is logged and reported and does not stop the other. */
export async function runReminderCron(env: Bindings, now: number): Promise<ReminderCronReport> {
  const db = createDb(env.DB);
  const config = { baseUrl: env.APP_URL, secret: env.UNSUBSCRIBE_KEY };
  const report: ReminderCronReport = { reminders: null, agendasSent: 0, failures: [] };
  // Tasks are where their workspace's records are: each database is swept, within one statement budget.
  const budget = { left: statementBudget(env) };
  const names = boundDatabases(env);
  const recordsDbs = recordsDatabases(env, db);
  // Without the moves under way a database's sweep could ring a second copy's reminders: none runs then.
  const elsewhere = await copiesElsewhere(db).catch((err: unknown) => {
    console.error(JSON.stringify({ type: "reminder_sweep_failed", database: "DB", error: errorText(err, 300) }));
    report.failures.push({ part: "reminders", error: errorText(err, 300) });
    return null;
  });
  budget.left -= 1;
  if (elsewhere)
    for (const [i, name] of names.entries()) {
      try {
        const records = recordsDbs[i]!;
        const swept = await runReminderSweep(records, { ...config, notHere: elsewhere(name) }, now, budget);
        // The first mails go at once (their ids bound within D1's 100 parameters); the outbox's own sweep
        // delivers the rest, with retries.
        if (swept.mailIds.length)
          await deliverDue(records, senderFromEnv(env), now, { ids: swept.mailIds.slice(0, DELIVER_AT_ONCE) });
        if (swept.sent + swept.dropped > 0) {
          const { mailIds: _, ...figures } = swept;
          report.reminders = report.reminders ? addReports(report.reminders, swept) : swept;
          console.log(JSON.stringify({ type: "reminder_sweep", database: name, ...figures }));
        }
      } catch (err) {
        // A shard down is logged and tried again next minute; the control database's failure fails the run.
        console.error(JSON.stringify({ type: "reminder_sweep_failed", database: name, error: errorText(err, 300) }));
        if (name === "DB") report.failures.push({ part: "reminders", error: errorText(err, 300) });
      }
    }
  try {
    const agenda = await runAgendaStep(db, { ...config, notHere: names.map(elsewhere ?? (() => [])) }, now, recordsDbs);
    if (agenda.mailIds.length) await deliverDue(db, senderFromEnv(env), now, { ids: agenda.mailIds });
    report.agendasSent = agenda.sent;
    if (agenda.looked > 0)
      console.log(JSON.stringify({ type: "agenda_sweep", looked: agenda.looked, sent: agenda.sent }));
  } catch (err) {
    console.error(JSON.stringify({ type: "agenda_failed", error: errorText(err, 300) }));
    report.failures.push({ part: "agenda", error: errorText(err, 300) });
  }
  return report;
}
