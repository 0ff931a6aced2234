/**
 * The contacts list at /app/contacts: search as you type, filters, sorts and keyset pages, read in one
 * D1 batch with the session check (deferSessionCheck). Viewers read; the row actions follow the role.
 */
import { Hono } from "hono";
import type { TenantDb } from "../../../db/scoped";
import type { AppEnv } from "../../../env";
import { formatPhone } from "../../../lib/phone";
import { render, wantsFragment } from "../../../lib/render";
import { roleAtLeast } from "../../../lib/roles";
import { deferSessionCheck, withSessionBatch } from "../../../middleware/session";
import { CONTACTS_PAGE_SIZE, SEARCH_SORT_WINDOW } from "../../../services/contacts/list";
import { contactsListFromResults, contactsListStatements } from "../../../services/contacts/list-page";
import { countBound } from "../../../services/contacts/matching";
import { MATCHING_MAX } from "../../../services/contacts/bulk";
import type { CustomField } from "../../../services/records/custom-fields";
import type { Tag } from "../../../services/records/tags";
import type { Member } from "../../../services/records/workspace";
import { assets } from "../../../generated/assets";
import { formatCount, pageRange, type ListCount } from "../../../../views/lib/page-range";
import type { FilterChip } from "../../../../views/partials/FilterBar";
import { contactDisplayName } from "../../../services/contacts/names";
import {
  CONTACT_SORTS,
  DEFAULT_DIRECTION,
  decodeCursor,
  encodeCursor,
  type ContactSort,
  type SortDirection,
} from "../../../services/contacts/sort";
import { searchTerms } from "../../../services/records/search";
import { authOf } from "../../context";
import { savedViewsProps, viewerOf, viewHref } from "../shared/saved-views";
import { contactFilterQuery, exportPageHref, parseContactFilters } from "../../../services/records/list-filters";
import { noticeOf } from "../../record-helpers";
import {
  CONTACT_NOTICES,
  ContactResults,
  type ContactNotice,
  type SortLink,
} from "../../../../views/pages/contacts/ContactResults";
import { ContactsListPage, type ContactFilters } from "../../../../views/pages/contacts/ContactsListPage";

import {
  BUILTIN_COLUMNS,
  COLUMN_LABELS,
  columnsFromForm,
  columnsParam,
  parseColumns,
  requestedCustomFieldIds,
} from "../../../services/contacts/columns";
import { canonicalViewQuery } from "../../../services/records/saved-views";
import type { CustomFieldDef } from "../../../../views/pages/companies/FormFields";
import type { ColumnChoice } from "../../../../views/pages/contacts/ColumnsMenu";

export const LIST_PATH = "/app/contacts";

/** The list's route, mounted with the others at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactListRoutes = new Hono<AppEnv>();

const SORT_LABELS: Record<ContactSort, string> = {
  name: "name",
  company: "company",
  created: "date created",
  updated: "last updated",
  activity: "last activity",
  contacted: "last contacted",
  next_task: "next task",
};

/** The sort when none is chosen: by name, or newest first while searching. */
function defaultSortFor(q: string): ContactSort {
  return searchTerms(q).length > 0 ? "created" : "name";
}

