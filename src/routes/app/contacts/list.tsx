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
import { assets } from "../../../generated/assets";
import { pageRange, type ListCount } from "../../../../views/lib/page-range";
import { contactDisplayName } from "../../../services/contacts/names";
import {
  CONTACT_SORTS,
  DEFAULT_DIRECTION,
  decodeCursor,
  encodeCursor,
  type ContactSort,
  type SortDirection,
} from "../../../services/contacts/sort";
import { authOf } from "../../context";
import { savedViewsProps, viewerOf, viewHref, withoutStaleFilters } from "../shared/saved-views";
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
  COLUMN_LABELS,
  columnsFromForm,
  columnsParam,
  parseColumns,
  requestedCustomFieldIds,
} from "../../../services/contacts/columns";
import {
  canonicalViewQuery,
  numberKeysOf,
  viewQueryInLocale,
  type ViewQuery,
} from "../../../services/records/saved-views";

import {
  LIST_PATH,
  SORT_LABELS,
  columnChoices,
  customValuesOf,
  defaultSortFor,
  filterChips,
  listHref,
  matchingOffer,
} from "./list-parts";

/** The list's route, mounted with the others at /app/contacts (src/routes/app/contacts/index.ts). */
export const contactListRoutes = new Hono<AppEnv>();

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
  // A custom filter's number is read in the reader's locale, as the list shows it: the session goes first then.
  if (c.get("deferredSession") && [...query.keys()].some((k) => k.startsWith("cf_"))) {
    const checked = await withSessionBatch(c, async () => []);
    if (!checked.ok) return checked.response;
  }
  // The same reading of the filters as the exports (list-filters.ts); the list ignores what it cannot read.
  const readFilters = async (t: TenantDb) => {
    const f = await parseContactFilters(t, query, c.get("auth")?.user.locale);
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
  // A view keeps numbers canonical; its links write them as this reader types them (the list reads them so).
  const numberKeys = numberKeysOf("contact", customFields);
  const readerQuery = (v: ViewQuery) => viewQueryInLocale(v, numberKeys, auth.user.locale);
  const defaultView = savedViews.find((v) => v.id === defaultViewId);
  const currentView = savedViews.find((v) => String(v.id) === query.get("view")) ?? null;
  if (defaultView && [...query.keys()].length === 0)
    return c.redirect(viewHref(LIST_PATH, { id: defaultView.id, query: readerQuery(defaultView) }), 302);
  // An open view naming a tag, member or company deleted or removed since opens without it, saying so (as the deals
  // list does), checked against the tags, members and company name this batch read; else its list is just empty.
  const stale = currentView
    ? [
        ...read!.rejected,
        tagId !== null && !tags.some((x) => x.id === tagId) ? "tag" : "",
        ownerId !== null && !members.some((m) => m.userId === ownerId) ? "owner" : "",
        companyId !== null && company === null ? "company" : "",
      ].filter(Boolean)
    : [];
  if (stale.length) return c.redirect(withoutStaleFilters(LIST_PATH, query, stale), 302);
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
  // What "Save view" saves, and whether the open view has been refined since it was saved: custom numbers in
  // canonical form ("1.500" typed in de is "1500"), as colleagues in another format read the view.
  const canonicalCustom = Object.fromEntries(read!.custom.map((f) => [`cf_${f.fieldId}`, f.value]));
  const viewQuery = canonicalViewQuery(
    new URLSearchParams(listHref({ ...filters, custom: canonicalCustom }).split("?")[1] ?? ""),
  );
  // A view saved before views kept numbers canonical holds them as typed: it is "changed" against these.
  const typedQuery = canonicalViewQuery(new URLSearchParams(listHref(filters).split("?")[1] ?? ""));
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
        typedQuery,
        readerQuery,
      })}
      columnChoices={columnChoices(columns, customFields)}
      canWrite={results.canWrite}
      canErase={roleAtLeast(auth.role, "admin")}
    />,
  );
});
