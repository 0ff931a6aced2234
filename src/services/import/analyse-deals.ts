/**
 * What the analyse step needs to read a deals file: the pipeline the import goes to (the one chosen on
 * upload, else the workspace's first), the file's number format (from its amount cells, read once before
 * the rows), and a row reader that names the stage by its id or refuses the row. A stage name that is
 * not in the pipeline is the row's error, never a new stage.
 */
import type { ImportJob } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { pipelinesWithStages, workspaceMoney } from "../deals/choices";
import type { RowContext } from "./cells";
import type { RowResult } from "./parse";
import { amountLocaleOf } from "./amount-locale";
import { type DealRecord, dealFromRow, dealMapping } from "./parse-deals";
import { parseCsv } from "./upload";

/** A deal row as a chunk stores it: the record with its pipeline and stage resolved. */
export interface DealChunkRecord extends DealRecord {
  pipelineId: number;
  stageId: number;
}

/** Amount cells the number format is guessed from. */
const AMOUNT_SAMPLE = 2_000;

export type DealReader = (cells: string[], ctx: RowContext) => RowResult<DealChunkRecord>;

/** The pipeline a deals import goes to: the job's, or the first; null when the workspace has none (or lost it). */
export async function importPipeline(t: TenantDb, pipelineId: number | null) {
  const pipes = await pipelinesWithStages(t);
  const pipe = pipelineId === null ? pipes[0] : pipes.find((p) => p.id === pipelineId);
  return pipe && pipe.stages.length > 0 ? pipe : null;
}

/** The row reader of a deals file, or the reason the whole file cannot be read. */
export async function dealReader(
  t: TenantDb,
  job: ImportJob,
  text: string,
  delimiter: string,
): Promise<{ ok: true; read: DealReader } | { ok: false; message: string }> {
  const [pipe, money] = await Promise.all([importPipeline(t, job.pipelineId), workspaceMoney(t)]);
  if (!pipe)
    return { ok: false, message: "The pipeline chosen for this import no longer exists. Upload the file again." };
  const amounts: { text: string; currency: string }[] = [];
  let amountColumn = -1;
  let currencyColumn = -1;
  parseCsv(text, delimiter, (cells, rowNo, headers) => {
    if (rowNo === 1) {
      const mapping = job.mapping ? (JSON.parse(job.mapping) as string[]) : dealMapping(headers);
      amountColumn = mapping.indexOf("amount");
      currencyColumn = mapping.indexOf("currency");
    }
    if (amountColumn < 0) return false;
    const currency = (currencyColumn < 0 ? "" : (cells[currencyColumn] ?? "").trim().toUpperCase()) || money.currency;
    if (cells[amountColumn]) amounts.push({ text: cells[amountColumn]!, currency });
    return amounts.length < AMOUNT_SAMPLE;
  });
  const amountLocale = amountLocaleOf(amounts, money.locale);
  const stages = new Map(pipe.stages.map((s) => [s.name.trim().toLowerCase(), s.id]));
  const read: DealReader = (cells, ctx) => {
    const row = dealFromRow(cells, { ...ctx, currency: money.currency, amountLocale, locale: money.locale });
    if (row.ok !== true) return row;
    const r = row.record;
    if (r.pipeline && r.pipeline.trim().toLowerCase() !== pipe.name.toLowerCase())
      return {
        ok: false,
        reason: `The pipeline “${r.pipeline.slice(0, 60)}” is not “${pipe.name}”, the one this import goes to.`,
      };
    const stageId = r.stage ? stages.get(r.stage.trim().toLowerCase()) : pipe.stages[0]!.id;
    if (stageId === undefined)
      return {
        ok: false,
        reason: `The stage “${r.stage!.slice(0, 60)}” is not a stage of the pipeline “${pipe.name}”.`,
      };
    return { ok: true, record: { ...r, pipelineId: pipe.id, stageId } };
  };
  return { ok: true, read };
}

/** Two rows of a deals file are one deal when they have the same name and company. */
export function dealKey(r: DealRecord): string {
  return `n:${r.name.trim().toLowerCase()}|${(r.company ?? r.companyDomain ?? "").trim().toLowerCase()}`;
}