/** A list URL for some filters; only what differs from the defaults goes in. `at`: the page's first row's offset. */
function listHref(f: ContactFilters, cursor?: string, at?: number): string {
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
function filterChips(
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
function matchingOffer(
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
function columnChoices(shown: string[], fields: CustomFieldDef[]): ColumnChoice[] {
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

contactListRoutes.get("/", deferSessionCheck, async (c) => {
  const query = new URL(c.req.url).searchParams;
  // The Columns form (a GET): its checkboxes and positions become the one `cols` parameter.
  const formColumns = columnsFromForm(query);
  if (formColumns) {
    query.delete("columns_form");
    query.delete("col");
    for (const key of [...query.keys()]) if (key.startsWith("pos_")) query.delete(key);
    query.delete("cursor");
    query.delete("at");
    if (formColumns.length) query.set("cols", formColumns.join(","));
    else query.delete("cols");
    const rest = new URLSearchParams(canonicalViewQuery(query));
    const view = query.get("view");
    if (view && /^\d{1,12}$/.test(view)) rest.set("view", view);
    const target = rest.toString();
    return c.redirect(target ? `${LIST_PATH}?${target}` : LIST_PATH, 303);
  }

  const sortParam = query.get("sort") ?? "";
  // A search lists newest matches first unless a sort is chosen: that order streams from the search
  // index, so even a prefix that matches every contact answers in about a millisecond.
  const defaultSort = defaultSortFor(query.get("q") ?? "");
  const sort: ContactSort = (CONTACT_SORTS as readonly string[]).includes(sortParam)
    ? (sortParam as ContactSort)
    : defaultSort;
  const dirParam = query.get("dir");
  const dir: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : DEFAULT_DIRECTION[sort];
  // The same reading of the filters as the exports (list-filters.ts); the list ignores what it cannot read.
  const readFilters = async (t: TenantDb) => {
    const f = await parseContactFilters(t, query);
    const listQuery = {
      sort,
      dir,
      match: f.match,
      tagId: f.tagId,
      companyId: f.companyId,
      ownerId: f.ownerId,
      custom: f.custom,
      cursor: decodeCursor(query.get("cursor") ?? undefined, sort, dir),
      // Values only of the fields asked for; the tenant condition keeps another workspace's out.
      customColumnIds: requestedCustomFieldIds(query.get("cols")),
    };
    return { ...f, listQuery };
  };
  let read: Awaited<ReturnType<typeof readFilters>> | null = null;
  const viewer = viewerOf(c);
  // One round trip for the whole page, the session check included (withSessionBatch). The total
  // comes from the tenant's counter, never from counting rows; only the unfiltered list shows it.
  const batch = await withSessionBatch(c, async (t) => {
    read = await readFilters(t);
    return contactsListStatements(t, read.listQuery, read.companyId, read.filtered, viewer);
  });
  if (!batch.ok) return batch.response;
  // The offset rides in the URL beside the keyset cursor (only for the range shown; SQL never uses it).
  const atParam = Number(query.get("at") ?? "0");
  const at = query.get("cursor") && Number.isSafeInteger(atParam) && atParam > 0 ? atParam : 0;
  const auth = authOf(c);
  const { q, tagId, companyId, ownerId, customEcho, filtered, listQuery } = read!;
  const {
    page,
    customFields,
    tags,
    tagsByContact,
    members,
    total,
    matching,
    companyName: company,
    sortWindowFull,
    savedViews,
    defaultViewId,
  } = await contactsListFromResults(batch.t, listQuery, batch.results);
  // The list with no parameters at all opens the user's default view (`view=all` is the plain list).
  const defaultView = savedViews.find((v) => v.id === defaultViewId);
  const currentView = savedViews.find((v) => String(v.id) === query.get("view")) ?? null;
  if (defaultView && [...query.keys()].length === 0) return c.redirect(viewHref(LIST_PATH, defaultView), 302);
  const columns = parseColumns(query.get("cols"), customFields);
  const fieldById = new Map(customFields.map((f) => [`cf_${f.id}`, f]));
  const counters = filtered ? null : { contacts: total };
  const count: ListCount = filtered
    ? { count: Math.min(matching ?? 0, countBound(listQuery)), over: (matching ?? 0) > countBound(listQuery) }
    : { count: total, over: false };
  // Back at the start (no page before this one) the offset is 0, whatever the URL said.
  const offset = page.previous ? at : 0;
  const ownerEmail = new Map(members.map((m) => [m.userId, m.email]));
  const locale = auth.user.locale ?? null;
  const filterQuery = contactFilterQuery({ q, tagId, companyId, ownerId, customEcho });

  const filters: ContactFilters = {
    q,
    sort,
    dir,
    tag: tagId ? String(tagId) : "",
    owner: ownerId ?? "",
    company: companyId ? String(companyId) : "",
    custom: customEcho,
    cols: columnsParam(columns) ?? "",
    view: currentView ? String(currentView.id) : "",
  };
  // What "Save view" saves, and whether the open view has been refined since it was saved.
  const viewQuery = canonicalViewQuery(new URLSearchParams(listHref(filters).split("?")[1] ?? ""));
  const sortLink = (s: ContactSort): SortLink => {
    const current = sort === s;
    const nextDir: SortDirection = current ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[s];
    return {
      href: listHref({ ...filters, sort: s, dir: nextDir }),
      state: current ? (dir === "asc" ? "ascending" : "descending") : null,
    };
  };
  const results = {
    rows: page.rows.map((r) => ({
      id: r.id,
      name: contactDisplayName(r),
      companyId: r.companyId,
      companyName: r.companyName,
      email: r.primaryEmail,
      phone: r.primaryPhone,
      phoneDisplay: r.primaryPhone ? formatPhone(r.primaryPhone) : null,
      tags: tagsByContact.get(r.id) ?? [],
      owner: r.ownerId ? (ownerEmail.get(r.ownerId) ?? "former member") : null,
      updatedAt: r.updatedAt,
      lastContactedAt: r.lastContactedAt,
      nextTaskDue: r.nextTaskDue,
      custom: customValuesOf(r.customValues, fieldById),
    })),
    columns: columns.map((id) => ({
      id,
      label: (COLUMN_LABELS as Record<string, string>)[id] ?? fieldById.get(id)?.name ?? id,
    })),
    total: counters?.contacts ?? null,
    filtered,
    sortWindow: sortWindowFull ? SEARCH_SORT_WINDOW : null,
    sortLinks: {
      name: sortLink("name"),
      company: sortLink("company"),
      updated: sortLink("updated"),
      contacted: sortLink("contacted"),
      next_task: sortLink("next_task"),
    },
    sortLabel: `${SORT_LABELS[sort]}, ${dir === "asc" ? "ascending" : "descending"}`,
    nextHref: page.next ? listHref(filters, encodeCursor(page.next), offset + page.rows.length) : null,
    previousHref: page.previous
      ? listHref(filters, encodeCursor(page.previous), Math.max(0, offset - CONTACTS_PAGE_SIZE))
      : null,
    range: pageRange(offset, page.rows.length, count, locale),
    ...matchingOffer(count, filtered, Boolean(page.next || page.previous), locale, filterQuery),
    canWrite: roleAtLeast(auth.role, "member"),
    selfHref: listHref(filters, query.get("cursor") ?? undefined, offset),
    // Admins and owners export; the link carries the filters, so the export is what the list shows.
    exportHref: roleAtLeast(auth.role, "admin") ? exportPageHref("contacts", filterQuery) : null,
  };

  // The search box (hx-get, hx-target="#contact-results") wants the results region only.
  if (wantsFragment(c) && c.req.header("HX-Target") === "contact-results")
    return render(c, "Contacts", <ContactResults {...results} />);

  const noticeKey = noticeOf<ContactNotice>(c, CONTACT_NOTICES);
  const n = Number(query.get("n") ?? "0");
  const notice = noticeKey ? CONTACT_NOTICES[noticeKey](Number.isSafeInteger(n) && n >= 0 ? n : 0) : null;
  return render(
    c,
    "Contacts",
    <ContactsListPage
      results={results}
      filters={filters}
      tags={tags}
      members={members}
      customFields={customFields}
      chips={filterChips(filters, { tags, members, customFields, company })}
      scripts={[assets.lists]}
      sorts={CONTACT_SORTS.map((s) => ({
        value: s,
        label: SORT_LABELS[s][0]!.toUpperCase() + SORT_LABELS[s].slice(1),
      }))}
      notice={notice}
      views={savedViewsProps(c, {
        listPath: LIST_PATH,
        allLabel: "All contacts",
        withColumns: true,
        views: savedViews,
        defaultViewId,
        current: currentView,
        query: viewQuery,
      })}
      columnChoices={columnChoices(columns, customFields)}
      canWrite={results.canWrite}
      canErase={roleAtLeast(auth.role, "admin")}
    />,
  );
});

/** The shown custom fields' values of a row, as the table shows them, by column id. */
function customValuesOf(json: string | null | undefined, fields: Map<string, CustomField>): Record<string, string> {
  if (!json) return {};
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(JSON.parse(json) as Record<string, string>)) {
    const key = `cf_${id}`;
    out[key] = shownCustomValue(fields.get(key), String(value));
  }
  return out;
}
