/**
 * Who an import row is. Two people can share a phone (an office switchboard, a family landline), so
 * a phone alone never makes two rows, or a row and a contact, the same person:
 *
 * - an email (trimmed, lower-cased) names its person, unless the names disagree: then the row is
 *   someone else holding that address, and is neither an update nor a new contact (a conflict);
 * - a phone names its person only together with the same first and last name;
 * - a row with neither matches by name and company (import-parse.ts nameKey), as before.
 *
 * Names are compared folded (foldName): case, accents and the few Latin letters NFD does not split.
 * Pure functions: the plan (import-write.ts) and the in-file check (import-parse.ts) use them.
 */

// Letters that are not a base letter plus a combining mark, so NFD leaves them; folded as a reader
// would ("Søren" = "Soren"), which is as far as name matching goes: no transliteration of scripts.
const EXTRA_FOLDS: Record<string, string> = {
  ø: "o",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
};

/** A name part for comparison: lower case, NFKD without combining marks, ø → o etc., one space between words. */
export function foldName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[øæœßłđðþıħ]/g, (ch) => EXTRA_FOLDS[ch]!)
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** First and last name folded and joined, so "Ada Lovelace" split either way compares equal. */
export function fullNameKey(firstName: string, lastName: string): string {
  return foldName(`${firstName} ${lastName}`);
}

interface Named {
  firstName: string;
  lastName: string;
}

/** A record as the plan reads it from the database. */
export interface StoredContact {
  id: number;
  first_name: string;
  last_name: string;
}

/** The same name: both parts agree folded (blank only matches blank). What a phone match needs. */
export function sameName(row: Named, contact: StoredContact): boolean {
  return fullNameKey(row.firstName, row.lastName) === fullNameKey(contact.first_name, contact.last_name);
}

/**
 * A row's name does not contradict the contact's: what an email match needs. A blank part says
 * nothing (an empty cell never clears a value), so a row without a name, or with only the first
 * name, is still that address's person when what it has agrees.
 */
export function namesAgree(row: Named, contact: StoredContact): boolean {
  if (sameName(row, contact)) return true;
  const parts: [string, string][] = [
    [foldName(row.firstName), foldName(contact.first_name)],
    [foldName(row.lastName), foldName(contact.last_name)],
  ];
  return parts.every(([mine, theirs]) => !mine || !theirs || mine === theirs);
}

export type ContactMatch<C extends StoredContact> =
  /** The row is this contact: an update (or unchanged). */
  | { kind: "match"; contact: C }
  /** The row's email is on this contact, whose name is another: not imported, listed. */
  | { kind: "conflict"; contact: C; email: string }
  /** A new contact; `resembles` is a contact of another name that has one of its phones. */
  | { kind: "new"; resembles: { contact: C; phone: string } | null };

/**
 * Decides who a row is, given the contacts that hold each of its keys (`e:<email>`, `p:<phone>`,
 * and the name key of a row with neither). Emails first, in the row's order; then phones.
 */
export function matchContact<C extends StoredContact>(
  row: Named & { emails: string[]; phones: string[] },
  holders: (key: string) => C[],
  nameKey: string,
): ContactMatch<C> {
  let conflict: { contact: C; email: string } | null = null;
  for (const email of row.emails) {
    for (const contact of holders(`e:${email}`)) {
      if (namesAgree(row, contact)) return { kind: "match", contact };
      conflict ??= { contact, email };
    }
  }
  if (conflict) return { kind: "conflict", ...conflict };
  let resembles: { contact: C; phone: string } | null = null;
  for (const phone of row.phones) {
    for (const contact of holders(`p:${phone}`)) {
      if (sameName(row, contact)) return { kind: "match", contact };
      resembles ??= { contact, phone };
    }
  }
  if (row.emails.length === 0 && row.phones.length === 0) {
    const named = holders(nameKey)[0];
    if (named) return { kind: "match", contact: named };
  }
  return { kind: "new", resembles };
}
