/**
 * The retention job: one scheduled run (every minute, from `scheduled` in src/index.ts) that deletes
 * what has outlived its period, as the privacy page states it (src/lib/retention-periods.ts):
 *
 * - sessions idle past the inactivity timeout, expired emailed tokens, expired rate-limit windows;
 * - audit entries older than the audit period (through the sanctioned deletion of migration 0009:
 *   the job first moves the horizon in retention_state, the trigger allows only entries before it);
 * - mail older than the mail period, the whole outbox row (recipient, subject, bodies), whether it was
 *   sent, failed or still waiting for a retry;
 * - import files older than the import-file period: the job's whole R2 prefix (upload, chunks, error
 *   file, preview lists, column samples), import_jobs marked;
 * - an import's record of what it changed (import_records) after the undo period (import_jobs marked;
 *   undo ends then);
 * - the weekly digest's run records after their period;
 * - contact-page messages and consent records older than their periods;
 * - raw usage points and their daily aggregates past USAGE_RETENTION (src/services/usage/definitions.ts);
 * - ledger rows of erased workspaces past the ledger period;
 * - the API's kept answers to Idempotency-Key requests after 24 h (src/services/api/idempotency.ts);
 * - records in the trash past their 30 days (src/services/trash/), with their snapshot rows (cascade);
 * - closed workspaces whose grace period is over, erased step by step (src/services/privacy/erasure.ts).
 *
 * "Now" is the scheduled event's time, so tests move the clock. Every sweep is a bounded statement
 * repeated a bounded number of times, and the run as a whole stops at STATEMENTS_PER_RUN statements
 * (D1 allows 1,000 queries per invocation; the mail sweep shares the invocation). Every statement
 * only deletes or clears what is past its period, so a run that overlaps another, or runs twice for
 * one minute, does nothing the other would not have done.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Bindings } from "../../env";
import { createDb } from "../../db/client";
import { LONGEST_WINDOW_MS } from "../../auth/rate-limit";
import { INACTIVITY_TIMEOUT_MS } from "../../auth/session";
import { DAY_MS, retentionChunkRows, retentionPeriods } from "../../lib/retention-periods";
import { eraseTenant } from "./erasure";
import type { ErasureProgress } from "./erasure-steps";
import { erasureTargetOf } from "../shards/workspace-db";
import { sweepAuditTrail, sweepRecordsEverywhere } from "./retention-records";
import { type Budget, runCounted, sweep } from "./statement-budget";
import { USAGE_RETENTION } from "../usage/definitions";
import { isoDay } from "../usage/rollup";

/** Statements (D1 queries and R2 calls) one run may make. */
export const STATEMENTS_PER_RUN = 200;
/** Closed workspaces one run looks at. */
const TENANTS_PER_RUN = 5;

export interface RetentionReport {
  sessions: number;
  tokens: number;
  rateLimits: number;
  audit: number;
  mailBodies: number;
  importJobs: number;
  importObjects: number;
  importRecords: number;
  supportMessages: number;
  digestRuns: number;
  consentRecords: number;
  ledger: number;
  usageEvents: number;
  usageDaily: number;
  trash: number;
  webhookEvents: number;
  apiIdempotency: number;
  shardAudit: number;
  shardMail: number;
  erasures: ErasureProgress[];
  statements: number;
}

