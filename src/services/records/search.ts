/**
 * Turns what a user types into a safe FTS5 query: every word becomes a quoted prefix term, and the
 * tenant's token is always required. Nothing the user types is ever FTS5 syntax. A word of 3 characters
 * or more also matches inside the words of names and emails (contacts_fts.parts, migration 0026).
 */
import { isId } from "../../lib/ids";

/**
 * The words of a search (lower-cased, letters and digits only, at most 8, each 1 to 64 characters), and for what
 * reads as a phone number ("+44 20 7946 0958", "020 7946 0958") the digits to look for in the indexed numbers.
 */
export type SearchTerms = string[] & { phone?: string[] };

/** The words of a search, lower-cased, letters and digits only, at most 8, each 1 to 64 characters. */
export function searchTerms(input: string): SearchTerms {
  const text = input.normalize("NFKC");
  const terms: SearchTerms = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((t) => t.slice(0, 64))
    .slice(0, 8);
  const phone = phoneDigits(text);
  if (phone.length) terms.phone = phone;
  return terms;
}

/**
 * The digit strings that find a phone number typed as people write it, in the index's phone tokens (migration
 * 0026: a stored +<digits> is indexed as all its digits, and its last 10, 7 and 4): the digits after + or 00 as a
 * prefix of the whole number; without them, the digits as typed (a US number, or the country code without +)
 * and, for a national form, its last 10 digits (7 when shorter) after the trunk 0, which end the stored number.
 * None unless the text is only digits and phone punctuation, with at least PHONE_MIN digits.
 */
function phoneDigits(text: string): string[] {
  const typed = text.trim();
  if (!/^\+?[\d\s()./-]+$/.test(typed)) return [];
  // "+44 (0)20 …": the (0) is the trunk prefix, dialled only from inside the country.
  const digits = typed
    .replace(/^(\+|00)(\d{1,3})\s*\(0\)/, "$1$2")
    .replace(/\D/g, "")
    .slice(0, 20);
  if (digits.length < PHONE_MIN) return [];
  if (typed.startsWith("+")) return [digits];
  if (digits.startsWith("00")) return [digits.slice(2)];
  const national = digits.replace(/^0/, "");
  const end = national.length >= 10 ? national.slice(-10) : national.length >= 7 ? national.slice(-7) : null;
  return [...new Set([digits, ...(end ? [end] : [])])];
}

/** Fewer digits than this are searched as words only (an area code, a house number). */
const PHONE_MIN = 6;

/** The MATCH expression for a tenant and search terms, or null when there is nothing to search. */
export function ftsQuery(tenantId: string, terms: SearchTerms): string | null {
  if (terms.length === 0) return null;
  // The tenant token comes only from a well-formed id (never a raw cookie), and is quoted anyway.
  if (!isId(tenantId)) throw new Error("ftsQuery needs a tenant id from newId()");
  const term = (t: string) => `${[...t].length >= INNER_MIN ? WITH_PARTS : PREFIX_ONLY} : ${ftsString(t)}*`;
  const words = terms.map(term).join(" AND ");
  // A phone number also matches as one run of digits; what its words found before is still found.
  const phone = (terms.phone ?? []).map((d) => ` OR phone : ${ftsString(d)}*`).join("");
  return `tenant : ${ftsString(tenantId)} AND (${phone ? `(${words})${phone}` : words})`;
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
