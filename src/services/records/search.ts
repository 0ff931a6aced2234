/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, and the
 * tenant's token is always required. Nothing the user types is ever FTS5 syntax. A word of 3 characters
 * or more also matches inside the words of names and emails (contacts_fts.parts, migration 0026).
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
  const term = (t: string) => `${[...t].length >= INNER_MIN ? WITH_PARTS : PREFIX_ONLY} : ${ftsString(t)}*`;
  return `tenant : ${ftsString(tenantId)} AND (${terms.map(term).join(" AND ")})`;
}

/** Inner parts shorter than this are not indexed: a shorter word matches only the start of words. */
export const INNER_MIN = 3;
// Column filters: a term never matches the tenant column (one tenant's id is not another's search).
const PREFIX_ONLY = "{name email phone company notes}";
const WITH_PARTS = "{name email phone company notes parts}";

/** An FTS5 string: in double quotes, with any double quote doubled. */
function ftsString(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
