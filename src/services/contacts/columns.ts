/**
 * The contacts list's columns (issue 18): which show and in what order, as the URL's `cols` parameter
 * ("company,email,cf_12"). Built-in ids, and `cf_<id>` for the workspace's contact custom fields.
 */
import type { CustomField } from "../records/custom-fields";

export const BUILTIN_COLUMNS = [
  "company",
  "email",
  "phone",
  "tags",
  "owner",
  "updated",
  "contacted",
  "next_task",
] as const;
export type BuiltinColumn = (typeof BUILTIN_COLUMNS)[number];

export const COLUMN_LABELS: Record<BuiltinColumn, string> = {
  company: "Company",
  email: "Email",
  phone: "Phone",
  owner: "Owner",
  tags: "Tags",
  updated: "Updated",
  contacted: "Last contacted",
  next_task: "Next task",
};

/** More custom columns than this are ignored: the row's values are read in one subquery per row. */
export const MAX_CUSTOM_COLUMNS = 10;

/** What the table shows when no columns were chosen. */
export const DEFAULT_COLUMNS: readonly string[] = BUILTIN_COLUMNS;

/** The custom field ids `cols` asks for, before they are checked against the workspace's fields. */
export function requestedCustomFieldIds(cols: string | null): number[] {
  if (!cols) return [];
  const ids = cols
    .split(",")
    .map((c) => /^cf_(\d{1,12})$/.exec(c.trim())?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
  return [...new Set(ids)].slice(0, MAX_CUSTOM_COLUMNS);
}

/**
 * The columns to show, in order: `cols` read against the known set (unknown ids, repeats and another
 * workspace's fields are dropped). No `cols`, or nothing known in it: the default columns.
 */
export function parseColumns(cols: string | null, fields: readonly CustomField[]): string[] {
  if (cols === null) return [...DEFAULT_COLUMNS];
  const known = new Set<string>([...BUILTIN_COLUMNS, ...fields.map((f) => `cf_${f.id}`)]);
  const chosen: string[] = [];
  let customs = 0;
  for (const raw of cols.split(",").slice(0, 100)) {
    const id = raw.trim();
    if (!known.has(id) || chosen.includes(id)) continue;
    if (id.startsWith("cf_") && ++customs > MAX_CUSTOM_COLUMNS) continue;
    chosen.push(id);
  }
  return chosen.length ? chosen : [...DEFAULT_COLUMNS];
}

/**
 * The columns the Columns form chose: `col` checkboxes, ordered by their `pos_<id>` selects (ties keep
 * the form's order). Null when the request is not that form.
 */
export function columnsFromForm(query: URLSearchParams): string[] | null {
  if (query.get("columns_form") !== "1") return null;
  const checked = query.getAll("col").slice(0, 100);
  const position = (id: string, i: number) => {
    const n = Number(query.get(`pos_${id}`));
    return Number.isSafeInteger(n) && n > 0 ? n : 1000 + i;
  };
  return checked
    .map((id, i) => ({ id, at: position(id, i), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((c) => c.id);
}

/** The `cols` parameter for some columns: absent when they are the default ones. */
export function columnsParam(columns: readonly string[]): string | null {
  const same = columns.length === DEFAULT_COLUMNS.length && columns.every((c, i) => c === DEFAULT_COLUMNS[i]);
  return same ? null : columns.join(",");
}
