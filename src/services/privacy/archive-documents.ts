/**
 * The archive's file formats: the account documents (a head, then one record per line, like the
 * workspace exports), record counting for the manifest, and the format ids a reader checks.
 */
import type { ExportFormat } from "../export/columns";
import { isoTime } from "../export/serialise";

/** The manifest's format id; bumped only when a change would break a reader. */
export const DATA_EXPORT_FORMAT_ID = "customertrackr.data-export/1";
/** The format id of the account files. */
export const ACCOUNT_FORMAT_ID = "customertrackr.account/1";

export interface ManifestFile {
  name: string;
  format: "json" | "csv";
  /** Records in the file (for CSV, rows after the header). */
  records: number;
  description: string;
}

/** Counts records as a file passes through: JSON exports write one record per line, CSV one per row. */
export async function* counted(
  chunks: AsyncIterable<string>,
  format: ExportFormat,
  into: { records: number },
): AsyncGenerator<string> {
  let lines = 0;
  let inQuotes = false;
  for await (const chunk of chunks) {
    if (format === "json") {
      // The head has no line break and the tail "\n]}\n" two; every record starts on its own line.
      for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines += 1;
    } else {
      // RFC 4180: a line break inside quotes belongs to a value; outside, it ends a record.
      for (let i = 0; i < chunk.length; i += 1) {
        const ch = chunk.charCodeAt(i);
        if (ch === 34) inQuotes = !inQuotes;
        else if (ch === 10 && !inQuotes) lines += 1;
      }
    }
    yield chunk;
  }
  into.records = format === "json" ? Math.max(0, lines - 2) : Math.max(0, lines - 1);
}

/** One account document: the head, then records one per line (like the workspace exports). */
export async function* accountDocument(
  kind: string,
  now: number,
  pages: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  into: { records: number },
): AsyncGenerator<string> {
  const head = `{"format":${JSON.stringify(ACCOUNT_FORMAT_ID)},"kind":${JSON.stringify(kind)}`;
  yield `${head},"exported_at":${JSON.stringify(isoTime(now))},"records":[`;
  let n = 0;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield page.map((r, i) => (n + i === 0 ? "\n" : ",\n") + JSON.stringify(r)).join("");
    n += page.length;
  }
  into.records = n;
  yield "\n]}\n";
}
