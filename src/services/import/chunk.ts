/**
 * A chunk of an import as data: the rows analyse stores in R2 for the match and commit steps, what a
 * plan needs and gives, and the JSON rows a chunk's statements read with `->>` (one type per kind of
 * row; the statements in plan-*.ts, chunk-sql.ts and undo-sql.ts spell the same key names).
 */
import type { SQL } from "drizzle-orm";
import type { ContactSource } from "../../db/schema";
import type { MappableField } from "./mapping";
import type { ChunkReview } from "./review";
import type { CompanyDetails } from "../companies/fields";

/** Rows per chunk: one batch of about 20 statements. */
export const CHUNK_ROWS = 500;

/**
 * The most JSON a chunk's statement binds, in UTF-8 bytes: D1 refuses a bound string over 2,000,000 bytes
 * (SQLITE_TOOBIG), which 500 rows with long notes pass. Kept well under, for the values an update replaces.
 */
export const CHUNK_BYTES = 1_500_000;

/** An update's JSON carries the file's values up to three times: `set`, import_records' `after`, the timeline's changes. */
const UPDATE_COPIES = 3;

/** A text's length in UTF-8 bytes, as D1 measures a bound string. */
export const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** What a row may weigh in its chunk's JSON, as a new record or an update (UTF-8 bytes). */
export function rowWeight(record: unknown): number {
  return UPDATE_COPIES * utf8Bytes(JSON.stringify(record));
}

/** `items` in consecutive runs of at most `maxItems` items and `maxWeight` of weight (at least one item a run). */
function cutByWeight<T>(items: T[], weights: number[], maxItems: number, maxWeight: number): T[][] {
  const runs: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  items.forEach((item, i) => {
    const w = weights[i] ?? 0;
    if (current.length > 0 && (current.length >= maxItems || weight + w > maxWeight)) {
      runs.push(current);
      current = [];
      weight = 0;
    }
    current.push(item);
    weight += w;
  });
  if (current.length) runs.push(current);
  return runs;
}

/**
 * The valid rows cut into chunks of at most `maxRows` rows and CHUNK_BYTES of weight (`weights`, one per row).
 * Decided once, by analyse: the chunks in R2 and their numbers (import_chunks' keys, the job's chunk_count)
 * stay the same for the preview, the commit and a resumed commit.
 */
export function cutChunks<R>(rows: ChunkRow<R>[], weights: number[], maxRows: number): ChunkRow<R>[][] {
  return cutByWeight(rows, weights, maxRows, CHUNK_BYTES);
}

/**
 * `rows` in consecutive parts whose JSON stays within CHUNK_BYTES: one part, unless the values the updates
 * replace (which analyse could not weigh) push a chunk's update list past it; each part gets its own statements.
 * Each row weighs its JSON and a comma; the array's brackets take two bytes.
 */
export function boundParts<T>(rows: T[]): T[][] {
  const weights = rows.map((row) => utf8Bytes(JSON.stringify(row)) + 1);
  return cutByWeight(rows, weights, Number.POSITIVE_INFINITY, CHUNK_BYTES - 2);
}

/** One valid row of the file as analyse stores it (chunk-<i>.json) for the match and commit steps. */
export interface ChunkRow<R> {
  /** Row number in the file (1 = first row after the header). */
  rowNo: number;
  record: R;
}

export interface ChunkContext {
  importId: string;
  actorId: string | null;
  /** Members by email, for the owner column. */
  owners: Map<string, string>;
  /** Members by display name (lower case, single spaces); null where two members go by it. */
  ownersByName?: Map<string, string | null>;
  /** The same the other way round, made once when an update's owner is shown. */
  memberEmails?: Map<string, string>;
  fields: MappableField[];
  /** The Free plan's contact cap, or null (no cap applies). */
  freeMaxContacts: number | null;
  /** The key of the suppression list's HMAC (SUPPRESSION_KEY); unset: no list to check. */
  suppressionKey: string | undefined;
  /** New contacts' source: "import" (a file) unless said ("api": a bulk request). */
  source?: ContactSource;
}

