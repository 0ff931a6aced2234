/** The deal list's sort orders and page cursors (keyset paging, like the contacts list's). */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

export const DEAL_SORTS = ["updated", "amount", "close", "stage", "name"] as const;
export type DealSort = (typeof DEAL_SORTS)[number];
export type SortDirection = "asc" | "desc";

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

export interface DealCursor {
  sort: DealSort;
  dir: SortDirection;
  value: string | number | StageKey;
  id: number;
  /** True for a "Previous" link: the rows before this one. */
  back: boolean;
}

/** The cursor as an opaque URL-safe string (base64url JSON). */
export function encodeDealCursor(c: DealCursor): string {
  const json = JSON.stringify({ s: c.sort, d: c.dir, v: c.value, i: c.id, ...(c.back ? { b: 1 } : {}) });
  return encodeBase64urlNoPadding(new TextEncoder().encode(json));
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
  if (!raw || raw.length > 1000) return null;
  try {
    const o = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(decodeBase64urlIgnorePadding(raw)),
    ) as Record<string, unknown>;
    if (o.s !== sort || o.d !== dir || !Number.isSafeInteger(o.i)) return null;
    const ok =
      sort === "stage"
        ? isStageKey(o.v)
        : sort === "name" || sort === "close"
          ? typeof o.v === "string" && o.v.length <= 500
          : Number.isSafeInteger(o.v);
    if (!ok) return null;
    return { sort, dir, value: o.v as DealCursor["value"], id: o.i as number, back: o.b === 1 };
  } catch {
    return null;
  }
}
