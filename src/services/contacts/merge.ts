/**
 * Merging two contacts that are the same person. The one kept gains what only the other has: its emails and
 * phones after its own, its tags, the custom values it lacks and the fields it left empty. Everything that refers to
 * the other (notes, tasks, logged calls, meetings and emails, its history, its deals, its notes and tasks in the
 * trash) moves to the one kept, and the other is deleted. One batch: the first statement writes the kept contact
 * only if both are still at the versions the review showed, and every later one only if that write happened, so a
 * change made meanwhile leaves nothing half-merged.
 */
import { eq, ne, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { rawBatchResults } from "../../db/raw-batch";
import { contactEmails, contactPhones, contacts, tenantCounters } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { diff } from "../records/activity";
import { companyGone } from "../records/company-ref";
import {
  laterContacted,
  mergeAuditInsert,
  mergedContactReferences,
  movedSubjectStatements,
  type MergeIds,
} from "../records/merge-moves";
import { webhookEventInsert } from "../webhooks/events";
import { contactData } from "../webhooks/payloads";
import { CONTACT_LIMITS, type ContactInput } from "./form";
import { contactDisplayName, nameSortOf } from "./names";
import { getContactWithExtras } from "./page";
import { watchedRecord } from "./watched";
import { activityFromTarget, childStatements, contactColumns } from "./write";

type Side = NonNullable<Awaited<ReturnType<typeof getContactWithExtras>>>;

/**
 * Every table whose rows point at a contact, and what a merge does with the merged contact's rows: "moved" to
 * the one kept, "copied" (what the kept one lacks) before the merged one's go with it, or "dropped" with it.
 * test/contacts/merge.test.ts checks the schema against this list, so a new table that points at contacts cannot
 * be forgotten here.
 */
export const MERGE_PLAN = {
  contact_emails: "copied",
  contact_phones: "copied",
  contact_tags: "copied",
  custom_field_values: "copied",
  deal_contacts: "copied",
  notes: "moved",
  tasks: "moved",
  interactions: "moved",
  activities: "moved",
  trash_items: "moved",
  recent_views: "dropped",
  import_records: "dropped",
} as const;

/** Other contacts of the workspace with the same name as `contact` (none for a contact without one), at most 10. */
export async function sameNameContacts(
  t: TenantDb,
  contact: { id: number; firstName: string; lastName: string },
): Promise<{ id: number; name: string }[]> {
  const key = nameSortOf(contact.firstName, contact.lastName);
  if (key === "") return [];
  const rows = await t.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      primaryEmail: contacts.primaryEmail,
    })
    .from(contacts)
    .where(t.where(contacts, eq(contacts.nameSort, key), ne(contacts.id, contact.id)))
    .orderBy(contacts.id)
    .limit(10);
  return rows.map((r) => ({ id: r.id, name: contactDisplayName(r) }));
}

/** What the two contacts become: the kept one's fields, filled from the merged one's, and the lists joined. */
export interface MergeReview {
  into: Side;
  from: Side;
  merged: ContactInput & { companyName: string | null };
  /** Why the two cannot be merged as they are (too many emails, phones or tags together), or null. */
  refused: string | null;
}

/** The review of merging contact `fromId` into `intoId`; null when either is not the workspace's (or they are one). */
export async function mergeReview(t: TenantDb, intoId: number, fromId: number): Promise<MergeReview | null> {
  if (intoId === fromId) return null;
  const [into, from] = await Promise.all([getContactWithExtras(t, intoId), getContactWithExtras(t, fromId)]);
  if (!into || !from) return null;
  const a = into.contact;
  const b = from.contact;
  const joined = <T>(x: T[], y: T[]) => [...x, ...y.filter((v) => !x.includes(v))];
  const emails = joined(a.emails, b.emails);
  const phones = joined(a.phones, b.phones);
  const tagIds = joined(
    into.tags.map((g) => g.id),
    from.tags.map((g) => g.id),
  );
  const customValues = new Map<number, string | null>(from.values);
  for (const [field, value] of into.values) customValues.set(field, value);
  const fromCompany = a.companyId === null && b.companyId !== null;
  const merged = {
    firstName: a.firstName || b.firstName,
    lastName: a.lastName || b.lastName,
    emails,
    phones,
    jobTitle: a.jobTitle ?? b.jobTitle,
    companyId: fromCompany ? b.companyId : a.companyId,
    companyName: fromCompany ? b.companyName : a.companyName,
    address: a.address ?? b.address,
    tagIds,
    newTag: null,
    customValues,
    ownerId: a.ownerId ?? b.ownerId,
  };
  const over = (
    [
      ["email addresses", emails.length, CONTACT_LIMITS.emails],
      ["phone numbers", phones.length, CONTACT_LIMITS.phones],
      ["tags", tagIds.length, CONTACT_LIMITS.tags],
    ] as const
  ).find(([, n, max]) => n > max);
  const refused = over
    ? `Together they have ${over[1]} ${over[0]}; a contact keeps at most ${over[2]}. Remove some from either contact first.`
    : null;
  return { into, from, merged, refused };
}

export type MergeResult = "merged" | "conflict" | "refused";

