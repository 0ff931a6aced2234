/**
 * The retention job's sweeps of tables that move with their workspace (src/services/shards/tables.ts): run on
 * every database that holds workspaces' records, DB and each bound shard, within the run's one budget.
 */
import { sql } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import type { Bindings } from "../../env";
import { DAY_MS, type RetentionPeriods } from "../../lib/retention-periods";
import { IDEMPOTENCY_WINDOW_MS } from "../api/idempotency";
import { databaseOf, databasesForRun } from "../shards/databases";
import { WEBHOOK_LOG_DAYS } from "../webhooks/log";
import { sweepImportFiles, sweepImportRecords } from "./retention-imports";
import { type Budget, sweep } from "./statement-budget";

export interface RecordsSweepReport {
  importJobs: number;
  importObjects: number;
  importRecords: number;
  trash: number;
  webhookEvents: number;
  apiIdempotency: number;
}

/** Databases one run sweeps at most (about ten statements each): with more shards, they take turns. */
const DATABASES_PER_RUN = 8;

/** Sweeps the records tables of DB and of the shards whose turn it is (`control` is DB's handle), adding to `report`. */
export async function sweepRecordsEverywhere(
  env: Pick<Bindings, "DB" | "FILES"> & Partial<Bindings>,
  control: Database,
  budget: Budget,
  chunk: number,
  now: number,
  periods: RetentionPeriods,
  report: RecordsSweepReport,
): Promise<void> {
  for (const name of databasesForRun(env as Bindings, now, DATABASES_PER_RUN)) {
    if (budget.left < 10) return;
    const db = name === "DB" ? control : createDb(databaseOf(env as Bindings, name));
    try {
      await sweepRecords(db, env.FILES, budget, chunk, now, periods, report);
    } catch (err) {
      // DB failing fails the run; a shard down must not hold back the others' retention: it is logged, and
      // its next turn tries it again.
      if (name === "DB") throw err;
      console.error(JSON.stringify({ type: "retention_database_failed", database: name, error: String(err) }));
    }
  }
}

async function sweepRecords(
  db: Database,
  files: R2Bucket,
  budget: Budget,
  chunk: number,
  now: number,
  periods: RetentionPeriods,
  report: RecordsSweepReport,
): Promise<void> {
  const sweepRows = (statement: Parameters<typeof sweep>[3]) => sweep(db, budget, chunk, statement);

  // ---- import files in R2 ----
  const imports = await sweepImportFiles(db, files, budget, now - periods.importFileDays * DAY_MS, now);
  report.importJobs += imports.jobs;
  report.importObjects += imports.objects;

  // ---- what imports changed (the values before, for undo): undo ends with them ----
  report.importRecords += await sweepImportRecords(db, budget, chunk, now - periods.importUndoDays * DAY_MS, now);

  // ---- the trash: items past their 30 days, their snapshot rows with them (ON DELETE CASCADE) ----
  report.trash += await sweepRows(
    sql`DELETE /* all tenants: trash past its 30 days */ FROM trash_items
        WHERE id IN (SELECT id FROM trash_items WHERE purge_after <= ${now} LIMIT ${chunk})`,
  );

  // ---- webhook events past the delivery log's 30 days, their deliveries with them (ON DELETE CASCADE) ----
  report.webhookEvents += await sweepRows(
    sql`DELETE /* all tenants: webhook events past the delivery log's period */ FROM webhook_events
        WHERE id IN (SELECT id FROM webhook_events WHERE created_at < ${now - WEBHOOK_LOG_DAYS * DAY_MS} LIMIT ${chunk})`,
  );

  // ---- the API's kept answers (they may name people) once their 24 h of replay are over ----
  report.apiIdempotency += await sweepRows(
    sql`DELETE /* all tenants: kept API answers past their 24 h */ FROM api_idempotency
        WHERE rowid IN (SELECT rowid FROM api_idempotency WHERE created_at < ${now - IDEMPOTENCY_WINDOW_MS} LIMIT ${chunk})`,
  );
}
