/** The page cursors of the contacts and deals lists (keyset paging): opaque URL-safe base64url JSON. */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

export type SortDirection = "asc" | "desc";

/** Where a page starts: the last (or, going back, the first) row's sort value and id. */
export interface ListCursor<S extends string, V> {
  sort: S;
  dir: SortDirection;
  value: V;
  id: number;
  /** True for a "Previous" link: the rows before this one. */
  back: boolean;
}

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeListCursor(c: ListCursor<string, unknown>): string {
  const json = JSON.stringify({ s: c.sort, d: c.dir, v: c.value, i: c.id, ...(c.back ? { b: 1 } : {}) });
  return encodeBase64urlNoPadding(new TextEncoder().encode(json));
}

/**
 * A cursor from a URL, or null when it is malformed, belongs to another sort order, or its value is not
 * one `validValue` accepts for the sort.
 */
export function decodeListCursor<S extends string, V>(
  raw: string | undefined,
  sort: S,
  dir: SortDirection,
  validValue: (value: unknown) => boolean,
): ListCursor<S, V> | null {
  if (!raw || raw.length > 1000) return null;
  try {
    const o = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(decodeBase64urlIgnorePadding(raw)),
    ) as Record<string, unknown>;
    if (o.s !== sort || o.d !== dir || !Number.isSafeInteger(o.i)) return null;
    if (!validValue(o.v)) return null;
    return { sort, dir, value: o.v as V, id: o.i as number, back: o.b === 1 };
  } catch {
    return null;
  }
}
