/**
 * Import jobs: an upload in R2, a row in import_jobs, and Queue steps that do the work.
 *
 *   POST /app/import      → createImport: the file to R2, the job (analysing), an "analyse" message
 *   analyse               → reads the file once: header, mapping, each row checked; valid rows in
 *                           prepared chunks, refused rows in errors.csv, column samples, all in R2
 *   match (n steps)       → each chunk planned against the tenant's records: the preview's counts
 *                           and review lists (import-review.ts)
 *   POST …/commit         → requestCommit: committing, a "commit" message
 *   commit (n steps)      → each chunk written in one batch (import-write.ts)
 *   POST …/undo           → requestUndo: undoing, an "undo" message
 *   undo (n steps)        → a page of records per batch (import-undo.ts)
 *
 * A step does a bounded amount of work and sends the next message itself; each write is keyed, so
 * a message delivered twice, or a step that died halfway, resumes where the job stopped. A lost
 * message is re-sent by the job watchdog (job-watchdog.ts) once the job has been silent for two
 * minutes; the user can cancel a working job, and retry one the watchdog gave up on.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import { runRawBatch } from "../../db/raw-batch";
import { importJobs, memberships, tenants, users, type ImportJob, type ImportKind } from "../../db/schema";
import type { Bindings } from "../../env";
import Papa from "papaparse";
import { CSV_BOM, csvRow } from "../../lib/csv";
import { newId } from "../../lib/ids";
import { billingConfig } from "../../lib/stripe";
import { tenantRegion } from "../records/workspace";
import { listCustomFields } from "../records/custom-fields";
import {
  autoMapping,
  companyFromRow,
  contactFromRow,
  decodeUpload,
  detectDelimiter,
  IMPORT_MAX_ROWS,
  matchKeys,
  parseCsv,
  validTarget,
  type CompanyRecord,
  type ContactRecord,
  type EncodingChoice,
  type RowContext,
} from "./parse";
import {
  addToHead,
  collectSamples,
  emptyHead,
  resetReview,
  reviewHead,
  saveChunkReview,
  saveReviewHead,
  saveSamples,
} from "./review";
import { planUndoPage, type KeptList } from "./undo";
import { CHUNK_ROWS, commitChunk, planCompanyChunk, planContactChunk, type ChunkContext, type ChunkRow } from "./write";

export type ImportMessage = {
  type: "import.analyse" | "import.match" | "import.commit" | "import.undo";
  importId: string;
  tenantId: string;
};

/** How long one step may work before it hands over to the next message. */
const STEP_MS = 15_000;
/** Chunks per step: about 25 batches of ~20 statements, well inside D1's 1,000 queries per invocation. */
const STEP_CHUNKS = 25;
/** Rows the analysis looks at for each column's sample values (a column empty in all of them shows none). */
const SAMPLE_ROWS = 200;
/** Imports listed on the import page. */
export const IMPORT_HISTORY = 20;

const uploadKey = (job: Pick<ImportJob, "fileKey">) => `${job.fileKey}/upload`;
const chunkKey = (job: Pick<ImportJob, "fileKey">, i: number) => `${job.fileKey}/chunk-${i}.json`;
export const errorsKey = (job: Pick<ImportJob, "fileKey">) => `${job.fileKey}/errors.csv`;

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

/**
 * Sends a step's message after its job row is written. A queue that refuses it does not fail the
 * request: the job is there, and the watchdog sends its step again once it has been silent.
 */
async function enqueue(jobs: Queue<ImportMessage>, message: ImportMessage): Promise<void> {
  try {
    await jobs.send(message);
  } catch (err) {
    console.error(
      JSON.stringify({
        type: "job_send_failed",
        job: message.type,
        id: message.importId,
        error: String(err).slice(0, 300),
      }),
    );
  }
}

export interface ImportServices {
  db: Database;
  files: R2Bucket;
  jobs: Queue<ImportMessage>;
}

