import type { Database } from "../../db/client";
import {
  type CompanyExportFilters,
  type ContactExportFilters,
  type ExportFormat,
  type ExportKind,
  NO_COMPANY_FILTERS,
  NO_CONTACT_FILTERS,
} from "./columns";
import { companiesCsv, companiesJson, contactsCsv, contactsJson, isoTime, notesCsv, notesJson } from "./serialise";
import { dealsCsv, dealsJson } from "./deals";
import { contactsVcard } from "./vcard";
import { errorText } from "../../lib/error-text";

export interface ExportOptions {
  contactFilters?: ContactExportFilters;
  companyFilters?: CompanyExportFilters;
  /** The export's time (exported_at); a Queue consumer passes its own. */
  now?: number;
}

/** The chunks of one export, by kind and format (which must be one EXPORT_FORMATS allows). */
export function exportChunks(
  db: Database,
  tenantId: string,
  kind: ExportKind,
  format: ExportFormat,
  opts: ExportOptions = {},
): AsyncGenerator<string> {
  const now = opts.now ?? Date.now();
  const contactFilters = opts.contactFilters ?? NO_CONTACT_FILTERS;
  const companyFilters = opts.companyFilters ?? NO_COMPANY_FILTERS;
  switch (`${kind}.${format}`) {
    case "contacts.csv":
      return contactsCsv(db, tenantId, contactFilters);
    case "contacts.json":
      return contactsJson(db, tenantId, contactFilters, now);
    case "contacts.vcf":
      return contactsVcard(db, tenantId, contactFilters);
    case "companies.csv":
      return companiesCsv(db, tenantId, companyFilters);
    case "companies.json":
      return companiesJson(db, tenantId, companyFilters, now);
    case "notes.csv":
      return notesCsv(db, tenantId);
    case "notes.json":
      return notesJson(db, tenantId, now);
    case "deals.csv":
      return dealsCsv(db, tenantId);
    case "deals.json":
      return dealsJson(db, tenantId, now);
    default:
      throw new Error(`no ${format} export of ${kind}`);
  }
}

/** The download's file name: ASCII only, no tenant text (customertrackr-contacts-2026-11-26.csv). */
export function exportFileName(kind: ExportKind, format: ExportFormat, now: number): string {
  return `customertrackr-${kind}-${isoTime(now).slice(0, 10)}.${format}`;
}

/**
 * A byte stream of the chunks, UTF-8. The first chunk (the head and the first page) is read before
 * this resolves, so a failure there rejects here, while an error page can still be sent; the rest is
 * read only as the reader asks for it, one page at a time.
 */
export async function openExportStream(chunks: AsyncGenerator<string>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const first = await chunks.next();
  let pending: IteratorResult<string> | null = first;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = pending ?? (await chunks.next());
            pending = null;
            if (next.done) return controller.close();
            if (next.value) return controller.enqueue(encoder.encode(next.value));
          }
        } catch (err) {
          // The status has gone out already: all that is left is to cut the download short (the
          // browser reports it as failed) and to say so in the logs.
          console.error(JSON.stringify({ type: "export_stream_failed", error: errorText(err) }));
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
