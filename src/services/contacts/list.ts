/**
 * The contacts list: one page of the tenant's contacts by keyset (search, filters, sorts). What else the list page
 * shows, read in the same D1 batch, is in list-page.ts.
 */
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts, contactTags, customFieldValues } from "../../db/schema";
import { nullsLastReads, type SegmentRead } from "../records/nulls-last";
import { filterConditions } from "./matching";
import { NULLABLE_SORTS, SORT_COLUMNS, type ContactCursor, type ContactSort, type SortDirection } from "./sort";

export const CONTACTS_PAGE_SIZE = 50;
/**
 * A search sorted by anything but creation sorts only its newest matches, this many (the page says so):
 * sorting every match of a short word costs p95 315 ms at a million contacts, this costs a few ms
 * (2,000 measured CPU p95 9.9 ms there, too close to the 10 ms goal; docs/benchmarks.md).
 */
export const SEARCH_SORT_WINDOW = 1000;

/** What narrows the list: the search and the filters. */
export type ContactFilterQuery = Pick<ContactListQuery, "match" | "tagId" | "companyId" | "ownerId" | "custom">;

export interface ContactListQuery {
  sort: ContactSort;
  dir: SortDirection;
  /** The FTS5 MATCH expression (from ftsQuery), or null for no search. */
  match: string | null;
  tagId: number | null;
  companyId: number | null;
  ownerId: string | null;
  /** Custom field equality filters: values already in canonical form. */
  custom: { fieldId: number; value: string }[];
  cursor: ContactCursor | null;
  /** Custom fields shown as columns: their values come with each row (one subquery), none if absent. */
  customColumnIds?: number[];
}

export interface ContactListRow {
  id: number;
  firstName: string;
  lastName: string;
  primaryEmail: string | null;
  primaryPhone: string | null;
  companyId: number | null;
  companyName: string | null;
  ownerId: string | null;
  updatedAt: number;
  lastContactedAt: number | null;
  /** A calendar date ('YYYY-MM-DD'), kept by the tasks. */
  nextTaskDue: string | null;
  /** The value of the column the page is sorted by, for the cursors. */
  sortValue: string | number | null;
  /** Comma-separated tag ids, or null. */
  tagIds: string | null;
  /** The shown custom fields' values as a JSON object (field id → value), or null. */
  customValues?: string | null;
}

/**
 * The columns of a list row: what the table shows, and the sort column's value once (the cursors
 * need it for the first and last rows), rather than every sortable column for every row.
 */
const listFields = (tenantId: string, sort: ContactSort, customColumnIds: readonly number[] = []) => ({
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  primaryEmail: contacts.primaryEmail,
  primaryPhone: contacts.primaryPhone,
  companyId: contacts.companyId,
  companyName: contacts.companyName,
  ownerId: contacts.ownerId,
  updatedAt: contacts.updatedAt,
  lastContactedAt: contacts.lastContactedAt,
  nextTaskDue: contacts.nextTaskDue,
  sortValue: sql<string | number | null>`${SORT_COLUMNS[sort]}`.as("sort_value"),
  // The row's tag ids, looked up on contact_tags' primary key: no second query for the page's tags. The outer
  // row is `contacts.id` in the text: drizzle writes a one-table select's columns unqualified, and inside the
  // subquery "id" or "tenant_id" would name the subquery's own table (tenant_id = tenant_id, always true).
  tagIds: sql<string | null>`(SELECT group_concat(${contactTags.tagId}) FROM ${contactTags}
    WHERE ${contactTags.tenantId} = ${tenantId} AND ${contactTags.contactId} = contacts.id)`,
  // The shown custom fields' values, on the values' primary key (tenant, field, contact): no query per row.
  ...(customColumnIds.length
    ? {
        customValues: sql<
          string | null
        >`(SELECT json_group_object(CAST(${customFieldValues.fieldId} AS TEXT), ${customFieldValues.value})
          FROM ${customFieldValues} WHERE ${customFieldValues.tenantId} = ${tenantId}
          AND ${customFieldValues.fieldId} IN (${sql.join(
            customColumnIds.map((id) => sql`${id}`),
            sql`, `,
          )}) AND ${customFieldValues.entityId} = contacts.id)`.as("custom_values"),
      }
    : {}),
});

