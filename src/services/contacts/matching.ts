/**
 * What the contacts list's search and filters match, apart from paging: the conditions the list
 * shares, the bounded count of matches the pager shows, and the id walk of "select all matching".
 */
import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts } from "../../db/schema";
import type { ContactFilterQuery } from "./list";

/** The conditions of the list's filters (not the search's MATCH, not the page's keyset). */
export function filterConditions(t: TenantDb, q: ContactFilterQuery): SQL[] {
  const conditions: SQL[] = [];
  if (q.companyId !== null) conditions.push(eq(contacts.companyId, q.companyId));
  if (q.ownerId !== null) conditions.push(eq(contacts.ownerId, q.ownerId));
  if (q.tagId !== null) {
    conditions.push(
      sql`${contacts.id} IN (SELECT contact_id FROM contact_tags
        WHERE tenant_id = ${t.tenantId} AND tag_id = ${q.tagId})`,
    );
  }
  for (const f of q.custom.slice(0, 5)) {
    conditions.push(
      sql`${contacts.id} IN (SELECT entity_id FROM custom_field_values
        WHERE tenant_id = ${t.tenantId} AND field_id = ${f.fieldId} AND value = ${f.value})`,
    );
  }
  return conditions;
}

/** A filtered list is counted up to this many matches; beyond, the pager says "over". */
export const COUNT_BOUND = 10_000;
/**
 * A search is counted up to this many matches ("1–50 of over 200"): the count runs on each keystroke, and
 * counting 1,000 matches of a three-letter word cost more than the page itself (docs/benchmarks.md).
 */
export const SEARCH_COUNT_BOUND = 200;

/** How far the pager counts this list's matches. */
export function countBound(q: Pick<ContactFilterQuery, "match">): number {
  return q.match === null ? COUNT_BOUND : SEARCH_COUNT_BOUND;
}

/**
 * The ids of the contacts matching the filters and search (SQL selecting `id`), in id order from
 * `afterId` (and up to `upToId`, when given), at most `limit`: the walk of "select all matching", and (as a
 * subquery) the bounded count.
 */
export function matchingIdsQuery(
  t: TenantDb,
  q: ContactFilterQuery,
  afterId: number,
  limit: number,
  opts: { ordered?: boolean; upToId?: number | null } = {},
) {
  const ordered = opts.ordered ?? true;
  const conditions = [...filterConditions(t, q), sql`${contacts.id} > ${afterId}`];
  // A background job reaches only contacts that existed when it was confirmed (ids only grow: AUTOINCREMENT).
  if (opts.upToId != null) conditions.push(sql`${contacts.id} <= ${opts.upToId}`);
  // A count needs no order: left free, SQLite picks the cheapest index for the filters.
  const order = ordered ? [q.match === null ? asc(contacts.id) : sql`contacts_fts.rowid ASC`] : [];
  if (q.match === null)
    return t.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(t.where(contacts, ...conditions))
      .orderBy(...order)
      .limit(limit);
  // The search index drives, as in the list (contactsListQuery).
  conditions.push(sql`contacts_fts MATCH ${q.match}`, sql`${contacts.id} = contacts_fts.rowid`);
  return t.db
    .select({ id: contacts.id })
    .from(sql`contacts_fts`)
    .crossJoin(contacts)
    .where(t.where(contacts, ...conditions))
    .orderBy(...order)
    .limit(limit);
}

/** How many contacts match, counted up to countBound + 1 (one query; never the whole workspace). */
export function boundedCountSql(t: TenantDb, q: ContactFilterQuery, bound = countBound(q)) {
  // A search without filters is counted in the search index alone (its MATCH names the tenant's token,
  // and the index holds one row per contact): no contact row is read per match.
  if (q.match !== null && filterConditions(t, q).length === 0)
    return sql<number>`(SELECT count(*) FROM (SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ${q.match}
      LIMIT ${bound + 1}))`;
  return sql<number>`(SELECT count(*) FROM (${matchingIdsQuery(t, q, 0, bound + 1, { ordered: false })}))`;
}