export interface ChunkPlan {
  creates: number;
  updates: number;
  unchanged: number;
  /** Rows that matched a record an earlier row of the chunk already matched. */
  duplicates: number;
  /** Contact rows skipped because one of their emails is on the tenant's suppression list (privacy/suppression.ts). */
  suppressed?: number;
  /** Contact rows not imported: their email is on a contact of another name (match.ts). */
  conflicts: number;
  /** New contacts that share a phone with a contact of another name. */
  possibleDuplicates: number;
  /** What the preview lists for review (review.ts). */
  review: ChunkReview;
  statements: SQL[];
  /**
   * Why the chunk can no longer be written as analysed (a stage its rows go to was removed since): the import
   * fails with this message instead of writing it (steps.ts), and its statements are none.
   */
  stale?: string;
}

/** The name key of a member's display name: lower case, single spaces. */
export const memberNameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * The member an owner cell names (parse.ts keeps it as written): by email, else by a display name only one
 * member goes by (case-insensitive). Null: no owner, or no member it names.
 */
export function ownerIdOf(ctx: ChunkContext, owner: string | null): string | null {
  if (!owner) return null;
  return ctx.owners.get(owner.toLowerCase()) ?? ctx.ownersByName?.get(memberNameKey(owner)) ?? null;
}

// ---- the JSON rows of a chunk's statements ------------------------------------------------------

/** What every written row carries for the statements contacts and companies share (chunk-sql.ts). */
export interface RowExtras {
  /** The row's number in the file (import_records.row_no); 0 for a company a contacts file names. */
  rowNo: number;
  /** tags.name_key of each tag the row adds. */
  tagKeys: string[];
  /** Custom field id → the value the row writes; "" (cells.ts UNTICKED) deletes the record's. */
  custom: Record<string, string>;
  /** The note the row adds, or null. */
  note: string | null;
}

/** A contact's own columns an import writes. */
export interface ContactFields {
  firstName: string;
  lastName: string;
  nameSort: string;
  jobTitle: string | null;
  /** The company's name in lower case: the statements link the tenant's oldest company of that name. */
  companySort: string | null;
  address: string | null;
  ownerId: string | null;
}

/** A company's own columns an import writes. */
export interface CompanyFields extends CompanyDetails {
  nameSort: string;
  ownerId: string | null;
}

export interface NewContactRow extends RowExtras, ContactFields {
  emails: string[];
  phones: string[];
}

export interface NewCompanyRow extends RowExtras, CompanyFields {}

/** A company a contacts chunk names that the tenant lacks. */
export interface NamedCompanyRow {
  rowNo: 0;
  name: string;
  nameSort: string;
}

/** A tag a chunk names; created when the tenant lacks it. */
export interface TagRow {
  key: string;
  name: string;
  color: string;
}

/**
 * import_records.after of an update: each value the import wrote (undo compares them with what is there); a
 * custom value it cleared is "".
 */
export type ImportedAfter<F> = Partial<F> & {
  emails?: string[];
  phones?: string[];
  tagKeys?: string[];
  custom?: Record<string, string>;
  note?: string;
};

/** import_records.before of an update: the values the import replaced, and the record's times then. */
export type ImportedBefore<F> = { [K in keyof F]?: F[K] | null } & {
  /** A contact's company as it was named (after holds companySort). */
  companyName?: string | null;
  custom?: Record<string, string | null>;
  updatedAt?: number;
  lastActivityAt?: number;
};

/** A matched record's update: the columns it sets, what undo needs, the timeline's changes. */
export interface UpdateRow<F> extends RowExtras {
  id: number;
  set: Partial<F>;
  before: ImportedBefore<F>;
  after: ImportedAfter<F>;
  /** activities.detail of the update (the import's id is added by the statement). */
  changes: Record<string, [unknown, unknown]>;
}

export interface ContactUpdateRow extends UpdateRow<ContactFields> {
  /** Emails and phones the row adds beside the contact's own. */
  emails: string[];
  phones: string[];
}

export type CompanyUpdateRow = UpdateRow<CompanyFields>;