export async function getImport(db: Database, tenantId: string, id: string): Promise<ImportJob | null> {
  const [job] = await db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id)))
    .limit(1);
  return job ?? null;
}

export async function listImports(db: Database, tenantId: string): Promise<ImportJob[]> {
  return db
    .select()
    .from(importJobs)
    .where(eq(importJobs.tenantId, tenantId))
    .orderBy(desc(importJobs.createdAt))
    .limit(IMPORT_HISTORY);
}

/** Stores the upload and starts the analysis. The caller has checked the size and that it is a file. */
export async function createImport(
  s: ImportServices,
  input: {
    tenantId: string;
    actorId: string;
    kind: ImportKind;
    fileName: string;
    bytes: ArrayBuffer;
    encodingChoice: EncodingChoice;
    now: number;
  },
): Promise<string> {
  const id = newId();
  const fileKey = `imports/${input.tenantId}/${id}`;
  await s.files.put(`${fileKey}/upload`, input.bytes, { customMetadata: { tenantId: input.tenantId, importId: id } });
  await s.db.insert(importJobs).values({
    id,
    tenantId: input.tenantId,
    kind: input.kind,
    status: "analysing",
    fileName: input.fileName.slice(0, 200),
    fileSize: input.bytes.byteLength,
    fileKey,
    encodingChoice: input.encodingChoice,
    createdBy: input.actorId,
    createdAt: input.now,
    updatedAt: input.now,
  });
  await enqueue(s.jobs, { type: "import.analyse", importId: id, tenantId: input.tenantId });
  return id;
}

export type MappingResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" | "invalid" };

/** A new column mapping (and encoding): the preview is worked out again. Only before the import is committed. */
export async function changeMapping(
  s: ImportServices,
  tenantId: string,
  id: string,
  mapping: string[],
  encodingChoice: EncodingChoice,
  now: number,
): Promise<MappingResult> {
  const job = await getImport(s.db, tenantId, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status !== "ready") return { ok: false, reason: "conflict" };
  const headers = JSON.parse(job.headers ?? "[]") as string[];
  const fields = await listCustomFields(scoped(s.db, tenantId), job.kind === "contacts" ? "contact" : "company");
  if (mapping.length !== headers.length || !mapping.every((m) => validTarget(job.kind, m, fields)))
    return { ok: false, reason: "invalid" };
  const [updated] = await s.db
    .update(importJobs)
    .set({
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
    })
    .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id), eq(importJobs.status, "ready")))
    .returning({ id: importJobs.id });
  if (!updated) return { ok: false, reason: "conflict" };
  await enqueue(s.jobs, { type: "import.analyse", importId: id, tenantId });
  return { ok: true };
}

export type StartResult = { ok: true } | { ok: false; reason: "not_found" | "conflict" | "busy" };

/** No other import of the tenant commits or undoes (see requestCommit). */
const noOtherRunning = (tenantId: string) =>
  sql`NOT EXISTS (SELECT 1 FROM import_jobs o WHERE o.tenant_id = ${tenantId} AND o.status IN ('committing', 'undoing'))`;

/**
 * Starts the commit (a second click while it runs is a no-op: a stalled one is the watchdog's). One
 * import at a time per tenant commits or undoes: each chunk is planned against the records as they
 * are, and two imports planning at once could both create the same person.
 */