/** One run of the retention job at `now`, over the given bindings. */
export async function runRetention(
  env: Pick<Bindings, "DB" | "FILES"> & Partial<Bindings>,
  now: number,
  budget: Budget = { left: STATEMENTS_PER_RUN },
): Promise<RetentionReport> {
  const db = createDb(env.DB);
  const periods = retentionPeriods(env);
  const chunk = retentionChunkRows(env);
  const start = budget.left;
  // Each sweep deletes in chunks of `chunk` rows while the run's budget lasts.
  const sweepRows = (statement: SQL) => sweep(db, budget, chunk, statement);
  const report: RetentionReport = {
    sessions: 0,
    tokens: 0,
    rateLimits: 0,
    audit: 0,
    mailBodies: 0,
    importJobs: 0,
    importObjects: 0,
    importRecords: 0,
    supportMessages: 0,
    digestRuns: 0,
    consentRecords: 0,
    ledger: 0,
    usageEvents: 0,
    usageDaily: 0,
    trash: 0,
    webhookEvents: 0,
    apiIdempotency: 0,
    shardAudit: 0,
    shardMail: 0,
    erasures: [],
    statements: 0,
  };

  // ---- expired sign-in state ----
  // A session is over after 7 idle days (or 30 days in all, which validation enforces and which
  // this sweep catches once it has also been idle).
  report.sessions = await sweepRows(
    sql`DELETE /* all tenants: sessions past the idle timeout */ FROM sessions
        WHERE rowid IN (SELECT rowid FROM sessions
          WHERE last_active_at < ${now - INACTIVITY_TIMEOUT_MS} LIMIT ${chunk})`,
  );
  report.tokens = await sweepRows(
    sql`DELETE FROM auth_tokens
        WHERE rowid IN (SELECT rowid FROM auth_tokens WHERE expires_at < ${now} LIMIT ${chunk})`,
  );
  report.rateLimits = await sweepRows(
    sql`DELETE FROM rate_limits WHERE rowid IN (SELECT rowid FROM rate_limits
        WHERE window_start < ${now - LONGEST_WINDOW_MS} LIMIT ${chunk})`,
  );

  // ---- the audit trail: move the horizon the append-only trigger allows deletions before, then delete ----
  report.audit = await sweepAuditTrail(db, { budget, chunk, now, periods });

  // ---- mail: the whole row goes, recipient address included. Mail still pending or retrying by
  // then (the backoff gives up within a day, so only mail that was never attempted) goes unsent. ----
  const mailCutoff = now - periods.mailBodyDays * DAY_MS;
  report.mailBodies = await sweepRows(
    sql`DELETE /* all tenants: mail past the mail period */ FROM email_outbox
        WHERE rowid IN (SELECT rowid FROM email_outbox
          WHERE body_cleared_at IS NULL AND created_at < ${mailCutoff} LIMIT ${chunk})`,
  );
  // Rows an earlier version of this job only emptied (body_cleared_at set), kept for their address.
  report.mailBodies += await sweepRows(
    sql`DELETE /* all tenants: rows an earlier version only emptied */ FROM email_outbox
        WHERE rowid IN (SELECT rowid FROM email_outbox WHERE body_cleared_at IS NOT NULL LIMIT ${chunk})`,
  );

  // ---- contact-page messages, consent records, the ledger of erased workspaces ----
  report.supportMessages = await sweepRows(
    sql`DELETE FROM support_messages WHERE rowid IN (SELECT rowid FROM support_messages
        WHERE created_at < ${now - periods.supportMessageDays * DAY_MS} LIMIT ${chunk})`,
  );
  report.consentRecords = await sweepRows(
    sql`DELETE FROM consent_records WHERE rowid IN (SELECT rowid FROM consent_records
        WHERE created_at < ${now - periods.consentRecordDays * DAY_MS} LIMIT ${chunk})`,
  );
  report.ledger = await sweepRows(
    sql`DELETE /* all tenants: ledgers past their period */ FROM closed_tenant_ledger
        WHERE rowid IN (SELECT rowid FROM closed_tenant_ledger WHERE keep_until < ${now} LIMIT ${chunk})`,
  );
  // One row per week; a week's row is needed only while that week lasts.
  report.digestRuns = await runCounted(
    db,
    budget,
    sql`DELETE FROM digest_runs WHERE started_at < ${now - periods.digestRunDays * DAY_MS}`,
  );

  // ---- usage data (by UTC day): raw points after their days, the daily aggregates after their months ----
  const rawBefore = isoDay(now - USAGE_RETENTION.rawEventDays * DAY_MS);
  report.usageEvents = await sweepRows(
    sql`DELETE /* all tenants: usage points past their period */ FROM usage_events
        WHERE rowid IN (SELECT rowid FROM usage_events WHERE day < ${rawBefore} LIMIT ${chunk})`,
  );
  const dailyBefore = new Date(now);
  dailyBefore.setUTCMonth(dailyBefore.getUTCMonth() - USAGE_RETENTION.dailyAggregateMonths);
  report.usageDaily = await sweepRows(
    sql`DELETE /* all tenants: usage aggregates past their period */ FROM usage_daily
        WHERE rowid IN (SELECT rowid FROM usage_daily WHERE day < ${isoDay(dailyBefore.getTime())} LIMIT ${chunk})`,
  );
  await runCounted(db, budget, sql`DELETE FROM usage_rollups WHERE day < ${isoDay(dailyBefore.getTime())}`);

  // ---- what moves with a workspace (imports, trash, webhook log, API answers), on every database ----
  await sweepRecordsEverywhere(env, { budget, chunk, now, periods, report });

  // ---- closed workspaces past their grace period: the rest of the run ----
  budget.left -= 1;
  const due = (
    await db.$client
      .prepare(
        `SELECT id FROM tenants WHERE erase_after IS NOT NULL AND erase_after <= ? AND closed_at IS NOT NULL
          ORDER BY erase_after LIMIT ?`,
      )
      .bind(now, TENANTS_PER_RUN)
      .all<{ id: string }>()
  ).results;
  for (const { id } of due) {
    if (budget.left < 10) break;
    budget.left -= 1;
    const progress = await eraseTenant(await erasureTargetOf(env, db, id), {
      files: env.FILES,
      now,
      chunk,
      ledgerYears: periods.billingLedgerYears,
      budget,
    });
    report.erasures.push(progress);
    if (!progress.done) break;
  }

  report.statements = start - budget.left;
  return report;
}

/** Whether a report says anything happened (for the log line). */
export function retentionDidSomething(r: RetentionReport): boolean {
  return (
    r.sessions +
      r.tokens +
      r.rateLimits +
      r.audit +
      r.mailBodies +
      r.importJobs +
      r.importRecords +
      r.supportMessages +
      r.consentRecords +
      r.ledger +
      r.digestRuns +
      r.usageEvents +
      r.usageDaily +
      r.trash +
      r.webhookEvents +
      r.apiIdempotency +
      r.shardAudit +
      r.shardMail >
      0 || r.erasures.length > 0
  );
}
