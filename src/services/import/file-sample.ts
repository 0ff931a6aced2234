/**
 * What a file's rows cannot say one by one, read from its columns once before the rows are: the cells of the
 * columns whose format is guessed from all of them (a deals file's amounts, its slashed dates, any file's
 * custom number columns; see amount-locale.ts and parse-deals.ts slashOrderOf).
 */
import { restoreCell } from "../../lib/csv";
import { numberLocaleOf } from "./amount-locale";
import type { MappableField } from "./mapping";
import { parseCsv } from "./upload";

/** Cells read of each sampled target: a format is guessed from these. */
export const SAMPLE_CELLS = 2_000;

export interface SampledCell {
  /** The cell as the row reader sees it (restored, trimmed). */
  value: string;
  /** Its row's cells, for a value read with another column (an amount with its currency). */
  cells: string[];
}

/**
 * Up to SAMPLE_CELLS non-empty cells of each target `wanted` picks, in file order, with the file's mapping
 * (`mappingOf` its header). Reading stops once every sampled target has its cells.
 */
export function sampleFile(
  text: string,
  delimiter: string,
  mappingOf: (headers: string[]) => string[],
  wanted: (target: string) => boolean,
): { mapping: string[]; samples: Map<string, SampledCell[]> } {
  let mapping: string[] = [];
  const samples = new Map<string, SampledCell[]>();
  let columns: number[] = [];
  parseCsv(text, delimiter, (cells, rowNo, headers) => {
    if (rowNo === 1) {
      mapping = mappingOf(headers);
      columns = mapping.flatMap((target, i) => (target && wanted(target) ? [i] : []));
      for (const i of columns) samples.set(mapping[i]!, []);
    }
    let wanting = false;
    for (const i of columns) {
      const list = samples.get(mapping[i]!)!;
      const value = restoreCell(cells[i] ?? "").trim();
      if (value && list.length < SAMPLE_CELLS) list.push({ value, cells });
      if (list.length < SAMPLE_CELLS) wanting = true;
    }
    return wanting;
  });
  return { mapping, samples };
}

/** Whether a target is a custom number field's column. */
export function isNumberTarget(fields: MappableField[]): (target: string) => boolean {
  const numbers = new Set(fields.filter((f) => f.kind === "number").map((f) => `cf:${f.id}`));
  return (target) => numbers.has(target);
}

/** Each sampled custom number field's locale (numberLocaleOf), by field id; plain columns are left out. */
export function numberLocalesOf(
  samples: Map<string, SampledCell[]>,
  fields: MappableField[],
  workspaceLocale: string,
  fileLocale: string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const cells = samples.get(`cf:${field.id}`);
    if (field.kind !== "number" || !cells) continue;
    const locale = numberLocaleOf(
      cells.map((c) => c.value),
      workspaceLocale,
      fileLocale,
    );
    if (locale) out[String(field.id)] = locale;
  }
  return out;
}
