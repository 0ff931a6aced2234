/**
 * The webhook events of deleting a tag or a custom field definition: every deal, contact and company that loses
 * the tag or a value gets its *.updated event, so a receiver syncing them drops it too. One INSERT ... SELECT per
 * event type, keyed by the tag or field id (a few bound parameters however many records carry it); they go in the
 * deletion's batch BEFORE its deletes, while the links they read still exist.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { SubjectType } from "../../db/schema";
import { webhookEventInsert } from "../webhooks/events";
import { companyData, contactData, dealUpdatedData, type PendingDealChange } from "../webhooks/payloads";

/** Each record type: its table and alias, its tag links, and its *.updated payload. */
const RECORDS: Record<
  SubjectType,
  { table: string; a: string; tagLinks: string; tagged: string; data: (p: PendingDealChange) => SQL }
> = {
  contact: { table: "contacts", a: "c", tagLinks: "contact_tags", tagged: "contact_id", data: () => contactData("c") },
  company: {
    table: "companies",
    a: "co",
    tagLinks: "company_tags",
    tagged: "company_id",
    data: () => companyData("co"),
  },
  deal: {
    table: "deals",
    a: "d",
    tagLinks: "deal_tags",
    tagged: "deal_id",
    data: (p) => dealUpdatedData(p.dropTagId === undefined ? ["custom_fields"] : ["tags"], "d", p),
  },
};

/** The *.updated event of each `entity` record whose id `links` (a SELECT of ids) gives. */
function updatedEvent(t: TenantDb, entity: SubjectType, links: SQL, pending: PendingDealChange, now: number) {
  const { table, a, data } = RECORDS[entity];
  const source = sql`FROM ${sql.raw(`${table} ${a}`)} WHERE ${sql.raw(a)}.tenant_id = ${t.tenantId}
    AND ${sql.raw(a)}.id IN (${links})`;
  // Contacts' and companies' payloads carry no tags or values (a receiver reads them through the API), as in
  // every other contact.updated and company.updated; a deal's shows it without what is being deleted.
  return webhookEventInsert(t, `${entity}.updated`, data(pending), source, now);
}

/** The events of deleting tag `tagId`: each deal, contact and company carrying it, without it. */
export function tagRemovalEvents(t: TenantDb, tagId: number, now: number) {
  const carrying = (entity: SubjectType) => {
    const { tagLinks, tagged } = RECORDS[entity];
    const links = sql`SELECT x.${sql.raw(tagged)} FROM ${sql.raw(tagLinks)} x
      WHERE x.tenant_id = ${t.tenantId} AND x.tag_id = ${tagId}`;
    return updatedEvent(t, entity, links, { dropTagId: tagId }, now);
  };
  return [carrying("deal"), carrying("contact"), carrying("company")] as const;
}

/** The event of deleting custom field `field`: each record of its entity holding a value of it, without it. */
export function fieldRemovalEvent(t: TenantDb, field: { id: number; entity: SubjectType }, now: number) {
  const links = sql`SELECT v.entity_id FROM custom_field_values v
    WHERE v.tenant_id = ${t.tenantId} AND v.field_id = ${field.id}`;
  return updatedEvent(t, field.entity, links, { dropFieldId: field.id }, now);
}
