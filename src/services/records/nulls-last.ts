/**
 * Keyset paging on a column that may be null (last contacted, next task), nulls last whichever way the
 * list is sorted, on the index (tenant_id, column, id) the sort already has: the rows with a value and
 * the rows without are two reads, each an index range in order (no sort), and the page is their rows
 * one after the other. An ORDER BY on `column IS NULL` would sort the whole workspace instead.
 */
import { asc, desc, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { SortDirection } from "./list-cursor";

/** Where a page starts: the sort value (null: among the rows without one) and id of a row. */
export interface NullableCursor {
  value: string | number | null;
  id: number;
  /** Reading backwards from the cursor (a "Previous" link). */
  back: boolean;
}

/** One of a page's reads: its conditions (besides the tenant's and the list's filters) and its order. */
export interface SegmentRead {
  where: SQL[];
  orderBy: SQL[];
}

/**
 * The reads of one page, in the order their rows come: with a value ((column, id) in the chosen
 * direction), then without (by id, the same way). Going back from a cursor reads the other way round.
 * Concatenate their rows and keep a page's worth.
 */
export function nullsLastReads(
  column: SQLiteColumn | SQL,
  id: SQLiteColumn | SQL,
  dir: SortDirection,
  cursor: NullableCursor | null,
): SegmentRead[] {
  const back = cursor?.back ?? false;
  const ascending = (dir === "asc") !== back;
  const values = (fromCursor: boolean): SegmentRead => ({
    where: [
      isNotNull(column),
      ...(fromCursor && cursor
        ? [
            ascending
              ? sql`(${column}, ${id}) > (${cursor.value}, ${cursor.id})`
              : sql`(${column}, ${id}) < (${cursor.value}, ${cursor.id})`,
          ]
        : []),
    ],
    orderBy: ascending ? [asc(column), asc(id)] : [desc(column), desc(id)],
  });
  const nulls = (fromCursor: boolean): SegmentRead => ({
    where: [
      isNull(column),
      ...(fromCursor && cursor ? [ascending ? sql`${id} > ${cursor.id}` : sql`${id} < ${cursor.id}`] : []),
    ],
    orderBy: [ascending ? asc(id) : desc(id)],
  });
  if (!cursor) return [values(false), nulls(false)];
  if (cursor.value === null) return back ? [nulls(true), values(false)] : [nulls(true)];
  return back ? [values(true)] : [values(true), nulls(false)];
}