export async function requestCommit(
  s: ImportServices,
  tenantId: string,
  id: string,
  now: number,
): Promise<StartResult> {
  const job = await getImport(s.db, tenantId, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status === "committing") return { ok: true };
  if (job.status !== "ready") return { ok: false, reason: "conflict" };
  const [started] = await s.db
    .update(importJobs)
    .set({ status: "committing", chunksDone: 0, committedAt: now, updatedAt: now })
    .where(
      and(
        eq(importJobs.tenantId, tenantId),
        eq(importJobs.id, id),
        eq(importJobs.status, "ready"),
        noOtherRunning(tenantId),
      ),
    )
    .returning({ id: importJobs.id });
  if (!started)
    return { ok: false, reason: (await getImport(s.db, tenantId, id))?.status === "ready" ? "busy" : "conflict" };
  await enqueue(s.jobs, { type: "import.commit", importId: id, tenantId });
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
export async function requestUndo(s: ImportServices, tenantId: string, id: string, now: number): Promise<StartResult> {
  const job = await getImport(s.db, tenantId, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status === "undoing") return { ok: true };
  if (!canUndo(job)) return { ok: false, reason: "conflict" };
  // Undo pages are keyed by number in import_chunks, so a resumed undo must not count from 0 again.
  const resume = job.stoppedDuring === "undoing";
  const [started] = await s.db
    .update(importJobs)
    .set({
      status: "undoing",
      chunksDone: resume ? job.chunksDone : 0,
      undoKept: resume ? job.undoKept : null,
      ...restarted(now),
    })
    .where(
      and(
        eq(importJobs.tenantId, tenantId),
        eq(importJobs.id, id),
        eq(importJobs.status, job.status),
        noOtherRunning(tenantId),
      ),
    )
    .returning({ id: importJobs.id });
  if (!started) return { ok: false, reason: "busy" };
  await enqueue(s.jobs, { type: "import.undo", importId: id, tenantId });
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

/** Deletes an import's objects in R2 (the upload, its chunks and error file). */
async function deleteImportFiles(files: R2Bucket, job: Pick<ImportJob, "fileKey">): Promise<void> {
  for (;;) {
    const page = await files.list({ prefix: `${job.fileKey}/`, limit: 1000 });
    if (page.objects.length) await files.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
  }
}

export type StopResult = { ok: true; status: ImportJob["status"] } | { ok: false; reason: "not_found" | "conflict" };

/**
 * Cancels a working import. Reading the file: nothing was written, and the upload and whatever the
 * analysis prepared are deleted. Importing: the chunks already written stay (each landed whole; the
 * one being written when the user cancelled may still land) and undo takes them back. Undoing: what
 * was undone stays undone, and Undo goes on from there.
 */
export async function cancelImport(s: ImportServices, tenantId: string, id: string, now: number): Promise<StopResult> {
  const job = await getImport(s.db, tenantId, id);
  if (!job) return { ok: false, reason: "not_found" };
  if (job.status !== "analysing" && job.status !== "committing" && job.status !== "undoing")
    return { ok: false, reason: "conflict" };
  const analysing = job.status === "analysing";
  const [cancelled] = await s.db
    .update(importJobs)
    .set({
      status: "cancelled",
      stoppedDuring: job.status,
      finishedAt: now,
      updatedAt: now,
      ...(analysing ? { filesDeletedAt: now } : {}),
    })
    .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id), eq(importJobs.status, job.status)))
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
  tenantId: string,
  id: string,
  now: number,
): Promise<StopResult | { ok: false; reason: "busy" }> {
  const job = await getImport(s.db, tenantId, id);
  if (!job) return { ok: false, reason: "not_found" };
  const to = job.stoppedDuring;
  if (job.status !== "failed" || !to || (to !== "undoing" && job.filesDeletedAt !== null))
    return { ok: false, reason: "conflict" };
  const [retried] = await s.db
    .update(importJobs)
    .set({ status: to, ...restarted(now) })
    .where(
      and(
        eq(importJobs.tenantId, tenantId),
        eq(importJobs.id, id),
        eq(importJobs.status, "failed"),
        ...(to === "analysing" ? [] : [noOtherRunning(tenantId)]),
      ),
    )
    .returning({ id: importJobs.id });
  if (!retried) return { ok: false, reason: "busy" };
  await enqueue(s.jobs, importStepMessage({ ...job, status: to }));
  return { ok: true, status: to };
}

