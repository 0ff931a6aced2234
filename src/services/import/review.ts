/**
 * What an import's preview shows a user to check before committing, kept in R2 beside the upload
 * (so the retention job deletes it with the job's prefix, like errors.csv):
 *
 *   review-<i>.json    chunk i's updates (before → after per field), possible duplicates (a new row
 *                      sharing a phone with a contact of another name) and conflicts (a row whose
 *                      email is on a contact of another name: not imported), written by the match step
 *   review-head.json   the first REVIEW_LISTED of each list, for the page, so it reads one object
 *   samples.json       a few values of each column, for the mapping step, written by the analyse step
 *
 * The match step plans every chunk anyway; keeping what it found means the page and the download
 * show exactly what the preview counted, without planning the file again on each request.
 */
import type { ImportJob, ImportKind } from "../../db/schema";
import { CSV_BOM, csvRow } from "../../lib/csv";

/** Items of each list the page shows; the download has them all. */
export const REVIEW_LISTED = 200;
/** Sample values shown under each column of the mapping step. */
const SAMPLES_PER_COLUMN = 3;
const SAMPLE_MAX = 40;

export interface ReviewChange {
  field: string;
  before: string | null;
  after: string | null;
  /** Emails, phones, tags and notes are added beside what the record has, never replacing it. */
  added?: true;
}

export interface ReviewUpdate {
  row: number;
  /** The name the row gives (it agrees with the record's, or it would not be an update). */
  rowName: string;
  id: number;
  name: string;
  changes: ReviewChange[];
}

/** A new contact that shares a phone with a contact of another name. */
export interface ReviewDuplicate {
  row: number;
  name: string;
  phone: string;
  id: number;
  recordName: string;
}

/** A row whose email is on a contact of another name: neither an update nor a new contact. */
export interface ReviewConflict {
  row: number;
  name: string;
  email: string;
  id: number;
  recordName: string;
}

/**
 * A row naming what the workspace lacks: a deal's company or contact, or any row's owner (no member by that
 * email, or by that name alone). The record is imported without that link.
 */
export interface ReviewUnlinked {
  row: number;
  name: string;
  what: "company" | "contact" | "owner";
  ref: string;
}

export interface ChunkReview {
  updates: ReviewUpdate[];
  duplicates: ReviewDuplicate[];
  conflicts: ReviewConflict[];
  /** Absent from reviews stored before deal imports. */
  unlinked?: ReviewUnlinked[];
}

export interface ReviewHead extends ChunkReview {
  /** Chunks taken into account, so a step that stopped before writing the head is caught up. */
  chunks: number;
}

type JobFiles = Pick<ImportJob, "fileKey">;
const reviewKey = (job: JobFiles, i: number) => `${job.fileKey}/review-${i}.json`;
const headKey = (job: JobFiles) => `${job.fileKey}/review-head.json`;
const samplesKey = (job: JobFiles) => `${job.fileKey}/samples.json`;
const LISTS = ["updates", "duplicates", "conflicts", "unlinked"] as const;

export const emptyReview = (): ChunkReview => ({ updates: [], duplicates: [], conflicts: [], unlinked: [] });
export const emptyHead = (): ReviewHead => ({ chunks: 0, ...emptyReview() });

/** Chunk i's lists. Written (even when empty) before the step counts the chunk, so none is ever stale. */
export async function saveChunkReview(files: R2Bucket, job: JobFiles, i: number, review: ChunkReview): Promise<void> {
  await files.put(reviewKey(job, i), JSON.stringify(review), { httpMetadata: { contentType: "application/json" } });
}

const full = (head: ReviewHead) => LISTS.every((list) => (head[list]?.length ?? 0) >= REVIEW_LISTED);

/** Adds a chunk's lists to the head, up to REVIEW_LISTED each. */
export function addToHead(head: ReviewHead, review: ChunkReview, chunks: number): void {
  for (const list of LISTS) {
    head[list] ??= [];
    const into = head[list] as unknown[];
    const room = REVIEW_LISTED - into.length;
    if (room > 0) into.push(...(review[list] ?? []).slice(0, room));
  }
  head.chunks = chunks;
}

