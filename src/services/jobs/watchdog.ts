/**
 * The job watchdog, run by the every-minute cron (src/cron.ts): a lost Queue message must never strand
 * a job. Every job step writes its job's `updated_at` with its progress (the heartbeat). A working job
 * whose heartbeat and last re-send are both SILENT_MS old gets its step sent again; steps are
 * idempotent, so a duplicate of a step that is in fact still running writes nothing twice. After
 * MAX_TRIES re-sends in a row without progress the job is marked failed with a plain reason; the user
 * can retry it (services/import/jobs.ts retryImport, services/privacy/archive.ts retryDataExport).
 *
 * Jobs: import_jobs (analysing → analyse or match, committing → commit, undoing → undo),
 * data_exports (queued → privacy.export) and bulk_jobs (working → contacts.bulk). Each sweep is one bounded UPDATE ... RETURNING over a
 * partial index of working jobs, so claiming is atomic and two overlapping runs never both re-send.
 */
import { and, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { SelectedFields, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { createDb, type Database } from "../../db/client";
import { bulkJobs, dataExports, importJobs } from "../../db/schema";
import type { Bindings } from "../../env";
import type { JobMessage } from "../../jobs";
import { dataExportMessage } from "../privacy/archive-requests";
import { importStepMessage } from "../import/jobs";
import { bulkJobMessage } from "../contacts/bulk-jobs";
import { databasesForRun, eachDatabase } from "../shards/databases";
import { errorText } from "../../lib/error-text";

/** A job silent this long (no progress, no re-send) is looked at. */
export const SILENT_MS = 2 * 60_000;
/** Re-sends in a row without progress before the job is failed. */
export const MAX_TRIES = 5;
/** Databases one run sweeps at most (six statements each): with more shards, they take turns. */
const DATABASES_PER_RUN = 20;
/** Jobs of each table one run re-sends or fails at most. */
const JOBS_PER_RUN = 25;
/** Messages a Queue's sendBatch takes at most. */
const QUEUE_BATCH = 100;

// The partial indexes' own conditions, written out: SQLite uses a partial index only when the query
// states its WHERE with the same constants (bound parameters would make every run scan the table).
const WORKING_IMPORT = sql`${importJobs.status} IN ('analysing', 'committing', 'undoing')`;
const WORKING_EXPORT = sql`${dataExports.status} = 'queued'`;
const WORKING_BULK = sql`${bulkJobs.status} = 'working'`;

export const WATCHDOG_IMPORT_MESSAGES = {
  analysing: `Reading the file stopped, and it did not start again after ${MAX_TRIES} tries. Nothing was imported. Retry, or upload the file again.`,
  committing: `The import stopped, and it did not start again after ${MAX_TRIES} tries. What it imported so far is kept: Retry goes on where it stopped, or undo it.`,
  undoing: `Undoing the import stopped, and it did not start again after ${MAX_TRIES} tries. What was undone so far stays undone: Retry goes on where it stopped.`,
} as const;
export const WATCHDOG_BULK_MESSAGE = `The job stopped, and it did not start again after ${MAX_TRIES} tries. What it did so far stays done: run it again from the list to finish.`;
export const WATCHDOG_EXPORT_MESSAGE = `Preparing the archive stopped, and it did not start again after ${MAX_TRIES} tries. Retry, or ask for a new copy.`;

export interface WatchdogReport {
  resent: number;
  failed: number;
}

type JobTable = typeof importJobs | typeof dataExports | typeof bulkJobs;

/** The conditions both sweeps of a table share: working, and silent since the last progress and the last re-send. */
function silent(table: JobTable, working: SQL, cutoff: number): SQL {
  return and(working, lte(table.updatedAt, cutoff), sql`coalesce(${table.watchdogAt}, 0) <= ${cutoff}`)!;
}

/** Nothing moved since the last re-send, and that was the last try. */
const exhausted = (table: JobTable) =>
  sql`(${table.watchdogSeenAt} = ${table.updatedAt} AND ${table.watchdogTries} >= ${MAX_TRIES})`;

/**
 * The jobs one sweep's UPDATE takes: the oldest JOBS_PER_RUN silent jobs matching `which`, checked again
 * on the row itself so that an overlapping run never takes the same job twice.
 */
function claimed(db: Database, table: JobTable, working: SQL, cutoff: number, which: SQL) {
  const oldest = db
    .select({ id: table.id })
    .from(table)
    .where(and(silent(table, working, cutoff), which))
    .orderBy(table.updatedAt)
    .limit(JOBS_PER_RUN);
  return and(inArray(table.id, oldest), silent(table, working, cutoff), which);
}

/** The bookkeeping of one re-send: tries count up while the heartbeat stays where it was seen. */
const resendSet = (table: JobTable, now: number) => ({
  watchdogTries: sql`CASE WHEN ${table.watchdogSeenAt} = ${table.updatedAt} THEN ${table.watchdogTries} + 1 ELSE 1 END`,
  watchdogSeenAt: sql`${table.updatedAt}`,
  watchdogAt: now,
});

/** Sends the other silent jobs of `table` again, returning `fields` of each. */
function resend<F extends SelectedFields>(db: Database, table: JobTable, working: SQL, now: number, fields: F) {
  return db
    .update(table)
    .set(resendSet(table, now))
    .where(claimed(db, table, working, now - SILENT_MS, sql`NOT ${exhausted(table)}`))
    .returning(fields);
}

/** Fails the exhausted silent jobs of `table` with `failedSet`, logging each; returns how many. */
async function giveUp<T extends JobTable>(
  db: Database,
  table: T,
  working: SQL,
  now: number,
  job: string,
  failedSet: SQLiteUpdateSetSource<T>,
) {
  const failed = await db
    .update(table)
    .set(failedSet)
    .where(claimed(db, table, working, now - SILENT_MS, exhausted(table)))
    .returning({ id: table.id, tenantId: table.tenantId });
  for (const row of failed)
    console.error(JSON.stringify({ type: "job_gave_up", job, id: row.id, tenant: row.tenantId }));
  return failed.length;
}

async function sweepImports(db: Database, now: number): Promise<{ failed: number; messages: JobMessage[] }> {
  const failed = await giveUp(db, importJobs, WORKING_IMPORT, now, "import", {
    status: "failed",
    stoppedDuring: sql`${importJobs.status}`,
    message: sql`CASE ${importJobs.status} WHEN 'analysing' THEN ${WATCHDOG_IMPORT_MESSAGES.analysing}
      WHEN 'committing' THEN ${WATCHDOG_IMPORT_MESSAGES.committing} ELSE ${WATCHDOG_IMPORT_MESSAGES.undoing} END`,
    finishedAt: now,
    updatedAt: now,
  });
  const resent = await resend(db, importJobs, WORKING_IMPORT, now, {
    id: importJobs.id,
    tenantId: importJobs.tenantId,
    status: importJobs.status,
    chunkCount: importJobs.chunkCount,
  });
  return { failed, messages: resent.map((job) => importStepMessage(job)) };
}

async function sweepExports(
  db: Database,
  now: number,
  fallbackBaseUrl: string | undefined,
): Promise<{ failed: number; messages: JobMessage[] }> {
  const failed = await giveUp(db, dataExports, WORKING_EXPORT, now, "data_export", {
    status: "failed",
    message: WATCHDOG_EXPORT_MESSAGE,
    updatedAt: now,
  });
  const resent = await resend(db, dataExports, WORKING_EXPORT, now, {
    id: dataExports.id,
    tenantId: dataExports.tenantId,
    userId: dataExports.userId,
    baseUrl: dataExports.baseUrl,
  });
  return { failed, messages: resent.map((row) => dataExportMessage(row, fallbackBaseUrl)) };
}

async function sweepBulkJobs(db: Database, now: number): Promise<{ failed: number; messages: JobMessage[] }> {
  const failed = await giveUp(db, bulkJobs, WORKING_BULK, now, "bulk", {
    status: "failed",
    message: WATCHDOG_BULK_MESSAGE,
    finishedAt: now,
    updatedAt: now,
  });
  const resent = await resend(db, bulkJobs, WORKING_BULK, now, { id: bulkJobs.id, tenantId: bulkJobs.tenantId });
  return { failed, messages: resent.map((row) => bulkJobMessage(row)) };
}

/**
 * One watchdog run at `now` (the scheduled time). Throws after doing everything it could when the
 * queue refused the re-sent steps: those jobs are tried again two minutes later.
 */
export async function runJobWatchdog(env: Bindings, now: number): Promise<WatchdogReport> {
  const messages: JobMessage[] = [];
  let failed = 0;
  // Jobs live with their workspace's records: DB and the shards whose turn it is are swept (docs/scale.md).
  await eachDatabase(env, databasesForRun(env, now, DATABASES_PER_RUN), "job_watchdog_database_failed", async (d1) => {
    const db = createDb(d1);
    for (const swept of [
      await sweepImports(db, now),
      await sweepExports(db, now, env.APP_URL),
      await sweepBulkJobs(db, now),
    ]) {
      messages.push(...swept.messages);
      failed += swept.failed;
    }
  });
  const report = { resent: messages.length, failed };
  if (messages.length) {
    console.log(JSON.stringify({ type: "job_resent", steps: messages.map((m) => m.type) }));
    try {
      // A Queue's sendBatch takes 100 messages: one run may re-send 25 jobs of three kinds on each of 20 databases.
      for (let i = 0; i < messages.length; i += QUEUE_BATCH)
        await env.JOBS.sendBatch(messages.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
    } catch (err) {
      throw new Error(`the queue refused ${messages.length} re-sent job steps: ${errorText(err, 300)}`);
    }
  }
  return report;
}
