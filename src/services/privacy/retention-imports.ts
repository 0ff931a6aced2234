/**
 * The retention job's share of imports (retention.ts runs it): an import's files in R2 after the
 * import-file period, and its record of what it changed (import_records, which undo needs) after the
 * undo period. Both mark the job when done, and both go across all workspaces, a bounded page per run.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type Budget, deletePrefix, runCounted, sweep } from "./statement-budget";

/** Import jobs whose files, or whose records, one run deletes at most. */
const IMPORT_JOBS_PER_RUN = 10;

/** Deletes the whole R2 prefix of imports older than `cutoff` (upload, chunks, error file, previews) and marks each job. */
export async function sweepImportFiles(
  db: Database,
  files: R2Bucket,
  budget: Budget,
  cutoff: number,
  now: number,
): Promise<{ jobs: number; objects: number }> {
  budget.left -= 1;
  const jobs = (
    await db.$client
      .prepare(
        `SELECT /* all tenants: imports past the file period */ id, tenant_id, file_key FROM import_jobs
          WHERE files_deleted_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?`,
      )
      .bind(cutoff, IMPORT_JOBS_PER_RUN)
      .all<{ id: string; tenant_id: string; file_key: string }>()
  ).results;
  const objects = { objects: 0 };
  let done = 0;
  for (const job of jobs) {
    if (budget.left < 4) break;
    if (!(await deletePrefix(files, budget, `${job.file_key}/`, objects))) break;
    await runCounted(
      db,
      budget,
      sql`UPDATE import_jobs SET files_deleted_at = ${now}
          WHERE tenant_id = ${job.tenant_id} AND id = ${job.id} AND files_deleted_at IS NULL`,
    );
    done += 1;
  }
  return { jobs: done, objects: objects.objects };
}

/**
 * Deletes the import_records of imports older than `cutoff`, a bounded page at a time, and marks each
 * job once it has none left. Jobs committing or undoing are left until they finish.
 */
export async function sweepImportRecords(
  db: Database,
  budget: Budget,
  chunk: number,
  cutoff: number,
  now: number,
): Promise<number> {
  budget.left -= 1;
  const jobs = (
    await db.$client
      .prepare(
        `SELECT /* all tenants: imports past the undo period */ id, tenant_id FROM import_jobs
          WHERE records_deleted_at IS NULL AND created_at < ? AND status NOT IN ('committing', 'undoing')
          ORDER BY created_at LIMIT ?`,
      )
      .bind(cutoff, IMPORT_JOBS_PER_RUN)
      .all<{ id: string; tenant_id: string }>()
  ).results;
  let deleted = 0;
  for (const job of jobs) {
    if (budget.left < 4) break;
    const n = await sweep(
      db,
      budget,
      chunk,
      sql`DELETE FROM import_records WHERE rowid IN (SELECT rowid FROM import_records
          WHERE tenant_id = ${job.tenant_id} AND import_id = ${job.id} LIMIT ${chunk})`,
    );
    deleted += n;
    const left = await db.$client
      .prepare("SELECT 1 AS x FROM import_records WHERE tenant_id = ? AND import_id = ? LIMIT 1")
      .bind(job.tenant_id, job.id)
      .first();
    budget.left -= 1;
    if (left) break;
    await runCounted(
      db,
      budget,
      sql`UPDATE import_jobs SET records_deleted_at = ${now}
          WHERE tenant_id = ${job.tenant_id} AND id = ${job.id} AND records_deleted_at IS NULL`,
    );
  }
  return deleted;
}
