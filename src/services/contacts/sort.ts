/** The contacts list's sort orders and its page cursors (keyset paging: a sort value and an id). */
import { contacts } from "../../db/schema";
import { decodeListCursor, encodeListCursor, type ListCursor, type SortDirection } from "../records/list-cursor";

export const CONTACT_SORTS = ["name", "company", "created", "updated", "activity"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export type { SortDirection };
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

export type ContactCursor = ListCursor<ContactSort, string | number>;

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeCursor(c: ContactCursor): string {
  return encodeListCursor(c);
}

/** A cursor from a URL, or null when it is malformed or belongs to another sort order. */
export function decodeCursor(raw: string | undefined, sort: ContactSort, dir: SortDirection): ContactCursor | null {
  const textSort = sort === "name" || sort === "company";
  return decodeListCursor(raw, sort, dir, (v) =>
    textSort ? typeof v === "string" && v.length <= 500 : Number.isSafeInteger(v),
  );
}