/** The kept contact before and after, as its "updated" entry records a change (updateContact's record). */
function watchedPair(review: MergeReview) {
  const { into, from, merged } = review;
  const emails = new Map([into.contact, from.contact].map((c) => [c.ownerId, c.ownerEmail ?? "former member"]));
  const tagNames = new Map([...into.tags, ...from.tags].map((g) => [g.id, g.name]));
  const names = {
    owner: (id: string | null) => (id === null ? null : (emails.get(id) ?? "former member")),
    tags: (ids: number[]) => ids.map((id) => tagNames.get(id) ?? "").join(", "),
  };
  const before = { ...into.contact, tagIds: into.tags.map((g) => g.id), values: into.values };
  return [
    watchedRecord(before, names, into.customFields),
    watchedRecord({ ...merged, values: merged.customValues }, names, into.customFields),
  ] as const;
}

/**
 * Merges what `review` (just read by mergeReview) shows, if both contacts are still at the versions the reader saw
 * (`versions`). The kept contact's history says so, the audit trail names both by id, and webhooks hear
 * contact.updated for the one kept and contact.deleted for the other.
 */
export async function mergeContacts(
  t: TenantDb,
  // userId null: an API key whose maker's account is gone (src/services/api/).
  actor: KeyActor,
  review: MergeReview,
  versions: { into: number; from: number },
): Promise<MergeResult> {
  const { into, from, merged } = review;
  const intoId = into.contact.id;
  const fromId = from.contact.id;
  if (into.contact.updatedAt !== versions.into || from.contact.updatedAt !== versions.from) return "conflict";
  if (review.refused) return "refused";
  const { db, tenantId } = t;
  const version = Math.max(actor.now, versions.into + 1);
  const target = sql`c.id = ${intoId} AND c.updated_at = ${version}`;
  const ids: MergeIds = {
    into: intoId,
    from: fromId,
    done: sql`EXISTS (SELECT 1 FROM contacts c WHERE c.tenant_id = ${tenantId} AND ${target})`,
  };
  const { done } = ids;
  const [before, after] = watchedPair(review);
  const changes = diff(before, after, Object.keys(before));
  const statements = [
    t
      .update(
        contacts,
        {
          ...contactColumns(t, merged),
          updatedAt: version,
          lastActivityAt: version,
          // The later of the two (null when neither was contacted): the other's logged calls come along below.
          lastContactedAt: laterContacted(t, "contacts", fromId),
        },
        eq(contacts.id, intoId),
        eq(contacts.updatedAt, versions.into),
        sql`EXISTS (SELECT 1 FROM contacts b
          WHERE b.tenant_id = ${tenantId} AND b.id = ${fromId} AND b.updated_at = ${versions.from})`,
      )
      .returning({ id: contacts.id }),
    // The lists again in their joined order (the kept contact's first); the tags and values it lacks are added.
    t.delete(contactEmails, eq(contactEmails.contactId, intoId), done),
    t.delete(contactPhones, eq(contactPhones.contactId, intoId), done),
    ...childStatements(t, target, {
      emails: merged.emails,
      phones: merged.phones,
      tagIds: merged.tagIds,
      customValues: new Map([...merged.customValues].filter(([field]) => !into.values.has(field))),
    }),
    // The kept contact joins each deal the merged one was on; on a deal they shared it keeps its own role, or
    // takes the merged one's when it had none.
    sql`INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role)
      SELECT tenant_id, deal_id, ${intoId}, role FROM deal_contacts
      WHERE tenant_id = ${tenantId} AND contact_id = ${fromId} AND ${done}
      ON CONFLICT (tenant_id, deal_id, contact_id) DO UPDATE SET role = coalesce(deal_contacts.role, excluded.role)`,
    ...movedSubjectStatements(t, "contact", ids),
    ...mergedContactReferences(t, ids),
    // Its custom values (those the kept contact lacked are copied above); contacts, companies and deals share ids.
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND entity_id = ${fromId}
      AND field_id IN (SELECT f.id FROM custom_fields f WHERE f.tenant_id = ${tenantId} AND f.entity = 'contact')
      AND ${done}`,
    activityFromTarget(t, target, actor.userId, "merged", null, version),
    ...(Object.keys(changes).length ? [activityFromTarget(t, target, actor.userId, "updated", changes, version)] : []),
    t.update(tenantCounters, { contacts: sql`max(0, ${tenantCounters.contacts} - 1)` }, done),
    // Ids only, as for a delete: the merged contact's details live on in the kept one, not in the trail.
    mergeAuditInsert(t, actor, "contact", ids, `Contact #${intoId}`),
    webhookEventInsert(
      t,
      "contact.updated",
      contactData(),
      sql`FROM contacts c WHERE c.tenant_id = ${tenantId} AND ${target}`,
      version,
    ),
    webhookEventInsert(
      t,
      "contact.deleted",
      sql`json_object('id', b.id, 'erased', json('false'), 'merged_into', ${intoId})`,
      sql`FROM contacts b WHERE b.tenant_id = ${tenantId} AND b.id = ${fromId} AND ${done}`,
      version,
    ),
    // The kept contact's search document again, with the notes it gained (the index follows a note's body only).
    sql`UPDATE contacts SET first_name = first_name WHERE tenant_id = ${tenantId} AND id = ${intoId} AND ${done}`,
    // Last: its emails, phones, tags and deal links go with it (ON DELETE CASCADE), its search entry by trigger.
    t.delete(contacts, eq(contacts.id, fromId), done),
  ];
  let results: D1Result[];
  try {
    results = await rawBatchResults(db, statements);
  } catch (err) {
    // The company the review showed was removed meanwhile by a change that left both contacts' versions as they
    // were: the company columns' guard failed the first write and nothing was merged. The review is stale.
    if (companyGone(err, "contacts.company_sort")) return "conflict";
    throw err;
  }
  return (results[0]?.results ?? []).length > 0 ? "merged" : "conflict";
}
