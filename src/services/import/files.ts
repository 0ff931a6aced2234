/**
 * An import's objects in R2, under `imports/<tenant>/<job>/`: the upload, the analysed chunks
 * (chunk-<i>.json), errors.csv (the refused rows) and the preview's files (review.ts). The retention
 * job deletes the prefix; so does cancelling an analysis.
 */
import Papa from "papaparse";
import type { ImportJob } from "../../db/schema";
import { CSV_BOM, csvRow } from "../../lib/csv";
import type { ChunkRow } from "./chunk";
import type { AnyChunkRows } from "./write";

type JobFiles = Pick<ImportJob, "fileKey">;

export const uploadKey = (job: JobFiles) => `${job.fileKey}/upload`;
const chunkKey = (job: JobFiles, i: number) => `${job.fileKey}/chunk-${i}.json`;
const errorsKey = (job: JobFiles) => `${job.fileKey}/errors.csv`;

/** Deletes an import's objects in R2 (the upload, its chunks and error file, the preview's files). */
export async function deleteImportFiles(files: R2Bucket, job: JobFiles): Promise<void> {
  for (;;) {
    const page = await files.list({ prefix: `${job.fileKey}/`, limit: 1000 });
    if (page.objects.length) await files.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
  }
}

export async function writeChunk(files: R2Bucket, job: JobFiles, i: number, rows: ChunkRow<unknown>[]): Promise<void> {
  await files.put(chunkKey(job, i), JSON.stringify(rows));
}

export async function readChunk(
  files: R2Bucket,
  job: Pick<ImportJob, "id" | "fileKey">,
  i: number,
): Promise<AnyChunkRows> {
  const object = await files.get(chunkKey(job, i));
  if (!object) throw new Error(`import ${job.id}: chunk ${i} is missing`);
  return JSON.parse(await object.text());
}

/** The refused rows as they were, after the row number and the reason; formula-like cells neutralised. */
export async function writeErrors(files: R2Bucket, job: JobFiles, header: string[], errors: string[][]): Promise<void> {
  const csv = [["Row", "Reason", ...header], ...errors].map(csvRow).join("");
  await files.put(errorsKey(job), CSV_BOM + csv, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
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

/** The error file of an import, or null when it has none (or retention removed it). */
export async function errorFile(files: R2Bucket, job: ImportJob): Promise<R2ObjectBody | null> {
  if (job.invalidCount + job.duplicateCount === 0 || job.filesDeletedAt !== null) return null;
  return files.get(errorsKey(job));
}
