/**
 * The analyse step: reads the uploaded file once (header, mapping, every row checked), drops rows
 * that repeat an earlier one, and writes the valid rows as chunks, the refused ones as errors.csv and
 * a few sample values per column to R2; then hands over to the match step.
 */
import { eq } from "drizzle-orm";
import { importJobs, type ImportJob } from "../../db/schema";
import { tenantRegion } from "../records/workspace";
import { workspaceMoney } from "../deals/choices";
import { importFields } from "./fields";
import { isNumberTarget, numberLocalesOf, sampleFile } from "./file-sample";
import { dealKey, dealReader, type DealChunkRecord } from "./analyse-deals";
import type { RowContext } from "./cells";
import { CHUNK_BYTES, CHUNK_ROWS, type ChunkRow, cutChunks, rowWeight } from "./chunk";
import { deleteImportFiles, uploadKey, writeChunk, writeErrors } from "./files";
import { failImport, getImport, type ImportServices } from "./jobs";
import { autoMapping } from "./mapping";
import { namesAgree } from "./match";
import { companyFromRow, contactFromRow, matchKeys, type CompanyRecord, type ContactRecord } from "./parse";
import { collectSamples, resetReview, saveSamples } from "./review";
import { decodeUpload, detectDelimiter, IMPORT_MAX_ROWS, parseCsv, type EncodingChoice } from "./upload";

/** Rows the analysis looks at for each column's sample values (a column empty in all of them shows none). */
const SAMPLE_ROWS = 200;

/** What made a row a duplicate of an earlier one, from the match key they share (parse.ts matchKeys). */
function sameWhat(key: string, kind: ImportJob["kind"]): string {
  if (key.startsWith("e:")) return "email";
  if (key.startsWith("p:")) return "phone and name";
  if (key.startsWith("d:")) return "domain";
  if (kind === "deals") return "name and company";
  return kind === "contacts" ? "name, and no email or phone" : "name";
}

