/**
 * What deleting a tag or a custom field definition (or renaming a field: the key of its value in every record's
 * `custom_fields`) does to the records that carried it, besides losing it: each
 * deal, contact and company gets a new updated_at (so an API client syncing by `updated_since` sees the change)
 * and its *.updated webhook event (so a receiver drops it too). One UPDATE and one INSERT ... SELECT per record
 * type, keyed by the tag or field id (a few bound parameters however many records carry it); they go in the
 * deletion's batch BEFORE its deletes, while the links they read still exist, the UPDATE first so the payload
 * carries the new time. No trigger reads updated_at alone (the search index and the reports watch other columns).
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, contacts, deals, type SubjectType } from "../../db/schema";
import { webhookEventInsert } from "../webhooks/events";
import { companyData, contactData, dealUpdatedData, type PendingChange } from "../webhooks/payloads";

const TABLES = { contact: contacts, company: companies, deal: deals } as const;

/** Each record type: its table and alias, its tag links, and its *.updated payload. */
const RECORDS: Record<
  SubjectType,
  { table: string; a: string; tagLinks: string; tagged: string; data: (p: PendingChange) => SQL }
> = {
  contact: {
    table: "contacts",
    a: "c",
    tagLinks: "contact_tags",
    tagged: "contact_id",
    data: (p) => contactData("c", p),
  },
  company: {
    table: "companies",
    a: "co",
    tagLinks: "company_tags",
    tagged: "company_id",
    data: (p) => companyData("co", p),
  },
  deal: {
    table: "deals",
    a: "d",
    tagLinks: "deal_tags",
    tagged: "deal_id",
    data: (p) => dealUpdatedData(p.dropTagId === undefined ? ["custom_fields"] : ["tags"], "d", p),
  },
};

/** The new updated_at and the *.updated event of each `entity` record whose id `links` (a SELECT of ids) gives. */
function updated(t: TenantDb, entity: SubjectType, links: SQL, pending: PendingChange, now: number) {
  const { table, a, data } = RECORDS[entity];
  const record = TABLES[entity];
  const touch = t.update(record, { updatedAt: now }, sql`${record.id} IN (${links})`);
  const source = sql`FROM ${sql.raw(`${table} ${a}`)} WHERE ${sql.raw(a)}.tenant_id = ${t.tenantId}
    AND ${sql.raw(a)}.id IN (${links})`;
  // Each payload shows the record without what is being deleted.
  return [touch, webhookEventInsert(t, `${entity}.updated`, data(pending), source, now)] as const;
}

/** What deleting tag `tagId` does to each deal, contact and company carrying it (see above). */
export function tagRemovalChanges(t: TenantDb, tagId: number, now: number) {
  const carrying = (entity: SubjectType) => {
    const { tagLinks, tagged } = RECORDS[entity];
    // Not `x`: the payload's subqueries name their derived tables so, and one alias for both reads ambiguously.
    const links = sql`SELECT tl.${sql.raw(tagged)} FROM ${sql.raw(tagLinks)} tl
      WHERE tl.tenant_id = ${t.tenantId} AND tl.tag_id = ${tagId}`;
    return updated(t, entity, links, { dropTagId: tagId }, now);
  };
  return [...carrying("deal"), ...carrying("contact"), ...carrying("company")] as const;
}

/** What deleting custom field `field` does to each record of its entity holding a value of it (see above). */
export function fieldRemovalChanges(t: TenantDb, field: { id: number; entity: SubjectType }, now: number) {
  const links = sql`SELECT v.entity_id FROM custom_field_values v
    WHERE v.tenant_id = ${t.tenantId} AND v.field_id = ${field.id}`;
  return updated(t, field.entity, links, { dropFieldId: field.id }, now);
}

/**
 * What renaming custom field `field` to `field.name` does to each record of its entity holding a value of it: a new
 * updated_at and an *.updated event showing the value under the new name. Put AFTER the rename in its batch: only
 * a rename that happened (the field has the new name) changes the records.
 */
export function fieldRenameChanges(t: TenantDb, field: { id: number; entity: SubjectType; name: string }, now: number) {
  const links = sql`SELECT v.entity_id FROM custom_field_values v
    WHERE v.tenant_id = ${t.tenantId} AND v.field_id = ${field.id}
      AND EXISTS (SELECT 1 FROM custom_fields rf WHERE rf.tenant_id = ${t.tenantId} AND rf.id = ${field.id}
        AND rf.name = ${field.name})`;
  return updated(t, field.entity, links, {}, now);
}