/** The first skipped rows of an import (row number and reason), for its page: at most `limit`, read from the error file's start. */
export async function firstProblems(
  files: R2Bucket,
  job: ImportJob,
  limit = 10,
): Promise<{ row: string; reason: string }[]> {
  if (job.invalidCount + job.duplicateCount === 0 || job.filesDeletedAt !== null) return [];
  const head = await files.get(errorsKey(job), { range: { offset: 0, length: 64 * 1024 } });
  if (!head) return [];
  const rows = Papa.parse<string[]>((await head.text()).replace(/^\uFEFF/, ""), {
    header: false,
    preview: limit + 1,
  }).data;
  return rows
    .slice(1)
    .filter((r) => r.length >= 2 && /^\d+$/.test(r[0] ?? ""))
    .map((r) => ({ row: r[0]!, reason: r[1]! }));
}

/** Whether the match step's review lists (import-review.ts) are complete and stored for this import. */
export function hasReview(job: ImportJob): boolean {
  const matched =
    job.chunkCount > 0 && job.status !== "analysing" && !(job.status === "failed" && job.committedAt === null);
  return matched && job.filesDeletedAt === null && job.updateCount + job.possibleDuplicateCount + job.conflictCount > 0;
}

/** The error file of an import, or null when it has none (or retention removed it). */
export async function errorFile(files: R2Bucket, job: ImportJob): Promise<R2ObjectBody | null> {
  if (job.invalidCount + job.duplicateCount === 0 || job.filesDeletedAt !== null) return null;
  return files.get(errorsKey(job));
}

// ---- steps ---------------------------------------------------------------------------------------

/** The queue consumer's entry for import messages. */
export async function runImportStep(env: Bindings, message: ImportMessage, now: number): Promise<void> {
  const s: ImportServices = { db: createDb(env.DB), files: env.FILES, jobs: env.JOBS as Queue<ImportMessage> };
  const job = await getImport(s.db, message.tenantId, message.importId);
  if (!job) return; // deleted with its tenant
  // A closed workspace is locked: its imports stop (and are erased with it after the grace period).
  const [tenant] = await s.db
    .select({ closedAt: tenants.closedAt })
    .from(tenants)
    .where(eq(tenants.id, job.tenantId))
    .limit(1);
  if (!tenant || tenant.closedAt !== null) {
    if (tenant && ["analysing", "committing", "undoing"].includes(job.status))
      await fail(s.db, job, "The workspace was closed, so the import stopped.", now);
    return;
  }
  // A step stops after its time or its number of chunks, whichever comes first, and hands over.
  const started = Date.now();
  const maxChunks = Number(env.IMPORT_STEP_CHUNKS) > 0 ? Number(env.IMPORT_STEP_CHUNKS) : STEP_CHUNKS;
  let used = 0;
  const budget = () => used++ < maxChunks && Date.now() - started < STEP_MS;
  switch (message.type) {
    case "import.analyse":
      return analyse(s, job, now);
    case "import.match":
      return match(s, job, now, budget, env.SUPPRESSION_KEY);
    case "import.commit":
      return commit(s, job, now, budget, billingConfig(env).limits?.contacts ?? null, env.SUPPRESSION_KEY);
    case "import.undo":
      return undo(s, job, now, budget);
  }
}

async function fail(db: Database, job: ImportJob, message: string, now: number): Promise<void> {
  await db
    .update(importJobs)
    .set({ status: "failed", message, finishedAt: now, updatedAt: now })
    .where(and(eq(importJobs.tenantId, job.tenantId), eq(importJobs.id, job.id), eq(importJobs.status, job.status)));
}

