/**
 * Actions on many contacts at once (the list's selection): which of the ids are the tenant's, and
 * tagging or untagging them, each with a timeline entry and a contact.updated webhook event on every contact
 * it changes, in one batch.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { activities, contacts, contactTags } from "../../db/schema";
import { listTags } from "../records/tags";
import { webhookEventInsert } from "../webhooks/events";
import { contactData } from "../webhooks/payloads";
import type { ContactFilterQuery } from "./list";
import { boundedCountSql, COUNT_BOUND, matchingIdsQuery } from "./matching";
import { contactDisplayName } from "./names";

/** Bulk actions take at most this many ids: one bounded batch, well inside D1's per-request limits. */
export const BULK_MAX_IDS = 500;

/** The tenant's contacts among `ids` (SQL), driven by the id list so it reads only those rows. */
export function ownedIdsSql(t: TenantDb, ids: number[]) {
  // CROSS JOIN fixes the join order: look each id up by primary key rather than walk the tenant.
  return sql`SELECT c.id FROM json_each(${JSON.stringify(ids)}) j CROSS JOIN contacts c ON c.id = j.value
    WHERE c.tenant_id = ${t.tenantId}`;
}

/** Of the given ids, the tenant's contacts, with their display names, in the order given. */
export async function ownedContacts(t: TenantDb, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  const rows = await t.db.all<{ id: number; first_name: string; last_name: string; primary_email: string | null }>(
    sql`SELECT c.id, c.first_name, c.last_name, c.primary_email
      FROM json_each(${JSON.stringify(ids)}) j CROSS JOIN contacts c ON c.id = j.value
      WHERE c.tenant_id = ${t.tenantId} ORDER BY j.key`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: contactDisplayName({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      primaryEmail: r.primary_email,
    }),
  }));
}

/**
 * The "tagged" timeline entry and the new activity time of each contact a tag change reaches; `changed`
 * selects their ids, and carries the tenant condition.
 */
function timelineStatements(t: TenantDb, actorId: string, changed: SQL, changes: string, now: number) {
  return [
    t.db
      .insert(activities)
      .select(
        sql`SELECT NULL, ${t.tenantId}, 'contact', id, ${actorId}, 'tagged', ${changes}, ${now} FROM (${changed})`,
      ),
    t.db.update(contacts).set({ updatedAt: now, lastActivityAt: now }).where(sql`${contacts.id} IN (${changed})`),
  ] as const;
}

/**
 * Attaches a tag to the tenant's contacts among `ids` that lack it (`adding`), or removes it from those
 * that have it, with a timeline entry on each contact it changes. Null when the tag is not the tenant's.
 */
async function changeTag(t: TenantDb, actorId: string, ids: number[], tagId: number, now: number, adding: boolean) {
  const tag = (await listTags(t)).find((x) => x.id === tagId);
  if (!tag) return null;
  const idList = JSON.stringify([...new Set(ids)].slice(0, BULK_MAX_IDS));
  const reached = sql`SELECT c.id FROM json_each(${idList}) j CROSS JOIN contacts c ON c.id = j.value
    WHERE c.tenant_id = ${t.tenantId} AND ${adding ? sql`NOT EXISTS` : sql`EXISTS`} (SELECT 1 FROM contact_tags ct
      WHERE ct.tenant_id = c.tenant_id AND ct.contact_id = c.id AND ct.tag_id = ${tagId})`;
  const changes = JSON.stringify({ tags: adding ? [null, tag.name] : [tag.name, null] });
  const write = adding
    ? t.db
        .insert(contactTags)
        .select(
          sql`SELECT c.tenant_id, c.id, t.id
            FROM json_each(${idList}) j CROSS JOIN contacts c ON c.id = j.value
            JOIN tags t ON t.id = ${tagId} AND t.tenant_id = c.tenant_id WHERE c.tenant_id = ${t.tenantId}`,
        )
        .onConflictDoNothing()
        .returning({ contactId: contactTags.contactId })
    : t
        .delete(
          contactTags,
          eq(contactTags.tagId, tagId),
          sql`${contactTags.contactId} IN (SELECT value FROM json_each(${idList}))`,
        )
        .returning({ contactId: contactTags.contactId });
  // The event goes in the change's batch, before the write changes which contacts `reached` selects; its
  // data is the contact as the write leaves it (with the tag, or without it).
  const event = webhookEventInsert(
    t,
    "contact.updated",
    contactData("c", adding ? { addTagId: tagId } : { dropTagId: tagId }),
    sql`FROM contacts c WHERE c.tenant_id = ${t.tenantId} AND c.id IN (${reached})`,
    now,
  );
  const [, , , written] = await t.db.batch([event, ...timelineStatements(t, actorId, reached, changes, now), write]);
  return written.length;
}

/** Attaches a tag to the tenant's contacts among `ids` (those that have it already are left alone). */
export function tagContacts(t: TenantDb, actorId: string, ids: number[], tagId: number, now: number) {
  return changeTag(t, actorId, ids, tagId, now, true);
}

/** Removes a tag from the tenant's contacts among `ids`. Null when the tag is not the tenant's. */
export function untagContacts(t: TenantDb, actorId: string, ids: number[], tagId: number, now: number) {
  return changeTag(t, actorId, ids, tagId, now, false);
}

/**
 * "Select all matching" reaches at most this many contacts in one request: BULK_MAX_IDS at a time, each
 * chunk a few statements (a delete about 15), so ten chunks stay well inside D1's 1,000 queries.
 */
export const MATCHING_MAX = 5_000;

/**
 * Applies `act` to every contact matching `filters`, BULK_MAX_IDS at a time in id order (each chunk its
 * own batch, so a chunk is all-or-nothing; running again finds only what is left to do), stopping after
 * MATCHING_MAX contacts. Returns how many `act` reported changed.
 */
export async function forEachMatchingChunk(
  t: TenantDb,
  filters: ContactFilterQuery,
  act: (ids: number[]) => Promise<number>,
): Promise<number> {
  let after = 0;
  let seen = 0;
  let changed = 0;
  while (seen < MATCHING_MAX) {
    const rows = await matchingIdsQuery(t, filters, after, Math.min(BULK_MAX_IDS, MATCHING_MAX - seen));
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    changed += await act(ids);
    seen += ids.length;
    after = ids[ids.length - 1]!;
  }
  return changed;
}

/** How many contacts match `filters`, counted up to COUNT_BOUND + 1 (a search too: this decides job or not). */
export async function countMatching(t: TenantDb, filters: ContactFilterQuery): Promise<number> {
  const [row] = await t.db.select({ n: boundedCountSql(t, filters, COUNT_BOUND) }).from(sql`(SELECT 1)`);
  return row?.n ?? 0;
}
