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
import { contactsListFromResults, contactsListStatements, SEARCH_SORT_WINDOW } from "../../../services/contacts/list";
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
import { contactFilterQuery, exportPageHref, parseContactFilters } from "../../list-filters";
import { noticeOf } from "../../record-helpers";
import {
  CONTACT_NOTICES,
  ContactResults,
  type ContactNotice,
  type SortLink,
} from "../../../../views/pages/contacts/ContactResults";
import { ContactsListPage, type ContactFilters } from "../../../../views/pages/contacts/ContactsListPage";

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

/** A list URL for some filters; only what differs from the defaults goes in. */
function listHref(f: ContactFilters, cursor?: string): string {
  const q = new URLSearchParams();
  if (f.q) q.set("q", f.q);
  if (f.tag) q.set("tag", f.tag);
  if (f.owner) q.set("owner", f.owner);
  if (f.company) q.set("company", f.company);
  for (const [k, v] of Object.entries(f.custom)) if (v) q.set(k, v);
  if (f.sort !== defaultSortFor(f.q ?? "")) q.set("sort", f.sort);
  if (f.dir !== DEFAULT_DIRECTION[f.sort as ContactSort]) q.set("dir", f.dir);
  if (cursor) q.set("cursor", cursor);
  const s = q.toString();
  return s ? `${LIST_PATH}?${s}` : LIST_PATH;
}

contactListRoutes.get("/", deferSessionCheck, async (c) => {
  const query = new URL(c.req.url).searchParams;

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
    };
    return { ...f, listQuery };
  };
  let read: Awaited<ReturnType<typeof readFilters>> | null = null;
  // One round trip for the whole page, the session check included (withSessionBatch). The total
  // comes from the tenant's counter, never from counting rows; only the unfiltered list shows it.
  const batch = await withSessionBatch(c, async (t) => {
    read = await readFilters(t);
    return contactsListStatements(t, read.listQuery, read.companyId);
  });
  if (!batch.ok) return batch.response;
  const auth = authOf(c);
  const { q, tagId, companyId, ownerId, customEcho, filtered, listQuery } = read!;
  const {
    page,
    customFields,
    tags,
    tagsByContact,
    members,
    total,
    companyName: company,
    sortWindowFull,
  } = await contactsListFromResults(batch.t, listQuery, batch.results);
  const counters = filtered ? null : { contacts: total };
  const ownerEmail = new Map(members.map((m) => [m.userId, m.email]));

  const filters: ContactFilters = {
    q,
    sort,
    dir,
    tag: tagId ? String(tagId) : "",
    owner: ownerId ?? "",
    company: companyId ? String(companyId) : "",
    custom: customEcho,
  };
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
    nextHref: page.next ? listHref(filters, encodeCursor(page.next)) : null,
    previousHref: page.previous ? listHref(filters, encodeCursor(page.previous)) : null,
    canWrite: roleAtLeast(auth.role, "member"),
    selfHref: listHref(filters, query.get("cursor") ?? undefined),
    // Admins and owners export; the link carries the filters, so the export is what the list shows.
    exportHref: roleAtLeast(auth.role, "admin")
      ? exportPageHref("contacts", contactFilterQuery({ q, tagId, companyId, ownerId, customEcho }))
      : null,
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
      company={
        companyId && company !== null ? { name: company, clearHref: listHref({ ...filters, company: "" }) } : null
      }
      sorts={CONTACT_SORTS.map((s) => ({
        value: s,
        label: SORT_LABELS[s][0]!.toUpperCase() + SORT_LABELS[s].slice(1),
      }))}
      notice={notice}
      canWrite={results.canWrite}
      canErase={roleAtLeast(auth.role, "admin")}
    />,
  );
});