/** Reads the whole file once: header, mapping, every row checked; valid rows into chunks, the rest into errors.csv. */
export async function analyse(s: ImportServices, job: ImportJob, now: number): Promise<void> {
  if (job.status !== "analysing" || job.chunkCount > 0) return;
  const object = await s.files.get(uploadKey(job));
  if (!object) return failImport(s.t, job, "The uploaded file is no longer stored. Upload it again.", now);
  const decoded = decodeUpload(new Uint8Array(await object.arrayBuffer()), job.encodingChoice as EncodingChoice);
  if (!decoded.ok) return failImport(s.t, job, decoded.message, now);
  const delimiter = detectDelimiter(decoded.text);
  const [fields, region] = await Promise.all([importFields(s.t, job.kind), tenantRegion(s.t)]);
  // Deals: the pipeline's stages and the file's number format, known before the rows are read.
  const deals = job.kind === "deals" ? await dealReader(s.t, job, decoded.text, delimiter, fields) : null;
  if (deals && !deals.ok) return failImport(s.t, job, deals.message, now);
  const mappingOf = (headers: string[]) =>
    job.mapping ? (JSON.parse(job.mapping) as string[]) : autoMapping(job.kind, headers, fields);
  // Custom number columns are read in the format their cells are written in (a deals file's: dealReader).
  let numberLocales: Record<string, string> | undefined;
  if (!deals && fields.some((f) => f.kind === "number")) {
    const { samples } = sampleFile(decoded.text, delimiter, mappingOf, isNumberTarget(fields));
    numberLocales = numberLocalesOf(samples, fields, (await workspaceMoney(s.t)).locale, null);
  }
  const readRow = (cells: string[], rc: RowContext) =>
    deals?.ok ? deals.read(cells, rc) : job.kind === "contacts" ? contactFromRow(cells, rc) : companyFromRow(cells, rc);

  let ctx: RowContext | null = null;
  const valid: ChunkRow<ContactRecord | CompanyRecord | DealChunkRecord>[] = [];
  // Each valid row's weight in its chunk's JSON: chunks are cut by size as well as by rows.
  const weights: number[] = [];
  const errors: string[][] = [];
  const seen = new Map<string, number>();
  /** The name on the row an email key was first seen on (contacts). */
  const namedBy = new Map<string, { id: number; first_name: string; last_name: string }>();
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
    ctx ??= { headers, mapping: mappingOf(headers), fields, region, numberLocales };
    const result = readRow(cells, ctx);
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
    const weight = rowWeight(result.record);
    if (weight > CHUNK_BYTES) {
      // Dozens of full cells: even alone its update could not be written in one statement.
      invalid += 1;
      errors.push([
        String(rowNo),
        "The row holds too much text to import in one piece; split its long cells.",
        ...cells,
      ]);
      return;
    }
    // Inside a file, rows are one person by email, or by phone and the same name (matchKeys).
    const keys =
      job.kind === "deals"
        ? [dealKey(result.record as DealChunkRecord)]
        : matchKeys(job.kind, result.record as ContactRecord | CompanyRecord);
    const same = keys.find((k) => seen.has(k));
    // An address two people of other names share (info@) is not one person: say so, as matching the workspace does.
    const shared =
      same?.startsWith("e:") && job.kind === "contacts"
        ? namedBy.get(same) && !namesAgree(result.record as ContactRecord, namedBy.get(same)!)
        : false;
    if (same !== undefined && shared) {
      invalid += 1;
      errors.push([
        String(rowNo),
        `The address ${same.slice(2)} is also on row ${seen.get(same)}, of another name; skipped (add it by hand to the right person).`,
        ...cells,
      ]);
      return;
    }
    if (same !== undefined) {
      duplicates += 1;
      errors.push([
        String(rowNo),
        `Duplicate of row ${seen.get(same)} (same ${sameWhat(same, job.kind)}); skipped.`,
        ...cells,
      ]);
      return;
    }
    for (const k of keys) seen.set(k, rowNo);
    // A company with a domain is also the one a later row of its name without a domain means, as the workspace's
    // matching reads such a row (by name); a row with another domain is another company.
    if (job.kind === "companies") {
      const byName = `n:${(result.record as CompanyRecord).name.toLowerCase()}`;
      if (!seen.has(byName)) seen.set(byName, rowNo);
    }
    if (job.kind === "contacts") {
      const c = result.record as ContactRecord;
      for (const k of keys)
        if (k.startsWith("e:")) namedBy.set(k, { id: rowNo, first_name: c.firstName, last_name: c.lastName });
    }
    valid.push({ rowNo, record: result.record });
    weights.push(weight);
  });
  if (header.length === 0) return failImport(s.t, job, "The file has no header row.", now);
  if (tooMany) {
    const max = IMPORT_MAX_ROWS.toLocaleString("en-US");
    return failImport(s.t, job, `The file has more than ${max} rows. Split it into smaller files.`, now);
  }
  const mapping = ctx ? (ctx as RowContext).mapping : autoMapping(job.kind, header, fields);

  const chunks = cutChunks(valid, weights, s.chunkRows ?? CHUNK_ROWS);
  const chunkCount = chunks.length;
  await Promise.all([resetReview(s.files, job), saveSamples(s.files, job, samples)]);
  for (const [i, rows] of chunks.entries()) await writeChunk(s.files, job, i, rows);
  if (errors.length) await writeErrors(s.files, job, header, errors);
  const [updated] = await s.t
    .update(
      importJobs,
      {
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
      },
      // As read at the start: a duplicate delivery that finished first, or a cancellation, wins.
      eq(importJobs.id, job.id),
      eq(importJobs.status, "analysing"),
      eq(importJobs.chunkCount, 0),
      eq(importJobs.updatedAt, job.updatedAt),
    )
    .returning({ id: importJobs.id });
  if (!updated) {
    // Cancelled while this step wrote its chunks: they go too (the cancellation deleted what was there then).
    if ((await getImport(s.t, job.id))?.status === "cancelled") await deleteImportFiles(s.files, job);
    return;
  }
  if (chunkCount > 0) await s.jobs.send({ type: "import.match", importId: job.id, tenantId: job.tenantId });
}
