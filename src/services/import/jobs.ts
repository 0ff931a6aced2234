/**
 * Import jobs as a user drives them: an upload in R2, a row in import_jobs, and a Queue message for
 * each step (steps.ts runs them). Every request here changes the job's status with one conditional
 * UPDATE, so two clicks, or a click racing a step, cannot both win.
 *
 *   POST /app/import   → createImport: the file to R2, the job (analysing), an "analyse" message
 *   POST …/mapping     → changeMapping: the preview again with the user's columns
 *   POST …/commit      → requestCommit: committing, a "commit" message
 *   POST …/undo        → requestUndo: undoing, an "undo" message
 *   POST …/cancel      → cancelImport; POST …/retry → retryImport (a job the watchdog gave up on)
 */
import { desc, eq, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { importJobs, type ImportJob, type ImportKind } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { newId } from "../../lib/ids";
import { importFields } from "./fields";
import { deleteImportFiles, uploadKey } from "./files";
import { validTarget } from "./mapping";
import type { EncodingChoice } from "./upload";
import { enqueue } from "../jobs/enqueue";

const send = (jobs: Queue<ImportMessage>, message: ImportMessage) => enqueue(jobs, message, message.importId);

export type ImportMessage = {
  type: "import.analyse" | "import.match" | "import.commit" | "import.undo";
  importId: string;
  tenantId: string;
};

/** Imports listed on the import page. */
export const IMPORT_HISTORY = 20;

/** What the import services reach: the workspace's database, the files, the job queue. */
export interface ImportServices {
  t: TenantDb;
  files: R2Bucket;
  jobs: Queue<ImportMessage>;
  /** Rows per chunk the analysis writes (CHUNK_ROWS unless the environment lowers it). */
  chunkRows?: number;
}

/** The message that runs a working job's current step (the watchdog and Retry send it again). */
export function importStepMessage(job: Pick<ImportJob, "id" | "tenantId" | "status" | "chunkCount">): ImportMessage {
  const type =
    job.status === "committing"
      ? "import.commit"
      : job.status === "undoing"
        ? "import.undo"
        : job.chunkCount > 0
          ? "import.match"
          : "import.analyse";
  return { type, importId: job.id, tenantId: job.tenantId };
}

export async function getImport(t: TenantDb, id: string): Promise<ImportJob | null> {
  const [job] = await t.db
    .select()
    .from(importJobs)
    .where(t.where(importJobs, eq(importJobs.id, id)))
    .limit(1);
  return job ?? null;
}

export async function listImports(t: TenantDb): Promise<ImportJob[]> {
  return t.db
    .select()
    .from(importJobs)
    .where(t.where(importJobs))
    .orderBy(desc(importJobs.createdAt))
    .limit(IMPORT_HISTORY);
}

/** Moves a job on from the status `from` (done, undone, failed), unless it has moved on meanwhile. */
export async function moveImportOn(
  t: TenantDb,
  job: Pick<ImportJob, "id">,
  from: ImportJob["status"],
  values: SQLiteUpdateSetSource<typeof importJobs>,
): Promise<void> {
  await t.update(importJobs, values, eq(importJobs.id, job.id), eq(importJobs.status, from));
}

/** A job stops (a failure the user reads), unless it has moved on since it was read. */
export async function failImport(t: TenantDb, job: ImportJob, message: string, now: number): Promise<void> {
  await moveImportOn(t, job, job.status, { status: "failed", message, finishedAt: now, updatedAt: now });
}

/** Stores the upload and starts the analysis. The caller has checked the size and that it is a file. */
export async function createImport(
  s: ImportServices,
  input: {
    actorId: string;
    kind: ImportKind;
    fileName: string;
    bytes: ArrayBuffer;
    encodingChoice: EncodingChoice;
    now: number;
    /** A deals import: the pipeline its stage names are in (null: the workspace's first). */
    pipelineId?: number | null;
  },
): Promise<string> {
  const id = newId();
  const tenantId = s.t.tenantId;
  const fileKey = `imports/${tenantId}/${id}`;
  await s.files.put(uploadKey({ fileKey }), input.bytes, { customMetadata: { tenantId, importId: id } });
  await s.t.insert(importJobs, {
    id,
    kind: input.kind,
    status: "analysing",
    fileName: input.fileName.slice(0, 200),
    fileSize: input.bytes.byteLength,
    fileKey,
    encodingChoice: input.encodingChoice,
    pipelineId: input.kind === "deals" ? (input.pipelineId ?? null) : null,
    createdBy: input.actorId,
    createdAt: input.now,
    updatedAt: input.now,
  });
  await send(s.jobs, { type: "import.analyse", importId: id, tenantId });
  return id;
}

export type MappingResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" | "invalid" };

/** A new column mapping (and encoding): the preview is worked out again. Only before the import is committed. */
export async function changeMapping(
  s: ImportServices,
  id: string,
  mapping: string[],
  encodingChoice: EncodingChoice,
  now: number,
): Promise<MappingResult> {
  const job = await getImport(s.t, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status !== "ready") return { ok: false, reason: "conflict" };
  const headers = JSON.parse(job.headers ?? "[]") as string[];
  const fields = await importFields(s.t, job.kind);
  if (mapping.length !== headers.length || !mapping.every((m) => validTarget(job.kind, m, fields)))
    return { ok: false, reason: "invalid" };
  const [updated] = await s.t
    .update(
      importJobs,
      {
        status: "analysing",
        mapping: JSON.stringify(mapping),
        encodingChoice,
        chunkCount: 0,
        chunksDone: 0,
        totalRows: 0,
        newCount: 0,
        updateCount: 0,
        unchangedCount: 0,
        duplicateCount: 0,
        invalidCount: 0,
        emptyCount: 0,
        conflictCount: 0,
        possibleDuplicateCount: 0,
        message: null,
        updatedAt: now,
      },
      eq(importJobs.id, id),
      eq(importJobs.status, "ready"),
    )
    .returning({ id: importJobs.id });
  if (!updated) return { ok: false, reason: "conflict" };
  await send(s.jobs, { type: "import.analyse", importId: id, tenantId: s.t.tenantId });
  return { ok: true };
}

export type StartResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" | "busy" };

/** No other import of the tenant commits or undoes (see requestCommit). */
const noOtherRunning = (t: TenantDb) =>
  sql`NOT EXISTS (SELECT 1 FROM import_jobs o WHERE o.tenant_id = ${t.tenantId} AND o.status IN ('committing', 'undoing'))`;

/**
 * Starts the commit (a second click while it runs is a no-op: a stalled one is the watchdog's). One
 * import at a time per tenant commits or undoes: each chunk is planned against the records as they
 * are, and two imports planning at once could both create the same person.
 */
export async function requestCommit(s: ImportServices, id: string, now: number): Promise<StartResult> {
  const job = await getImport(s.t, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status === "committing") return { ok: true };
  if (job.status !== "ready") return { ok: false, reason: "conflict" };
  const [started] = await s.t
    .update(
      importJobs,
      { status: "committing", chunksDone: 0, committedAt: now, updatedAt: now },
      eq(importJobs.id, id),
      eq(importJobs.status, "ready"),
      noOtherRunning(s.t),
    )
    .returning({ id: importJobs.id });
  if (!started) return { ok: false, reason: (await getImport(s.t, id))?.status === "ready" ? "busy" : "conflict" };
  await send(s.jobs, { type: "import.commit", importId: id, tenantId: s.t.tenantId });
  return { ok: true };
}

/** Whether an import has written anything that undo could take back (a stopped or cancelled one included). */
export function canUndo(job: ImportJob): boolean {
  return (
    (job.status === "done" || ((job.status === "failed" || job.status === "cancelled") && job.committedAt !== null)) &&
    job.createdCount + job.updatedCount > 0 &&
    job.recordsDeletedAt === null
  );
}

/** Starts undoing a committed import; an undo that was cancelled or stopped goes on from its last page. */
export async function requestUndo(s: ImportServices, id: string, now: number): Promise<StartResult> {
  const job = await getImport(s.t, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status === "undoing") return { ok: true };
  if (!canUndo(job)) return { ok: false, reason: "conflict" };
  // Undo pages are keyed by number in import_chunks, so a resumed undo must not count from 0 again.
  const resume = job.stoppedDuring === "undoing";
  const [started] = await s.t
    .update(
      importJobs,
      {
        status: "undoing",
        chunksDone: resume ? job.chunksDone : 0,
        undoKept: resume ? job.undoKept : null,
        ...restarted(now),
      },
      eq(importJobs.id, id),
      eq(importJobs.status, job.status),
      noOtherRunning(s.t),
    )
    .returning({ id: importJobs.id });
  if (!started) return { ok: false, reason: "busy" };
  await send(s.jobs, { type: "import.undo", importId: id, tenantId: s.t.tenantId });
  return { ok: true };
}

/** What a job going back to work starts with: no failure, and a fresh watchdog count. */
function restarted(now: number) {
  return {
    message: null,
    stoppedDuring: null,
    finishedAt: null,
    watchdogAt: null,
    watchdogSeenAt: null,
    watchdogTries: 0,
    updatedAt: now,
  };
}

export type StopResult = { ok: true; status: ImportJob["status"] } | { ok: false; reason: "not_found" | "conflict" };

/**
 * Cancels a working import. Reading the file: nothing was written, and the upload and whatever the
 * analysis prepared are deleted. Importing: the chunks already written stay (each landed whole; the
 * one being written when the user cancelled may still land) and undo takes them back. Undoing: what
 * was undone stays undone, and Undo goes on from there.
 */
export async function cancelImport(s: ImportServices, id: string, now: number): Promise<StopResult> {
  const job = await getImport(s.t, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status !== "analysing" && job.status !== "committing" && job.status !== "undoing")
    return { ok: false, reason: "conflict" };
  const analysing = job.status === "analysing";
  const [cancelled] = await s.t
    .update(
      importJobs,
      {
        status: "cancelled",
        stoppedDuring: job.status,
        finishedAt: now,
        updatedAt: now,
        ...(analysing ? { filesDeletedAt: now } : {}),
      },
      eq(importJobs.id, id),
      eq(importJobs.status, job.status),
    )
    .returning({ id: importJobs.id });
  if (!cancelled) return { ok: false, reason: "conflict" };
  // An analysis still running when it sees the cancellation deletes what it wrote after this (see analyse).
  if (analysing) await deleteImportFiles(s.files, job);
  return { ok: true, status: job.status };
}

/**
 * Puts an import the watchdog gave up on back to work where it stopped. Committing and undoing wait
 * for the tenant's other import, as when they start; reading needs the upload still stored.
 */
export async function retryImport(
  s: ImportServices,
  id: string,
  now: number,
): Promise<StopResult | { ok: false; reason: "busy" }> {
  const job = await getImport(s.t, id);
  if (!job) return { ok: false, reason: "not_found" };
  const to = job.stoppedDuring;
  if (job.status !== "failed" || !to || (to !== "undoing" && job.filesDeletedAt !== null))
    return { ok: false, reason: "conflict" };
  const [retried] = await s.t
    .update(
      importJobs,
      { status: to, ...restarted(now) },
      eq(importJobs.id, id),
      eq(importJobs.status, "failed"),
      ...(to === "analysing" ? [] : [noOtherRunning(s.t)]),
    )
    .returning({ id: importJobs.id });
  if (!retried) return { ok: false, reason: "busy" };
  await send(s.jobs, importStepMessage({ ...job, status: to }));
  return { ok: true, status: to };
}

/** Whether the match step's review lists (review.ts) are complete and stored for this import. */
export function hasReview(job: ImportJob): boolean {
  const matched =
    job.chunkCount > 0 && job.status !== "analysing" && !(job.status === "failed" && job.committedAt === null);
  // Deals always: their lists include the companies and contacts a file names that the workspace lacks; a file
  // with an owner column lists the owners no member goes by.
  const owners = (job.mapping ?? "").includes('"owner"');
  const listed = job.kind === "deals" || owners || job.updateCount + job.possibleDuplicateCount + job.conflictCount > 0;
  return matched && job.filesDeletedAt === null && listed;
}