async function chunkContext(
  db: Database,
  job: ImportJob,
  actorId: string | null,
  freeMaxContacts: number | null,
  suppressionKey: string | undefined,
): Promise<ChunkContext> {
  const [fields, members] = await Promise.all([
    listCustomFields(scoped(db, job.tenantId), job.kind === "contacts" ? "contact" : "company"),
    db
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, job.tenantId)),
  ]);
  return {
    tenantId: job.tenantId,
    importId: job.id,
    actorId,
    owners: new Map(members.map((m) => [m.email, m.id])),
    fields,
    freeMaxContacts,
    suppressionKey,
  };
}

/** Reads the whole file once: header, mapping, every row checked; valid rows into chunks, the rest into errors.csv. */
async function analyse(s: ImportServices, job: ImportJob, now: number): Promise<void> {
  if (job.status !== "analysing" || job.chunkCount > 0) return;
  const object = await s.files.get(uploadKey(job));
  if (!object) return fail(s.db, job, "The uploaded file is no longer stored. Upload it again.", now);
  const decoded = decodeUpload(new Uint8Array(await object.arrayBuffer()), job.encodingChoice as EncodingChoice);
  if (!decoded.ok) return fail(s.db, job, decoded.message, now);
  const delimiter = detectDelimiter(decoded.text);
  const [fields, region] = await Promise.all([
    listCustomFields(scoped(s.db, job.tenantId), job.kind === "contacts" ? "contact" : "company"),
    tenantRegion(scoped(s.db, job.tenantId)),
  ]);

  let ctx: RowContext | null = null;
  const valid: ChunkRow<ContactRecord | CompanyRecord>[] = [];
  const errors: string[][] = [];
  const seen = new Map<string, number>();
  const samples: string[][] = [];
  let wantSamples = true;
  let total = 0;
  let empty = 0;
  // Empty rows count (row numbers count them) unless nothing follows them, like a final line break.
  let emptyPending = 0;
  let duplicates = 0;
  let invalid = 0;
  let tooMany = false;
  const header = parseCsv(decoded.text, delimiter, (cells, rowNo, headers) => {
    ctx ??= {
      headers,
      mapping: job.mapping ? (JSON.parse(job.mapping) as string[]) : autoMapping(job.kind, headers, fields),
      fields,
      region,
    };
    const result = job.kind === "contacts" ? contactFromRow(cells, ctx) : companyFromRow(cells, ctx);
    if (result.ok === "empty") {
      emptyPending += 1;
      return;
    }
    empty += emptyPending;
    emptyPending = 0;
    total += 1;
    if (wantSamples) wantSamples = total < SAMPLE_ROWS && collectSamples(samples, cells);
    if (total > IMPORT_MAX_ROWS) {
      tooMany = true;
      return false;
    }
    if (result.ok === false) {
      invalid += 1;
      errors.push([String(rowNo), result.reason, ...cells]);
      return;
    }
    // Inside a file, rows are one person by email, or by phone and the same name (matchKeys).
    const keys = matchKeys(job.kind, result.record);
    const same = keys.find((k) => seen.has(k));
    if (same !== undefined) {
      duplicates += 1;
      const what = same.startsWith("e:")
        ? "email"
        : same.startsWith("p:")
          ? "phone and name"
          : same.startsWith("d:")
            ? "domain"
            : job.kind === "contacts"
              ? "name, and no email or phone"
              : "name";
      errors.push([String(rowNo), `Duplicate of row ${seen.get(same)} (same ${what}); skipped.`, ...cells]);
      return;
    }
    for (const k of keys) seen.set(k, rowNo);
    valid.push({ n: rowNo, r: result.record });
  });
  if (header.length === 0) return fail(s.db, job, "The file has no header row.", now);
  if (tooMany)
    return fail(
      s.db,
      job,
      `The file has more than ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows. Split it into smaller files.`,
      now,
    );
  const mapping = ctx ? (ctx as RowContext).mapping : autoMapping(job.kind, header, fields);

  const chunkCount = Math.ceil(valid.length / CHUNK_ROWS);
  await Promise.all([resetReview(s.files, job), saveSamples(s.files, job, samples)]);
  for (let i = 0; i < chunkCount; i += 1) {
    await s.files.put(chunkKey(job, i), JSON.stringify(valid.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS)));
  }
  if (errors.length) {
    // The rows as they were, after the row number and the reason; formula-like cells neutralised.
    const csv = [["Row", "Reason", ...header], ...errors].map(csvRow).join("");
    await s.files.put(errorsKey(job), CSV_BOM + csv, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
  }
  const [updated] = await s.db
    .update(importJobs)
    .set({
      status: chunkCount === 0 ? "ready" : "analysing",
      encoding: decoded.encoding,
      delimiter,
      headers: JSON.stringify(header),
      mapping: JSON.stringify(mapping),
      totalRows: total + empty,
      emptyCount: empty,
      duplicateCount: duplicates,
      invalidCount: invalid,
      chunkCount,
      chunksDone: 0,
      updatedAt: now,
    })
    // As read at the start: a duplicate delivery that finished first, or a cancellation, wins.
    .where(
      and(
        eq(importJobs.tenantId, job.tenantId),
        eq(importJobs.id, job.id),
        eq(importJobs.status, "analysing"),
        eq(importJobs.chunkCount, 0),
        eq(importJobs.updatedAt, job.updatedAt),
      ),
    )
    .returning({ id: importJobs.id });
  if (!updated) {
    // Cancelled while this step wrote its chunks: they go too (the cancellation deleted what was there then).
    if ((await getImport(s.db, job.tenantId, job.id))?.status === "cancelled") await deleteImportFiles(s.files, job);
    return;
  }
  if (chunkCount > 0) await s.jobs.send({ type: "import.match", importId: job.id, tenantId: job.tenantId });
}

