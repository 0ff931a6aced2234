/** The deal list's sort orders and page cursors (keyset paging, like the contacts list's). */
import { decodeListCursor, encodeListCursor, type ListCursor, type SortDirection } from "../records/list-cursor";

export const DEAL_SORTS = ["updated", "amount", "close", "stage", "name"] as const;
export type DealSort = (typeof DEAL_SORTS)[number];
export type { SortDirection };

/** Amounts and times read biggest and newest first; dates, stages and names in their natural order. */
export const DEFAULT_DIRECTION: Record<DealSort, SortDirection> = {
  updated: "desc",
  amount: "desc",
  close: "asc",
  stage: "asc",
  name: "asc",
};

/** Each single-column sort is one index: (tenant_id, column, id); the keyset is (column, id). */
export const SORT_COLUMNS = {
  updated: "updated_at",
  amount: "amount_minor",
  close: "close_key",
  name: "name_sort",
} as const;

/**
 * Where a deal sits in the stage sort: its stage's place (pipeline position, pipeline id, stage
 * position, stage id: the order of pipeline_stages_tenant_order_idx), then its status and close key
 * (the order of deals_tenant_stage_idx inside a stage). The deal id ends the keyset.
 */
export type StageKey = [number, number, number, number, string, string];

export type DealCursor = ListCursor<DealSort, string | number | StageKey>;

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeDealCursor(c: DealCursor): string {
  return encodeListCursor(c);
}

function isStageKey(v: unknown): v is StageKey {
  return (
    Array.isArray(v) &&
    v.length === 6 &&
    v.slice(0, 4).every((n) => Number.isSafeInteger(n)) &&
    v.slice(4).every((s) => typeof s === "string" && s.length <= 20)
  );
}

/** A cursor from a URL, or null when it is malformed or belongs to another sort order. */
export function decodeDealCursor(raw: string | undefined, sort: DealSort, dir: SortDirection): DealCursor | null {
  return decodeListCursor(raw, sort, dir, (v) =>
    sort === "stage"
      ? isStageKey(v)
      : sort === "name" || sort === "close"
        ? typeof v === "string" && v.length <= 500
        : Number.isSafeInteger(v),
  );
}
