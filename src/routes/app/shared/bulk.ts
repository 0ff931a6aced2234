/**
 * The steps the contacts' and the deals' bulk actions share: reading the selected ids, and the way
 * back to the list as it was, with the notice of what was done.
 */
import { safeNextPath } from "../../../lib/validation";
import { parseRecordId, type FormBody } from "../../record-helpers";
import { stringList } from "../contacts/form";

/** Where a bulk action returns: the list at `listPath` as it was (filters and page), never elsewhere. */
export function bulkBack(raw: unknown, listPath: string): string {
  try {
    const url = new URL(safeNextPath(raw, listPath), "http://local");
    if (url.origin !== "http://local" || url.pathname !== listPath) return listPath;
    url.searchParams.delete("notice");
    url.searchParams.delete("n");
    return url.pathname + url.search;
  } catch {
    return listPath;
  }
}

/** The way back with the notice of what was done to how many records. */
export function withNotice(back: string, notice: string, n: number): string {
  const url = new URL(back, "http://local");
  url.searchParams.set("notice", notice);
  url.searchParams.set("n", String(n));
  return url.pathname + url.search;
}

/** The records a bulk action acts on, named for its messages ("contact", "contacts"). */
export interface BulkRecords {
  one: string;
  many: string;
  max: number;
}

/** The distinct ids selected in the form (`ids`), or the message saying why they cannot be used. */
export function bulkSelection(body: FormBody, records: BulkRecords): { ids: number[] } | { problem: string } {
  const rawIds = stringList(body, "ids");
  if (rawIds === null || rawIds.length > records.max)
    return { problem: `Select at most ${records.max} ${records.many} at a time.` };
  const ids = rawIds.map(parseRecordId);
  if (ids.some((id) => id === null))
    return { problem: `The selection could not be read. Select the ${records.many} again.` };
  const unique = [...new Set(ids as number[])];
  if (unique.length === 0) return { problem: `Select at least one ${records.one} first.` };
  return { ids: unique };
}
