/**
 * The retention job's sweeps of tables that move with their workspace (src/services/shards/tables.ts): run on
 * every database that holds workspaces' records, DB and each bound shard, within the run's one budget.
 */
import { sql } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import type { Bindings } from "../../env";
import { DAY_MS, type RetentionPeriods } from "../../lib/retention-periods";
import { IDEMPOTENCY_WINDOW_MS } from "../api/idempotency";
import { databasesForRun, eachDatabase } from "../shards/databases";
import { WEBHOOK_LOG_DAYS } from "../webhooks/log";
import { sweepImportFiles, sweepImportRecords } from "./retention-imports";
import { type Budget, runCounted, sweep } from "./statement-budget";

export interface RecordsSweepReport {
  importJobs: number;
  importObjects: number;
  importRecords: number;
  trash: number;
  webhookEvents: number;
  apiIdempotency: number;
  /** Audit entries and mail written on shards with a workspace's records (docs/scale.md, item 11). */
  shardAudit: number;
  shardMail: number;
}

/** Databases one run sweeps at most (about ten statements each): with more shards, they take turns. */
const DATABASES_PER_RUN = 8;

/** What a run's sweeps share: its statement budget, rows per statement, clock, periods, and the report they add to. */
export interface RecordsSweepContext {
  budget: Budget;
  chunk: number;
  now: number;
  periods: RetentionPeriods;
  report: RecordsSweepReport;
}

/** Sweeps the records tables of DB and of the shards whose turn it is, adding to the report. */
export async function sweepRecordsEverywhere(
  env: Pick<Bindings, "DB" | "FILES"> & Partial<Bindings>,
  ctx: RecordsSweepContext,
): Promise<void> {
  const bindings = env as Bindings;
  await eachDatabase(
    bindings,
    databasesForRun(bindings, ctx.now, DATABASES_PER_RUN),
    "retention_database_failed",
    async (db, name) => {
      if (ctx.budget.left >= 10) await sweepRecords(createDb(db), env.FILES, ctx);
      if (name !== "DB" && ctx.budget.left >= 4) await sweepWrittenWithRecords(createDb(db), ctx);
    },
  );
}

async function sweepRecords(db: Database, files: R2Bucket, ctx: RecordsSweepContext): Promise<void> {
  const { budget, chunk, now, periods, report } = ctx;
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

  // ---- signing secrets rotated out, once they no longer sign: a leaked one is not kept (nor moved with shards) ----
  await sweepRows(
    sql`UPDATE /* all tenants: rotated-out signing secrets past their overlap */ webhook_endpoints
        SET previous_secret = NULL, previous_secret_expires_at = NULL
        WHERE id IN (SELECT id FROM webhook_endpoints WHERE previous_secret_expires_at <= ${now} LIMIT ${chunk})`,
  );

  // ---- the API's kept answers (they may name people) once their 24 h of replay are over ----
  report.apiIdempotency += await sweepRows(
    sql`DELETE /* all tenants: kept API answers past their 24 h */ FROM api_idempotency
        WHERE rowid IN (SELECT rowid FROM api_idempotency WHERE created_at < ${now - IDEMPOTENCY_WINDOW_MS} LIMIT ${chunk})`,
  );
}

/**
 * Moves the horizon the audit trail's append-only trigger allows deletions before (migration 0009), then deletes
 * the entries past it: on the control database, and on each shard for the entries written there with records.
 */
export async function sweepAuditTrail(
  db: Database,
  ctx: Pick<RecordsSweepContext, "budget" | "chunk" | "now" | "periods">,
): Promise<number> {
  const { budget, chunk, now, periods } = ctx;
  const auditHorizon = now - periods.auditLogDays * DAY_MS;
  await runCounted(
    db,
    budget,
    sql`INSERT INTO retention_state (name, horizon, updated_at) VALUES ('audit_log', ${auditHorizon}, ${now})
        ON CONFLICT (name) DO UPDATE SET horizon = excluded.horizon, updated_at = excluded.updated_at`,
  );
  return sweep(
    db,
    budget,
    chunk,
    sql`DELETE /* all tenants: entries past the audit period */ FROM audit_log
        WHERE rowid IN (SELECT rowid FROM audit_log WHERE created_at < ${auditHorizon} LIMIT ${chunk})`,
  );
}

/** A shard's audit entries and mail (written there in a records change's batch), past the control database's periods. */
async function sweepWrittenWithRecords(db: Database, ctx: RecordsSweepContext): Promise<void> {
  const { budget, chunk, now, periods, report } = ctx;
  report.shardAudit += await sweepAuditTrail(db, ctx);
  report.shardMail += await sweep(
    db,
    budget,
    chunk,
    sql`DELETE /* all tenants: mail past the mail period */ FROM email_outbox
        WHERE rowid IN (SELECT rowid FROM email_outbox WHERE created_at < ${now - periods.mailBodyDays * DAY_MS} LIMIT ${chunk})`,
  );
}