async function readChunk(
  s: ImportServices,
  job: ImportJob,
  i: number,
): Promise<ChunkRow<ContactRecord>[] | ChunkRow<CompanyRecord>[]> {
  const object = await s.files.get(chunkKey(job, i));
  if (!object) throw new Error(`import ${job.id}: chunk ${i} is missing`);
  return JSON.parse(await object.text());
}

/** The preview: each chunk planned (not written) against the tenant's records as they are now. */
async function match(
  s: ImportServices,
  job: ImportJob,
  now: number,
  budget: () => boolean,
  suppressionKey: string | undefined,
): Promise<void> {
  if (job.status !== "analysing" || job.chunkCount === 0) return;
  const ctx = await chunkContext(s.db, job, job.createdBy, null, suppressionKey);
  let done = job.chunksDone;
  // The first REVIEW_LISTED of each review list, for the page (import-review.ts).
  const head = done > 0 ? await reviewHead(s.files, job, done) : emptyHead();
  const headFrom = head.chunks;
  while (done < job.chunkCount && budget()) {
    const rows = await readChunk(s, job, done);
    const plan =
      job.kind === "contacts"
        ? await planContactChunk(s.db, ctx, done, rows as ChunkRow<ContactRecord>[], now)
        : await planCompanyChunk(s.db, ctx, done, rows as ChunkRow<CompanyRecord>[], now);
    await saveChunkReview(s.files, job, done, plan.review);
    const [moved] = await s.db
      .update(importJobs)
      .set({
        newCount: sql`${importJobs.newCount} + ${plan.creates}`,
        updateCount: sql`${importJobs.updateCount} + ${plan.updates}`,
        unchangedCount: sql`${importJobs.unchangedCount} + ${plan.unchanged}`,
        duplicateCount: sql`${importJobs.duplicateCount} + ${plan.duplicates}`,
        conflictCount: sql`${importJobs.conflictCount} + ${plan.conflicts}`,
        possibleDuplicateCount: sql`${importJobs.possibleDuplicateCount} + ${plan.possibleDuplicates}`,
        chunksDone: done + 1,
        status: done + 1 === job.chunkCount ? "ready" : "analysing",
        updatedAt: now,
      })
      .where(
        and(
          eq(importJobs.tenantId, job.tenantId),
          eq(importJobs.id, job.id),
          eq(importJobs.status, "analysing"),
          eq(importJobs.chunksDone, done),
        ),
      )
      .returning({ id: importJobs.id });
    if (!moved) return; // another delivery of this step got there first, or the mapping changed
    done += 1;
    addToHead(head, plan.review, done);
  }
  if (head.chunks > headFrom) await saveReviewHead(s.files, job, head);
  if (done < job.chunkCount) await s.jobs.send({ type: "import.match", importId: job.id, tenantId: job.tenantId });
}

