/** The lists' opaque keyset cursors (the last id of a page, so clients never build or parse one) and query checks. */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { type FieldProblem, invalidFields } from "./problem";

/** The cursor after `id`. */
export function encodeCursor(id: number): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(`after:${id}`));
}

/** The id a cursor continues after, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  try {
    const m = /^after:([1-9]\d{0,14})$/.exec(new TextDecoder().decode(decodeBase64urlIgnorePadding(cursor)));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

interface ListQuery {
  cursor?: string;
  limit?: number;
  updated_since?: string;
  subject_type?: string;
  subject_id?: number;
}

/**
 * A list query's paging (where the page starts, its length, changes since when) and, for lists of one record's
 * notes, tasks or activities, that record. Every problem at once, as a 422 listing the fields.
 */
export function listParams<Q extends ListQuery>(query: Q) {
  const afterId = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
  const problems: FieldProblem[] = [];
  if (afterId === null) problems.push({ field: "cursor", message: "Pass next_cursor of a page as it came." });
  if ((query.subject_type === undefined) !== (query.subject_id === undefined))
    problems.push({ field: "subject_id", message: "Filter by subject_type and subject_id together." });
  if (problems.length) throw invalidFields(problems);
  return {
    afterId: afterId ?? 0,
    limit: query.limit ?? 50,
    updatedSince: query.updated_since === undefined ? null : Date.parse(query.updated_since),
    subject:
      query.subject_type && query.subject_id
        ? { type: query.subject_type as NonNullable<Q["subject_type"]>, id: query.subject_id }
        : null,
  };
}

/** A page as every list answers it. */
export function pageBody<T>(page: { records: T[]; nextAfterId: number | null }) {
  return { data: page.records, next_cursor: page.nextAfterId ? encodeCursor(page.nextAfterId) : null };
}

/**
 * The same page from records that are already JSON texts (the contacts list, whose rows SQLite serialises):
 * joined as they are, with nothing parsed and written again.
 */
export function pageJson(page: { records: string[]; nextAfterId: number | null }): string {
  const next = page.nextAfterId ? JSON.stringify(encodeCursor(page.nextAfterId)) : "null";
  return `{"data":[${page.records.join(",")}],"next_cursor":${next}}`;
}

/** A PATCH of a note or activity cannot move it: a sent subject_type or subject_id is a problem by its field. */
export function refuseMove(sent: { subject_type?: unknown; subject_id?: unknown }, what: string, into: FieldProblem[]) {
  for (const field of ["subject_type", "subject_id"] as const)
    if (sent[field] !== undefined) into.push({ field, message: `${what} stays on its record.` });
}
