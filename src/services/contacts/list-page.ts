/**
 * The contacts list page's reads: the page of contacts (list.ts) and, in the same D1 batch, the workspace's custom
 * fields, tags, members, record count, the filtered company's name and the saved views.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, customFields, memberships, tags, tenantCounters, users } from "../../db/schema";
import { toCustomField, type CustomField } from "../records/custom-fields";
import { listedViews, viewsContextSql, type ListedView } from "../records/saved-views";
import type { Tag } from "../records/tags";
import type { Member } from "../records/workspace";
import {
  type ContactListPage,
  type ContactListQuery,
  contactsListQueries,
  listContacts,
  pageOf,
  pageRows,
  windowFull,
} from "./list";
import { boundedCountSql } from "./matching";

export interface ContactListView {
  page: ContactListPage;
  customFields: CustomField[];
  tags: Tag[];
  tagsByContact: Map<number, Tag[]>;
  members: Member[];
  total: number;
  /** How many contacts the filters match, up to COUNT_BOUND + 1; null when the list is not filtered. */
  matching: number | null;
  companyName: string | null;
  /** Sorted among only the newest SEARCH_SORT_WINDOW matches: more matched than that. */
  sortWindowFull: boolean;
  /** The saved views the viewer sees, in tab order, and the one they chose to open by default. */
  savedViews: ListedView[];
  defaultViewId: number | null;
}

export type { ListedView };

/**
 * Everything the list page reads (the page of contacts with their tag ids, the tenant's custom
 * fields, tags, members, record count and the filtered company's name), as statements for ONE D1
 * batch; the route puts the session check in the same batch (withSessionBatch). Each round trip costs
 * about as much as the work it carries at this size.
 */
export function contactsListStatements(
  t: TenantDb,
  q: ContactListQuery,
  companyId: number | null,
  filtered: boolean,
  viewer: SQL = sql`NULL`,
) {
  const { tenantId } = t;
  // The saved views the viewer sees (their own and the shared ones); `viewer` is their user id, or the
  // session's when the session is checked in the same batch.
  const views = viewsContextSql(t, "contact", viewer);
  // The page (one read, or two for a nullable sort), and the page's context aggregated into one row of
  // JSON in SQL, last.
  return [
    ...contactsListQueries(t, q),
    t.db
      .select({
        fields: sql<string>`(SELECT json_group_array(json_object('id', id, 'tenantId', tenant_id, 'entity', entity,
            'name', name, 'nameKey', name_key, 'kind', kind, 'options', options, 'position', position,
            'createdAt', created_at))
          FROM (SELECT * FROM ${customFields}
            WHERE ${customFields.tenantId} = ${tenantId} AND ${customFields.entity} = 'contact'
            ORDER BY ${customFields.position}, ${customFields.id}))`,
        tags: sql<string>`(SELECT json_group_array(json_object('id', id, 'name', name, 'color', color))
          FROM (SELECT ${tags.id} AS id, ${tags.name} AS name, ${tags.color} AS color FROM ${tags}
            WHERE ${tags.tenantId} = ${tenantId} ORDER BY ${tags.nameKey}))`,
        members: sql<string>`(SELECT json_group_array(json_object('userId', user_id, 'email', email))
          FROM (SELECT ${memberships.userId} AS user_id, ${users.email} AS email
            FROM ${memberships} JOIN ${users} ON ${users.id} = ${memberships.userId}
            WHERE ${memberships.tenantId} = ${tenantId} ORDER BY ${users.email}))`,
        total: sql<
          number | null
        >`(SELECT ${tenantCounters.contacts} FROM ${tenantCounters} WHERE ${tenantCounters.tenantId} = ${tenantId})`,
        company: sql<string | null>`(SELECT ${companies.name} FROM ${companies}
          WHERE ${companies.tenantId} = ${tenantId} AND ${companies.id} = ${companyId ?? 0})`,
        // Only a filtered list is counted (bounded); the unfiltered one has the counter above.
        matching: filtered ? boundedCountSql(t, q) : sql<number | null>`NULL`,
        windowFull: windowFull(t, q).as("window_full"),
        views: views.views,
        defaultView: views.defaultView.as("default_view"),
      })
      .from(sql`(SELECT 1)`),
  ] as const;
}

/** The list page's view from what contactsListStatements read (in a batch, maybe with the session check). */
export async function contactsListFromResults(
  t: TenantDb,
  q: ContactListQuery,
  results: unknown[],
): Promise<ContactListView> {
  const fetched = pageRows(results.slice(0, -1));
  const contextRows = results.at(-1) as {
    fields: string;
    tags: string;
    members: string;
    total: number | null;
    matching: number | null;
    company: string | null;
    windowFull: number;
    views: string;
    defaultView: number | null;
  }[];
  const context = contextRows[0]!;
  const fieldRows = JSON.parse(context.fields) as (typeof customFields.$inferSelect)[];
  const tagRows = JSON.parse(context.tags) as Tag[];
  const members = JSON.parse(context.members) as Member[];
  const counterRows = [{ contacts: context.total ?? 0 }];
  const companyRows = context.company === null ? [] : [{ name: context.company }];
  const rows = fetched;
  const page =
    (q.cursor?.back ?? false) && rows.length === 0 ? await listContacts(t, { ...q, cursor: null }) : pageOf(rows, q);
  const tagById = new Map(tagRows.map((t) => [t.id, t]));
  const tagsByContact = new Map<number, Tag[]>();
  for (const r of page.rows) {
    const ids = r.tagIds ? r.tagIds.split(",").map(Number) : [];
    tagsByContact.set(
      r.id,
      ids
        .map((id) => tagById.get(id))
        .filter((t): t is Tag => t !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  return {
    page,
    customFields: fieldRows.map(toCustomField),
    tags: tagRows,
    tagsByContact,
    members,
    total: counterRows[0]?.contacts ?? 0,
    matching: context.matching,
    companyName: companyRows[0]?.name ?? null,
    sortWindowFull: context.windowFull === 1,
    ...listedViews(context.views, context.defaultView),
  };
}