async function commit(
  s: ImportServices,
  job: ImportJob,
  now: number,
  budget: () => boolean,
  freeMaxContacts: number | null,
  suppressionKey: string | undefined,
): Promise<void> {
  if (job.status !== "committing") return;
  const ctx = await chunkContext(s.db, job, job.createdBy, freeMaxContacts, suppressionKey);
  let done = job.chunksDone;
  while (done < job.chunkCount && budget()) {
    // Cancelled between chunks: what is written stays, nothing more is.
    if (done > job.chunksDone && (await getImport(s.db, job.tenantId, job.id))?.status !== "committing") return;
    const rows = await readChunk(s, job, done);
    const outcome = await commitChunk(s.db, job.kind, ctx, done, rows, Date.now());
    if (!outcome.ok && outcome.reason === "replayed") {
      // Written by an earlier delivery: carry on from where the job says it is.
      const fresh = await getImport(s.db, job.tenantId, job.id);
      if (fresh?.status !== "committing" || fresh.chunksDone <= done) return;
      done = fresh.chunksDone;
      continue;
    }
    if (!outcome.ok) {
      const imported = done * CHUNK_ROWS;
      return fail(
        s.db,
        job,
        `The Free plan holds ${outcome.error.max.toLocaleString("en-US")} contacts. The import stopped there${imported ? ` after about ${imported.toLocaleString("en-US")} rows` : ""}; upgrade to import the rest, or undo it.`,
        now,
      );
    }
    done += 1;
  }
  if (done < job.chunkCount) {
    await s.jobs.send({ type: "import.commit", importId: job.id, tenantId: job.tenantId });
    return;
  }
  await s.db
    .update(importJobs)
    .set({ status: "done", finishedAt: Date.now(), updatedAt: Date.now() })
    .where(and(eq(importJobs.tenantId, job.tenantId), eq(importJobs.id, job.id), eq(importJobs.status, "committing")));
}

async function undo(s: ImportServices, job: ImportJob, _now: number, budget: () => boolean): Promise<void> {
  if (job.status !== "undoing") return;
  let current: ImportJob | null = job;
  while (current && current.status === "undoing" && budget()) {
    const kept = (current.undoKept ? JSON.parse(current.undoKept) : { total: 0, items: [] }) as KeptList;
    const page = await planUndoPage(
      s.db,
      current.tenantId,
      current.id,
      current.createdBy,
      current.chunksDone,
      kept,
      Date.now(),
    );
    if (page.handled === 0) {
      await s.db
        .update(importJobs)
        .set({ status: "undone", undoneAt: Date.now(), updatedAt: Date.now() })
        .where(and(eq(importJobs.tenantId, job.tenantId), eq(importJobs.id, job.id), eq(importJobs.status, "undoing")));
      return;
    }
    try {
      await runRawBatch(s.db, page.statements);
    } catch (err) {
      if (
        !String(err).includes("UNIQUE constraint failed: import_chunks") &&
        !String((err as { cause?: unknown }).cause).includes("UNIQUE constraint failed: import_chunks")
      )
        throw err;
    }
    current = await getImport(s.db, job.tenantId, job.id);
  }
  if (current?.status === "undoing")
    await s.jobs.send({ type: "import.undo", importId: job.id, tenantId: job.tenantId });
}
