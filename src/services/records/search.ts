/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, and the
 * tenant's token is always required. Nothing the user types is ever FTS5 syntax.
 */
import { isId } from "../../lib/ids";

/** The words of a search, lower-cased, letters and digits only, at most 8, each 1 to 64 characters. */
export function searchTerms(input: string): string[] {
  return input
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((t) => t.slice(0, 64))
    .slice(0, 8);
}

/** The MATCH expression for a tenant and search terms, or null when there is nothing to search. */
export function ftsQuery(tenantId: string, terms: string[]): string | null {
  if (terms.length === 0) return null;
  // The tenant token comes only from a well-formed id (never a raw cookie), and is quoted anyway.
  if (!isId(tenantId)) throw new Error("ftsQuery needs a tenant id from newId()");
  return `tenant : ${ftsString(tenantId)} AND (${terms.map((t) => `${ftsString(t)}*`).join(" AND ")})`;
}

/** An FTS5 string: in double quotes, with any double quote doubled. */
function ftsString(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
