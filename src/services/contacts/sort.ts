/** The contacts list's sort orders and its page cursors (keyset paging: a sort value and an id). */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { contacts } from "../../db/schema";

export const CONTACT_SORTS = ["name", "company", "created", "updated", "activity"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export type SortDirection = "asc" | "desc";
/** Names read A to Z; times read newest first. */
export const DEFAULT_DIRECTION: Record<ContactSort, SortDirection> = {
  name: "asc",
  company: "asc",
  created: "desc",
  updated: "desc",
  activity: "desc",
};

// Each sort is one index: (tenant_id, <column>, id). The keyset is (<column>, id).
export const SORT_COLUMNS = {
  name: contacts.nameSort,
  company: contacts.companySort,
  created: contacts.createdAt,
  updated: contacts.updatedAt,
  activity: contacts.lastActivityAt,
} as const;

/** Where a page starts: the last (or, going back, the first) row's sort value and id. */
export interface ContactCursor {
  sort: ContactSort;
  dir: SortDirection;
  value: string | number;
  id: number;
  /** True for a "Previous" link: the rows before this one. */
  back: boolean;
}

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeCursor(c: ContactCursor): string {
  const json = JSON.stringify({ s: c.sort, d: c.dir, v: c.value, i: c.id, ...(c.back ? { b: 1 } : {}) });
  return encodeBase64urlNoPadding(new TextEncoder().encode(json));
}

/** A cursor from a URL, or null when it is malformed or belongs to another sort order. */
export function decodeCursor(raw: string | undefined, sort: ContactSort, dir: SortDirection): ContactCursor | null {
  if (!raw || raw.length > 1000) return null;
  try {
    const o = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(decodeBase64urlIgnorePadding(raw)),
    ) as Record<string, unknown>;
    if (o.s !== sort || o.d !== dir || !Number.isSafeInteger(o.i)) return null;
    const textSort = sort === "name" || sort === "company";
    if (textSort ? typeof o.v !== "string" || o.v.length > 500 : !Number.isSafeInteger(o.v)) return null;
    return { sort, dir, value: o.v as string | number, id: o.i as number, back: o.b === 1 };
  } catch {
    return null;
  }
}
