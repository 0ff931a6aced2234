/**
 * The every-minute cron, in one function: the Cron Trigger (`scheduled` in src/index.ts) and the
 * development tick (`POST /dev/cron`, src/routes/dev.tsx) both run exactly this. Each part runs
 * whatever happened to the one before; a part that fails is logged and reported, and the next minute
 * tries again.
 */
import { createDb } from "./db/client";
import type { Bindings } from "./env";
import { senderFromEnv } from "./mail/senders";
import { runJobWatchdog, type WatchdogReport } from "./services/jobs/watchdog";
import { deliverDue, type DeliveryReport } from "./services/mail/outbox";
import { runPrivacyCron } from "./services/privacy/cron";
import { retentionDidSomething, runRetention, type RetentionReport } from "./services/privacy/retention";
import { runReminderCron } from "./services/reminders/cron";
import { sendEndedNotices } from "./services/support-access/ended-notices";
import type { ReminderReport } from "./services/reminders/sweep";
import { dispatchDueEverywhere } from "./services/webhooks/sweep";
import { measureDatabases } from "./services/shards/directory";
import { copyStalePeople } from "./services/shards/mirror";
import { boundDatabases, eachDatabase } from "./services/shards/databases";
import { runMoveWatchdog, type MoveWatchdogReport } from "./services/shards/watchdog";
import { rollUpUsage } from "./services/usage/rollup";
import { usageSourceFor } from "./services/usage/source";
import { errorText } from "./lib/error-text";

export interface CronFailure {
  part: string;
  error: string;
}

export interface CronReport {
  /** The scheduled time every part took as "now". */
  time: number;
  /** What the parts that did something did (empty when nothing was due). */
  did: {
    mail?: DeliveryReport;
    retention?: RetentionReport;
    exportsPurged?: number;
    digestsSent?: number;
    reminders?: Omit<ReminderReport, "mailIds">;
    agendasSent?: number;
    jobs?: WatchdogReport;
    /** Workspace moves between databases sent again (src/services/shards/watchdog.ts). */
    moves?: MoveWatchdogReport;
    /** Workspaces whose people were copied to their shard again, a change's own copy having failed. */
    peopleCopied?: number;
    /** The databases measured for placement (hourly). */
    databasesMeasured?: number;
    /** Webhook deliveries whose Queue message was sent (new ones, and those whose message was lost). */
    webhooksQueued?: number;
    supportGrantsEnded?: number;
    /** Days of usage the rollup made into daily aggregates. */
    usageDays?: string[];
  };
  failures: CronFailure[];
}

/** The minute of each hour the databases are measured. */
const MEASURE_MINUTE = 7;

/**
 * Runs every part of the cron at `now`: mail delivery and retries, task reminders and the daily agenda,
 * retention, the privacy jobs, the job watchdog, the usage rollup.
 */
export async function runCron(env: Bindings, now: number): Promise<CronReport> {
  const report: CronReport = { time: now, did: {}, failures: [] };
  try {
    // Every database's outbox: mail written with a workspace's records is on its database (docs/scale.md, item 11).
    const mail: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
    await eachDatabase(env, boundDatabases(env), "mail_database_failed", async (db) => {
      const one = await deliverDue(createDb(db), senderFromEnv(env), now);
      mail.sent += one.sent;
      mail.retrying += one.retrying;
      mail.failed += one.failed;
    });
    if (mail.sent + mail.retrying + mail.failed > 0) {
      report.did.mail = mail;
      console.log(JSON.stringify({ type: "mail_sweep", ...mail }));
    }
  } catch (err) {
    console.error(JSON.stringify({ type: "mail_sweep_failed", error: errorText(err) }));
    report.failures.push({ part: "mail", error: errorText(err) });
  }
  // Task reminders (the bell and their mail) and the daily agenda, at their minute, before the heavier parts.
  const followUps = await runReminderCron(env, now);
  if (followUps.reminders) {
    const { mailIds: _, ...reminders } = followUps.reminders;
    report.did.reminders = reminders;
  }
  if (followUps.agendasSent) report.did.agendasSent = followUps.agendasSent;
  report.failures.push(...followUps.failures);
  try {
    // Support grants that ran out: their owners are told once (what support saw is on their settings page).
    // Links need APP_URL here (no request to take an origin from): without it the notices go unsent, and say so.
    const ids = await sendEndedNotices(createDb(env.DB), now, env.APP_URL?.replace(/\/+$/, "") || undefined);
    if (ids.length) report.did.supportGrantsEnded = ids.length;
  } catch (err) {
    console.error(JSON.stringify({ type: "support_grant_notices_failed", error: errorText(err) }));
    report.failures.push({ part: "support", error: errorText(err) });
  }
  try {
    const retention = await runRetention(env, now);
    if (retentionDidSomething(retention)) {
      report.did.retention = retention;
      console.log(JSON.stringify({ type: "retention", ...retention }));
    }
  } catch (err) {
    console.error(JSON.stringify({ type: "retention_failed", error: errorText(err) }));
    report.failures.push({ part: "retention", error: errorText(err) });
  }
  // Expired data-export archives and the weekly digest (they log their own lines).
  const privacy = await runPrivacyCron(env, now);
  if (privacy.purged) report.did.exportsPurged = privacy.purged;
  if (privacy.digestsSent) report.did.digestsSent = privacy.digestsSent;
  report.failures.push(...privacy.failures);
  try {
    const jobs = await runJobWatchdog(env, now);
    if (jobs.resent + jobs.failed > 0) report.did.jobs = jobs;
  } catch (err) {
    console.error(JSON.stringify({ type: "job_watchdog_failed", error: errorText(err) }));
    report.failures.push({ part: "jobs", error: errorText(err) });
  }
  // Workspace moves between databases (src/services/shards/): their watchdog, and once an hour the
  // databases' sizes that placement reads.
  try {
    const moves = await runMoveWatchdog(env, now);
    if (moves.resent + moves.rolledBack > 0) report.did.moves = moves;
    // People copies a request could not write (src/services/shards/mirror.ts).
    const peopleCopied = await copyStalePeople(env, now);
    if (peopleCopied) report.did.peopleCopied = peopleCopied;
    if (new Date(now).getUTCMinutes() === MEASURE_MINUTE)
      report.did.databasesMeasured = (await measureDatabases(env, createDb(env.DB), now)).length;
  } catch (err) {
    console.error(JSON.stringify({ type: "shards_cron_failed", error: errorText(err) }));
    report.failures.push({ part: "shards", error: errorText(err) });
  }
  try {
    const queued = await dispatchDueEverywhere(env, now);
    if (queued) report.did.webhooksQueued = queued;
  } catch (err) {
    console.error(JSON.stringify({ type: "webhook_sweep_failed", error: errorText(err) }));
    report.failures.push({ part: "webhooks", error: errorText(err) });
  }
  // Finished days' usage points into daily aggregates (src/services/usage/rollup.ts); usually nothing to do.
  try {
    const usageDays = await rollUpUsage(createDb(env.DB), now, usageSourceFor(env));
    if (usageDays.length > 0) {
      report.did.usageDays = usageDays;
      console.log(JSON.stringify({ type: "usage_rollup", days: usageDays }));
    }
  } catch (err) {
    console.error(JSON.stringify({ type: "usage_rollup_failed", error: errorText(err) }));
    report.failures.push({ part: "usage", error: errorText(err) });
  }
  return report;
}