/** The head with the chunks below `upTo`, caught up from their files when a step stopped before writing it. */
export async function reviewHead(files: R2Bucket, job: JobFiles, upTo: number): Promise<ReviewHead> {
  const stored = await files.get(headKey(job));
  const head = stored ? await stored.json<ReviewHead>() : emptyHead();
  for (let i = head.chunks; i < upTo && !full(head); i += 1) {
    const chunk = await files.get(reviewKey(job, i));
    addToHead(head, chunk ? await chunk.json<ChunkReview>() : emptyReview(), i + 1);
  }
  return head;
}

export async function saveReviewHead(files: R2Bucket, job: JobFiles, head: ReviewHead): Promise<void> {
  await files.put(headKey(job), JSON.stringify(head), { httpMetadata: { contentType: "application/json" } });
}

/** A new analysis (another mapping) starts its lists again. */
export async function resetReview(files: R2Bucket, job: JobFiles): Promise<void> {
  await files.delete(headKey(job));
}

const HEADER: Record<ImportKind, string[]> = {
  contacts: ["Row", "Name in the file", "What", "Contact", "Contact's name", "Field", "Before", "After"],
  companies: ["Row", "Name in the file", "What", "Company", "Company's name", "Field", "Before", "After"],
  deals: ["Row", "Name in the file", "What", "Deal", "Deal's name", "Field", "Before", "After"],
};

/** One chunk's lines of the review file, in row order. */
function chunkLines(review: ChunkReview): string {
  const DUPLICATE = "New, possible duplicate: shares a phone with this contact";
  const CONFLICT = "Not imported: the email is this contact's, under another name";
  const lines: [number, string[][]][] = [
    ...review.updates.map((u): [number, string[][]] => [
      u.row,
      u.changes.map((c) => {
        const field = c.added ? `${c.field} (added)` : c.field;
        return [String(u.row), u.rowName, "Update", String(u.id), u.name, field, c.before ?? "", c.after ?? ""];
      }),
    ]),
    ...review.duplicates.map((d): [number, string[][]] => [
      d.row,
      [[String(d.row), d.name, DUPLICATE, String(d.id), d.recordName, "Phone", "", d.phone]],
    ]),
    ...review.conflicts.map((c): [number, string[][]] => [
      c.row,
      [[String(c.row), c.name, CONFLICT, String(c.id), c.recordName, "Email", "", c.email]],
    ]),
    ...(review.unlinked ?? []).map((u): [number, string[][]] => [
      u.row,
      [
        [
          String(u.row),
          u.name,
          u.what === "owner"
            ? "Imported without this owner: no member of that email or name"
            : `Imported without this ${u.what}: not in the workspace`,
          "",
          "",
          u.what,
          "",
          u.ref,
        ],
      ],
    ]),
  ];
  return lines
    .sort((a, b) => a[0] - b[0])
    .flatMap(([, rows]) => rows.map(csvRow))
    .join("");
}

/** Every chunk's lists as one CSV (formula-like cells neutralised), read a chunk at a time. */
export function reviewCsv(
  files: R2Bucket,
  job: JobFiles & Pick<ImportJob, "chunkCount" | "kind">,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = -1;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i < 0) controller.enqueue(encoder.encode(CSV_BOM + csvRow(HEADER[job.kind])));
      else {
        const chunk = await files.get(reviewKey(job, i));
        if (chunk) controller.enqueue(encoder.encode(chunkLines(await chunk.json<ChunkReview>())));
      }
      i += 1;
      if (i >= job.chunkCount) controller.close();
    },
  });
}

/** Adds a row's cells to the first few distinct values of each column; false once every column has enough. */
export function collectSamples(samples: string[][], cells: string[]): boolean {
  let wanting = false;
  cells.forEach((cell, column) => {
    samples[column] ??= [];
    const list = samples[column];
    const value = cell.replace(/\s+/g, " ").trim();
    const shown = value.length > SAMPLE_MAX ? `${value.slice(0, SAMPLE_MAX)}…` : value;
    if (shown && list.length < SAMPLES_PER_COLUMN && !list.includes(shown)) list.push(shown);
    if (list.length < SAMPLES_PER_COLUMN) wanting = true;
  });
  return wanting;
}

export async function saveSamples(files: R2Bucket, job: JobFiles, samples: string[][]): Promise<void> {
  await files.put(samplesKey(job), JSON.stringify(samples), { httpMetadata: { contentType: "application/json" } });
}

/** The sample values of each column, or [] when retention removed them. */
export async function readSamples(files: R2Bucket, job: JobFiles): Promise<string[][]> {
  const object = await files.get(samplesKey(job));
  return object ? object.json<string[][]>() : [];
}
