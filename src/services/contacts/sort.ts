/** The contacts list's sort orders and its page cursors (keyset paging: a sort value and an id). */
import { contacts } from "../../db/schema";
import { isCalendarDate } from "../../lib/zoned-time";
import { decodeListCursor, encodeListCursor, type ListCursor, type SortDirection } from "../records/list-cursor";

export const CONTACT_SORTS = ["name", "company", "created", "updated", "activity", "contacted", "next_task"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export type { SortDirection };
/** Names read A to Z; times read newest first; the next task soonest first. */
export const DEFAULT_DIRECTION: Record<ContactSort, SortDirection> = {
  name: "asc",
  company: "asc",
  created: "desc",
  updated: "desc",
  activity: "desc",
  contacted: "desc",
  next_task: "asc",
};

/** Sorts whose column may be null: those rows come last either way (records/nulls-last.ts). */
export const NULLABLE_SORTS: ReadonlySet<ContactSort> = new Set(["contacted", "next_task"]);

// Each sort is one index: (tenant_id, <column>, id). The keyset is (<column>, id).
export const SORT_COLUMNS = {
  name: contacts.nameSort,
  company: contacts.companySort,
  created: contacts.createdAt,
  updated: contacts.updatedAt,
  activity: contacts.lastActivityAt,
  contacted: contacts.lastContactedAt,
  next_task: contacts.nextTaskDue,
} as const;

export type ContactCursor = ListCursor<ContactSort, string | number | null>;

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeCursor(c: ContactCursor): string {
  return encodeListCursor(c);
}

/** A cursor from a URL, or null when it is malformed or belongs to another sort order. */
export function decodeCursor(raw: string | undefined, sort: ContactSort, dir: SortDirection): ContactCursor | null {
  const valid = (v: unknown) => {
    if (sort === "name" || sort === "company") return typeof v === "string" && v.length <= 500;
    if (v === null) return NULLABLE_SORTS.has(sort);
    if (sort === "next_task") return typeof v === "string" && isCalendarDate(v);
    return Number.isSafeInteger(v);
  };
  return decodeListCursor(raw, sort, dir, valid);
}