/**
 * The reads of one page of the list: one query, or for a sort whose column may be null two (the rows
 * with a value, then those without: records/nulls-last.ts), whose rows together make the page.
 */
export function contactsListQueries(t: TenantDb, q: ContactListQuery) {
  if (!NULLABLE_SORTS.has(q.sort)) return [contactsListQuery(t, q)];
  return nullsLastReads(SORT_COLUMNS[q.sort], contacts.id, q.dir, q.cursor).map((read) =>
    contactsListQuery(t, q, read),
  );
}

/**
 * The query for one page of the list (PAGE_SIZE + 1 rows, to know whether there is more). Exported
 * so tests can EXPLAIN exactly this SQL. Keyset paging: (sort column, id) beyond the cursor, on the
 * index (tenant_id, sort column, id); never OFFSET. `read`: one of a nullable sort's reads (by
 * default its first).
 */
export function contactsListQuery(t: TenantDb, q: ContactListQuery, read?: SegmentRead) {
  const column = SORT_COLUMNS[q.sort];
  const segment =
    read ?? (NULLABLE_SORTS.has(q.sort) ? nullsLastReads(column, contacts.id, q.dir, q.cursor)[0] : undefined);
  const back = q.cursor?.back ?? false;
  // Going back reads the other way from the cursor; the rows are put back in order afterwards.
  const ascending = (q.dir === "asc") !== back;
  const keyset: SQL[] = [];
  // In a search sorted by creation, order by the contact id (the search index's rowid; ids grow with
  // creation) so SQLite streams matches from the index and stops after one page instead of sorting
  // every match. The cursor's id alone is the keyset then.
  const byRowid = q.match !== null && q.sort === "created";
  if (segment) keyset.push(...segment.where);
  else if (q.cursor) {
    if (byRowid)
      keyset.push(ascending ? sql`contacts_fts.rowid > ${q.cursor.id}` : sql`contacts_fts.rowid < ${q.cursor.id}`);
    else
      keyset.push(
        ascending
          ? sql`(${column}, ${contacts.id}) > (${q.cursor.value}, ${q.cursor.id})`
          : sql`(${column}, ${contacts.id}) < (${q.cursor.value}, ${q.cursor.id})`,
      );
  }
  const order = segment
    ? segment.orderBy
    : byRowid
      ? [ascending ? sql`contacts_fts.rowid ASC` : sql`contacts_fts.rowid DESC`]
      : ascending
        ? [asc(column), asc(contacts.id)]
        : [desc(column), desc(contacts.id)];
  const conditions = [...filterConditions(t, q), ...keyset];
  if (q.match !== null && !byRowid) {
    // Any other sort: the newest SEARCH_SORT_WINDOW matches are read from the search index (as the
    // search by creation reads them), then looked up by id and sorted; the keyset pages within them.
    return t.db
      .select(listFields(t.tenantId, q.sort, q.customColumnIds))
      .from(sql`(${searchWindow(t, q, SEARCH_SORT_WINDOW)}) AS search_window`)
      .crossJoin(contacts)
      .where(t.where(contacts, sql`${contacts.id} = search_window.hit`, ...keyset))
      .orderBy(...order)
      .limit(CONTACTS_PAGE_SIZE + 1);
  }
  if (q.match !== null) {
    // The search index drives (CROSS JOIN fixes SQLite's join order): its MATCH always names the
    // tenant's token, and contacts are joined by rowid with the tenant condition repeated. Left to
    // itself the planner may walk the tenant's sort index and probe the search index row by row,
    // which costs the whole tenant when matches are rare; this way a search costs its matches.
    conditions.push(sql`contacts_fts MATCH ${q.match}`, sql`${contacts.id} = contacts_fts.rowid`);
    return t.db
      .select(listFields(t.tenantId, q.sort, q.customColumnIds))
      .from(sql`contacts_fts`)
      .crossJoin(contacts)
      .where(t.where(contacts, ...conditions))
      .orderBy(...order)
      .limit(CONTACTS_PAGE_SIZE + 1);
  }
  return t.db
    .select(listFields(t.tenantId, q.sort, q.customColumnIds))
    .from(contacts)
    .where(t.where(contacts, ...conditions))
    .orderBy(...order)
    .limit(CONTACTS_PAGE_SIZE + 1);
}

