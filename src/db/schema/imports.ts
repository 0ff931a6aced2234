/**
 * Imports: uploaded files, their prepared chunks, and the records each import made or changed (its undo).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenants } from "./accounts";

// An upload is stored in R2; a Queue consumer reads it (analyse: preview counts, prepared chunks
// and the error file in R2), then commits it chunk by chunk. Nothing changes on a GET.

export const IMPORT_KINDS = ["contacts", "companies", "deals"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
/**
 * analysing → ready (preview shown) → committing → done; undoing → undone. `failed`: the file as a
 * whole was refused (message says why) or the commit stopped (e.g. a plan limit) with the chunks
 * committed so far kept.
 */
export const IMPORT_STATUSES = [
  "analysing",
  "ready",
  "committing",
  "done",
  "failed",
  "undoing",
  "undone",
  "cancelled",
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const importJobs = sqliteTable(
  "import_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull(),
    fileName: text("file_name").notNull(),
    fileSize: integer("file_size").notNull(),
    /** R2 key prefix of the upload and everything derived from it; objects removed by retention. */
    fileKey: text("file_key").notNull(),
    /** "auto" or the encoding the user chose; `encoding` is the one used. */
    encodingChoice: text("encoding_choice").notNull().default("auto"),
    encoding: text("encoding"),
    delimiter: text("delimiter"),
    /** JSON: the file's header row. */
    headers: text("headers"),
    /** JSON: one target per column ("first_name", "tags", "cf:12", "" to skip). */
    mapping: text("mapping"),
    /** A deals import: the pipeline whose stages the file's stage names are (the first one unless chosen). */
    pipelineId: integer("pipeline_id"),
    totalRows: integer("total_rows").notNull().default(0),
    newCount: integer("new_count").notNull().default(0),
    updateCount: integer("update_count").notNull().default(0),
    unchangedCount: integer("unchanged_count").notNull().default(0),
    duplicateCount: integer("duplicate_count").notNull().default(0),
    invalidCount: integer("invalid_count").notNull().default(0),
    /** Empty rows between the header and the last row: counted in total_rows, so row numbers and totals agree. */
    emptyCount: integer("empty_count").notNull().default(0),
    /** Rows not imported because their email is on a contact of another name (never merged, listed for review). */
    conflictCount: integer("conflict_count").notNull().default(0),
    /** New rows that share a phone with a contact of another name: created, and listed for review. */
    possibleDuplicateCount: integer("possible_duplicate_count").notNull().default(0),
    /** Prepared chunks in R2, and how many the commit (or the undo) has finished. */
    chunkCount: integer("chunk_count").notNull().default(0),
    chunksDone: integer("chunks_done").notNull().default(0),
    createdCount: integer("created_count").notNull().default(0),
    updatedCount: integer("updated_count").notNull().default(0),
    /** JSON: what undo kept because someone edited it since ([{type, id, name, fields}]). */
    undoKept: text("undo_kept"),
    /** Why the file was refused or the commit stopped. */
    message: text("message"),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    committedAt: integer("committed_at"),
    finishedAt: integer("finished_at"),
    undoneAt: integer("undone_at"),
    /** When the retention job deleted the upload, its chunks and its error file from R2. */
    filesDeletedAt: integer("files_deleted_at"),
    /** When the retention job deleted the job's import_records (the values before): undo ends then. */
    recordsDeletedAt: integer("records_deleted_at"),
    /**
     * The job watchdog (src/services/jobs/watchdog.ts). `updated_at` is the heartbeat: every step writes
     * it in the same statement or batch as its progress. When it last re-sent a silent job's step, the
     * heartbeat it saw then, and how many times in a row it re-sent without seeing progress since.
     */
    watchdogAt: integer("watchdog_at"),
    watchdogSeenAt: integer("watchdog_seen_at"),
    watchdogTries: integer("watchdog_tries").notNull().default(0),
    /** The working status the job was in when it failed for want of progress or was cancelled (Retry goes back to it). */
    stoppedDuring: text("stopped_during", { enum: ["analysing", "committing", "undoing"] }),
  },
  (t) => [
    index("import_jobs_tenant_idx").on(t.tenantId, t.createdAt),
    // The retention job's sweep of jobs whose files are past their period, across workspaces.
    index("import_jobs_files_due_idx").on(t.filesDeletedAt, t.createdAt),
    // The same for the records undo needs.
    index("import_jobs_records_due_idx").on(t.recordsDeletedAt, t.createdAt),
    // The watchdog's sweep of working jobs by heartbeat, across workspaces: only working jobs are in it.
    index("import_jobs_working_idx").on(t.updatedAt).where(sql`status IN ('analysing', 'committing', 'undoing')`),
  ],
);

/** One row per chunk committed (or undone), written in that chunk's batch: a replayed message fails on the key. */
export const importChunks = sqliteTable(
  "import_chunks",
  {
    tenantId: text("tenant_id").notNull(),
    importId: text("import_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: ["commit", "undo"] }).notNull(),
    chunkNo: integer("chunk_no").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.phase, t.chunkNo] }),
    index("import_chunks_import_fk_idx").on(t.importId),
  ],
);

/**
 * Every record an import created or changed, with the values before and after, so undo can remove
 * what it created and restore what it changed unless someone edited it since.
 */
export const importRecords = sqliteTable(
  "import_records",
  {
    tenantId: text("tenant_id").notNull(),
    importId: text("import_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    /** A contact, company or deal; "tag" for a tag the import created (undo removes it when unused). */
    entityType: text("entity_type", { enum: ["contact", "company", "deal", "tag"] }).notNull(),
    entityId: integer("entity_id").notNull(),
    action: text("action", { enum: ["created", "updated"] }).notNull(),
    /** The file's row number (1 = the first row after the header). */
    rowNo: integer("row_no").notNull(),
    /** JSON: for "updated", the changed fields' values before; additions listed as added. */
    before: text("before"),
    /** JSON: the values the import wrote. */
    after: text("after"),
    /** The record's updated_at as the import left it: a later value means someone edited it. */
    writtenAt: integer("written_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.entityType, t.entityId] }),
    index("import_records_tenant_entity_idx").on(t.tenantId, t.entityType, t.entityId),
    index("import_records_import_fk_idx").on(t.importId),
  ],
);
export type ImportJob = typeof importJobs.$inferSelect;
export type ImportRecord = typeof importRecords.$inferSelect;
