/**
 * What the analyse step needs to read a deals file: the pipeline the import goes to (the one chosen on
 * upload, else the workspace's first), the file's formats (its amounts', its slashed dates' order, its custom
 * number columns', from their cells, read once before the rows: file-sample.ts), and a row reader that names
 * the stage by its id or refuses the row. A stage name that is not in the pipeline is the row's error, never
 * a new stage.
 */
import type { ImportJob } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { pipelinesWithStages, workspaceMoney } from "../deals/choices";
import type { RowContext } from "./cells";
import type { RowResult } from "./parse";
import { amountLocaleOf } from "./amount-locale";
import { isNumberTarget, numberLocalesOf, sampleFile } from "./file-sample";
import { autoMapping, type MappableField } from "./mapping";
import { slashOrderOf } from "./deal-dates";
import { bareAmount, type DealRecord, dealFromRow } from "./parse-deals";

/** A deal row as a chunk stores it: the record with its pipeline and stage resolved. */
export interface DealChunkRecord extends DealRecord {
  pipelineId: number;
  stageId: number;
}

export type DealReader = (cells: string[], ctx: RowContext) => RowResult<DealChunkRecord>;

/** The pipeline a deals import goes to: the job's, or the first; null when the workspace has none (or lost it). */
export async function importPipeline(t: TenantDb, pipelineId: number | null) {
  const pipes = await pipelinesWithStages(t);
  const pipe = pipelineId === null ? pipes[0] : pipes.find((p) => p.id === pipelineId);
  return pipe && pipe.stages.length > 0 ? pipe : null;
}

const SAMPLED = new Set(["amount", "close_date", "closed_on"]);

/** The row reader of a deals file, or the reason the whole file cannot be read. */
export async function dealReader(
  t: TenantDb,
  job: ImportJob,
  text: string,
  delimiter: string,
  fields: MappableField[],
): Promise<{ ok: true; read: DealReader } | { ok: false; message: string }> {
  const [pipe, money] = await Promise.all([importPipeline(t, job.pipelineId), workspaceMoney(t)]);
  if (!pipe)
    return { ok: false, message: "The pipeline chosen for this import no longer exists. Upload the file again." };
  // The mapping analyse reads the rows with (analyse.ts).
  const isNumber = isNumberTarget(fields);
  const { mapping, samples } = sampleFile(
    text,
    delimiter,
    (headers) => (job.mapping ? (JSON.parse(job.mapping) as string[]) : autoMapping("deals", headers, fields)),
    (target) => SAMPLED.has(target) || isNumber(target),
  );
  const currencyColumn = mapping.indexOf("currency");
  const amounts = (samples.get("amount") ?? []).map(({ value, cells }) => ({
    text: value,
    currency: (currencyColumn < 0 ? "" : (cells[currencyColumn] ?? "").trim().toUpperCase()) || money.currency,
  }));
  const amountLocale = amountLocaleOf(amounts, money.locale);
  // The amounts' format is the file's only when they show one (a separator between digits).
  const fileLocale = amounts.some((a) => /\d\D\d/.test(bareAmount(a.text))) ? amountLocale : null;
  const numberLocales = numberLocalesOf(samples, fields, money.locale, fileLocale);
  const dateOrder = slashOrderOf(
    [...(samples.get("close_date") ?? []), ...(samples.get("closed_on") ?? [])].map((c) => c.value),
  );
  const stages = new Map(pipe.stages.map((s) => [s.name.trim().toLowerCase(), s.id]));
  const read: DealReader = (cells, ctx) => {
    const row = dealFromRow(cells, {
      ...ctx,
      currency: money.currency,
      amountLocale,
      locale: money.locale,
      dateOrder,
      numberLocales,
    });
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