/**
 * The ids (as `hit`) of the newest `limit` contacts matching the search and the filters, streamed from
 * the search index by rowid. The MATCH names the tenant's token; the query that reads the rows repeats the
 * tenant condition on contacts (and so does this one when filters need the contact's columns).
 */
function searchWindow(t: TenantDb, q: ContactListQuery, limit: number): SQL {
  const filters = filterConditions(t, q);
  if (filters.length === 0)
    return sql`SELECT rowid AS hit FROM contacts_fts WHERE contacts_fts MATCH ${q.match} ORDER BY rowid DESC LIMIT ${limit}`;
  return sql`SELECT contacts_fts.rowid AS hit FROM contacts_fts CROSS JOIN ${contacts}
    WHERE ${t.where(contacts, sql`contacts_fts MATCH ${q.match}`, sql`${contacts.id} = contacts_fts.rowid`, ...filters)}
    ORDER BY contacts_fts.rowid DESC LIMIT ${limit}`;
}

/** Whether the list is sorted among only the first SEARCH_SORT_WINDOW matches (more matched). */
export function windowFull(t: TenantDb, q: ContactListQuery): SQL<number> {
  if (q.match === null || q.sort === "created") return sql<number>`0`;
  return sql<number>`(SELECT count(*) > ${SEARCH_SORT_WINDOW} FROM (${searchWindow(t, q, SEARCH_SORT_WINDOW + 1)}))`;
}

export interface ContactListPage {
  rows: ContactListRow[];
  next: ContactCursor | null;
  previous: ContactCursor | null;
}

/** The page's rows from its reads' results, in order: PAGE_SIZE + 1 at most. */
export function pageRows(results: readonly unknown[]): ContactListRow[] {
  return (results as ContactListRow[][]).flat().slice(0, CONTACTS_PAGE_SIZE + 1);
}

/** One page of the tenant's contacts, with cursors for the pages after and before it. */
export async function listContacts(t: TenantDb, q: ContactListQuery): Promise<ContactListPage> {
  const [first, ...rest] = contactsListQueries(t, q);
  const fetched = pageRows(await t.db.batch([first!, ...rest]));
  // Nothing before the cursor any more (those rows were deleted): start from the beginning.
  if ((q.cursor?.back ?? false) && fetched.length === 0) return listContacts(t, { ...q, cursor: null });
  return pageOf(fetched, q);
}

/** The page (rows in order, cursors) from the PAGE_SIZE + 1 rows the list query fetched. */
export function pageOf(fetched: ContactListRow[], q: ContactListQuery): ContactListPage {
  const back = q.cursor?.back ?? false;
  const more = fetched.length > CONTACTS_PAGE_SIZE;
  const rows = fetched.slice(0, CONTACTS_PAGE_SIZE);
  if (back) rows.reverse();
  const at = (row: ContactListRow | undefined, isBack: boolean): ContactCursor | null =>
    row ? { sort: q.sort, dir: q.dir, value: row.sortValue, id: row.id, back: isBack } : null;
  // Forward: there is a next page when a row beyond this page came back; a previous one when we came
  // from somewhere. Backward: the other way round.
  const hasNext = back ? true : more;
  const hasPrevious = back ? more : q.cursor !== null;
  return {
    rows,
    next: hasNext ? at(rows.at(-1), false) : null,
    previous: hasPrevious ? at(rows[0], true) : null,
  };
}
