/**
 * The contacts list's parts that are not its route: its links, filter chips, the bulk form's offer, the Columns
 * form's choices and the custom values as shown (list.tsx reads the list and renders it).
 */
import { MATCHING_MAX } from "../../../services/contacts/bulk";
import type { CustomField } from "../../../services/records/custom-fields";
import type { Tag } from "../../../services/records/tags";
import type { Member } from "../../../services/records/workspace";
import { formatCount, type ListCount } from "../../../../views/lib/page-range";
import type { FilterChip } from "../../../../views/partials/FilterBar";
import { DEFAULT_DIRECTION, type ContactSort } from "../../../services/contacts/sort";
import { searchTerms } from "../../../services/records/search";
import type { ContactFilters } from "../../../../views/pages/contacts/ContactsListPage";

import { BUILTIN_COLUMNS, COLUMN_LABELS } from "../../../services/contacts/columns";
import type { CustomFieldDef } from "../../../../views/pages/companies/FormFields";
import type { ColumnChoice } from "../../../../views/pages/contacts/ColumnsMenu";

/** The list's own URL (other routes link back to it). */
export const LIST_PATH = "/app/contacts";

export const SORT_LABELS: Record<ContactSort, string> = {
  name: "name",
  company: "company",
  created: "date created",
  updated: "last updated",
  activity: "last activity",
  contacted: "last contacted",
  next_task: "next task",
};

/** The sort when none is chosen: by name, or newest first while searching. */
export function defaultSortFor(q: string): ContactSort {
  return searchTerms(q).length > 0 ? "created" : "name";
}

/** A list URL for some filters; only what differs from the defaults goes in. `at`: the page's first row's offset. */
export function listHref(f: ContactFilters, cursor?: string, at?: number): string {
  const q = new URLSearchParams();
  if (f.q) q.set("q", f.q);
  if (f.tag) q.set("tag", f.tag);
  if (f.owner) q.set("owner", f.owner);
  if (f.company) q.set("company", f.company);
  for (const [k, v] of Object.entries(f.custom)) if (v) q.set(k, v);
  if (f.sort !== defaultSortFor(f.q ?? "")) q.set("sort", f.sort);
  if (f.dir !== DEFAULT_DIRECTION[f.sort as ContactSort]) q.set("dir", f.dir);
  if (f.cols) q.set("cols", f.cols);
  // The open saved view stays open (its tab current, "changed" when this differs) while the list is refined.
  if (f.view) q.set("view", f.view);
  if (cursor) q.set("cursor", cursor);
  if (cursor && at) q.set("at", String(at));
  const s = q.toString();
  return s ? `${LIST_PATH}?${s}` : LIST_PATH;
}

/** The active filters as chips, each linking to the list without it (and back on its first page). */
export function filterChips(
  f: ContactFilters,
  known: { tags: Tag[]; members: Member[]; customFields: CustomField[]; company: string | null },
): FilterChip[] {
  const chips: FilterChip[] = [];
  const tag = known.tags.find((t) => String(t.id) === f.tag);
  if (f.tag) chips.push({ name: "Tag", value: tag?.name ?? "unknown tag", removeHref: listHref({ ...f, tag: "" }) });
  const owner = known.members.find((m) => m.userId === f.owner);
  if (f.owner)
    chips.push({ name: "Owner", value: owner?.email ?? "former member", removeHref: listHref({ ...f, owner: "" }) });
  if (f.company)
    chips.push({
      name: "Company",
      value: known.company ?? "unknown company",
      removeHref: listHref({ ...f, company: "" }),
    });
  for (const [key, value] of Object.entries(f.custom)) {
    if (!value) continue;
    const field = known.customFields.find((cf) => `cf_${cf.id}` === key);
    const shown = field?.kind === "checkbox" && value === "1" ? "Yes" : value;
    chips.push({
      name: field?.name ?? "Field",
      value: shown,
      removeHref: listHref({ ...f, custom: { ...f.custom, [key]: "" } }),
    });
  }
  return chips;
}

/**
 * The bulk form's "select all N matching" when the list runs past this page. Over MATCHING_MAX the action
 * runs as a background job with a progress page (erasing is refused there), and the note says so.
 */
export function matchingOffer(
  count: ListCount,
  filtered: boolean,
  morePages: boolean,
  locale: string | null,
  filterQuery: URLSearchParams,
): { matching: { query: string; label: string } | null; matchingNote: string | null } {
  if (!morePages) return { matching: null, matchingNote: null };
  const n = count.over ? `over ${formatCount(count.count, locale)}` : formatCount(count.count, locale);
  const large = count.over || count.count > MATCHING_MAX;
  return {
    matching: {
      query: filterQuery.toString(),
      label: filtered ? `Select all ${n} matching contacts` : `Select all ${n} contacts`,
    },
    matchingNote: large
      ? `Over ${formatCount(MATCHING_MAX, locale)} contacts, tagging and deleting run in the background with a progress page; erasing reaches at most ${formatCount(MATCHING_MAX, locale)}.`
      : null,
  };
}

/** The Columns form's choices: the shown columns in order, then the others (built-in, then custom). */
export function columnChoices(shown: string[], fields: CustomFieldDef[]): ColumnChoice[] {
  const labelOf = (id: string) =>
    (COLUMN_LABELS as Record<string, string>)[id] ?? fields.find((f) => `cf_${f.id}` === id)?.name ?? id;
  const all = [...BUILTIN_COLUMNS, ...fields.map((f) => `cf_${f.id}`)];
  return [...shown, ...all.filter((id) => !shown.includes(id))].map((id) => ({
    id,
    label: labelOf(id),
    shown: shown.includes(id),
  }));
}

/** A custom value as the table shows it (a checkbox's "1" reads Yes). */
function shownCustomValue(field: CustomField | undefined, value: string): string {
  if (field?.kind === "checkbox") return value === "1" ? "Yes" : "No";
  return value;
}

/** The shown custom fields' values of a row, as the table shows them, by column id. */
export function customValuesOf(
  json: string | null | undefined,
  fields: Map<string, CustomField>,
): Record<string, string> {
  if (!json) return {};
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(JSON.parse(json) as Record<string, string>)) {
    const key = `cf_${id}`;
    out[key] = shownCustomValue(fields.get(key), String(value));
  }
  return out;
}
