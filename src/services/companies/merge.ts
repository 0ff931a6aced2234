/**
 * Merging two companies that are one business (an import's "Acme" beside "Acme Inc."). The one kept keeps its
 * values and fills the fields it left empty from the other; it gains the other's tags and the custom values it
 * lacks; the other's contacts, deals, notes, tasks, logged interactions, history and trashed notes and tasks move
 * to it, and the other is deleted. One batch, written only if both are still at the versions the review showed
 * (src/services/contacts/merge.ts merges contacts the same way).
 */
import { eq, sql } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { companies, contacts, deals, tenantCounters } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { matchingDomain } from "../../lib/domain";
import { diff } from "../records/activity";
import { listCustomFields, type CustomField } from "../records/custom-fields";
import {
  laterContacted,
  mergeAuditInsert,
  mergedCompanyReferences,
  movedSubjectStatements,
  type MergeIds,
} from "../records/merge-moves";
import { webhookEventInsert } from "../webhooks/events";
import { companyData } from "../webhooks/payloads";
import { nameSortKey } from "./form";
import { getCompanyForEdit, type Company } from "./page";

/**
 * Every table whose rows point at a company, and what a merge does with the merged company's rows: "moved" to the
 * one kept, "copied" (what the kept one lacks) before the merged one's go with it, or "dropped" with it.
 * test/companies/merge.test.ts checks the schema against this list.
 */
export const COMPANY_MERGE_PLAN = {
  contacts: "moved",
  deals: "moved",
  company_tags: "copied",
  custom_field_values: "copied",
  notes: "moved",
  tasks: "moved",
  interactions: "moved",
  activities: "moved",
  trash_items: "moved",
  recent_views: "dropped",
  import_records: "dropped",
} as const;

type Side = NonNullable<Awaited<ReturnType<typeof getCompanyForEdit>>> & { contacts: number; deals: number };

/** What the two companies become: the kept one's fields, filled from the merged one's, tags and values joined. */
export interface CompanyMergeReview {
  into: Side;
  from: Side;
  fields: CustomField[];
  merged: Omit<Company, "id" | "ownerEmail" | "createdAt" | "updatedAt"> & {
    tagIds: number[];
    values: Map<number, string>;
  };
}

async function side(t: TenantDb, id: number): Promise<Side | null> {
  const [edit, [counts]] = await Promise.all([
    getCompanyForEdit(t, id),
    t.db.all<{ contacts: number; deals: number }>(sql`SELECT
      (SELECT count(*) FROM contacts c WHERE c.tenant_id = ${t.tenantId} AND c.company_id = ${id}) AS contacts,
      (SELECT count(*) FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.company_id = ${id}) AS deals`),
  ]);
  return edit ? { ...edit, ...counts! } : null;
}

/** The review of merging company `fromId` into `intoId`; null when either is not the workspace's (or they are one). */
export async function companyMergeReview(
  t: TenantDb,
  intoId: number,
  fromId: number,
): Promise<CompanyMergeReview | null> {
  if (intoId === fromId) return null;
  const [into, from, fields] = await Promise.all([side(t, intoId), side(t, fromId), listCustomFields(t, "company")]);
  if (!into || !from) return null;
  const a = into.company;
  const b = from.company;
  const values = new Map(from.values);
  for (const [field, value] of into.values) values.set(field, value);
  const tagIds = [
    ...into.tags.map((g) => g.id),
    ...from.tags.map((g) => g.id).filter((id) => !into.tags.some((g) => g.id === id)),
  ];
  const merged = {
    name: a.name,
    domain: a.domain ?? b.domain,
    industry: a.industry ?? b.industry,
    size: a.size ?? b.size,
    address: a.address ?? b.address,
    phone: a.phone ?? b.phone,
    ownerId: a.ownerId ?? b.ownerId,
    tagIds,
    values,
  };
  return { into, from, fields, merged };
}

/** Other companies of the workspace with the kept one's name or domain, at most 10: the likely duplicates. */
export async function likelyDuplicateCompanies(
  t: TenantDb,
  company: Pick<Company, "id" | "name" | "domain">,
): Promise<{ id: number; name: string; detail: string }[]> {
  // Two index lookups (by name, by domain), not one OR that would walk the workspace's companies. A shared host
  // (facebook.com, gmail.com) says nothing of who a company is: only the name counts then.
  const domain = matchingDomain(company.domain);
  const rows = await t.db.all<{ id: number; name: string; domain: string | null }>(sql`
    SELECT id, name, domain FROM companies WHERE tenant_id = ${t.tenantId} AND name_sort = ${nameSortKey(company.name)}
      AND id <> ${company.id}
    UNION
    SELECT id, name, domain FROM companies WHERE tenant_id = ${t.tenantId} AND domain = ${domain}
      AND id <> ${company.id}
    ORDER BY id LIMIT 10`);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    detail: domain && r.domain === domain ? `same domain, ${r.domain}` : "same name",
  }));
}

/** The kept company's fields before and after, as its "updated" entry records a change. */
function watched(review: CompanyMergeReview) {
  const { into, from, merged, fields } = review;
  const emails = new Map([into.company, from.company].map((c) => [c.ownerId, c.ownerEmail ?? "former member"]));
  const tagNames = new Map([...into.tags, ...from.tags].map((g) => [g.id, g.name]));
  const record = (c: CompanyMergeReview["merged"]) => {
    const out: Record<string, unknown> = {
      domain: c.domain,
      industry: c.industry,
      size: c.size,
      address: c.address,
      phone: c.phone,
      owner: c.ownerId === null ? null : (emails.get(c.ownerId) ?? "former member"),
      tags: c.tagIds.map((id) => tagNames.get(id) ?? "").join(", "),
    };
    for (const f of fields) out[f.name] = c.values.get(f.id) ?? null;
    return out;
  };
  const before = record({ ...into.company, tagIds: into.tags.map((g) => g.id), values: into.values });
  const after = record(merged);
  return diff(before, after, Object.keys(before));
}

/**
 * Merges what `review` shows if both companies are still at the versions the reader saw. The kept company's
 * history says so, its contacts' company name follows, the audit trail names both by id, and webhooks hear
 * company.updated for the kept one and company.deleted for the other. False when either changed meanwhile.
 */
export async function mergeCompanies(
  t: TenantDb,
  actor: KeyActor,
  review: CompanyMergeReview,
  versions: { into: number; from: number },
): Promise<boolean> {
  const { into, from, merged } = review;
  const intoId = into.company.id;
  const fromId = from.company.id;
  if (into.company.updatedAt !== versions.into || from.company.updatedAt !== versions.from) return false;
  const { db, tenantId } = t;
  const version = Math.max(actor.now, versions.into + 1);
  const done = sql`EXISTS (SELECT 1 FROM companies k WHERE k.tenant_id = ${tenantId} AND k.id = ${intoId}
    AND k.updated_at = ${version})`;
  const changes = watched(review);
  const activity = (kind: "merged" | "updated", detail: Record<string, unknown> | null) =>
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT ${tenantId}, 'company', ${intoId}, ${actor.userId}, ${kind}, ${detail ? JSON.stringify(detail) : null},
        ${version} WHERE ${done}`;
  const ids: MergeIds = { into: intoId, from: fromId, done };
  const companyFields = sql`(SELECT f.id FROM custom_fields f WHERE f.tenant_id = ${tenantId} AND f.entity = 'company')`;
  const results = await rawBatchResults(db, [
    t
      .update(
        companies,
        {
          domain: merged.domain,
          industry: merged.industry,
          size: merged.size,
          address: merged.address,
          phone: merged.phone,
          ownerId: merged.ownerId,
          updatedAt: version,
          lastActivityAt: version,
          lastContactedAt: laterContacted(t, "companies", fromId),
        },
        eq(companies.id, intoId),
        eq(companies.updatedAt, versions.into),
        sql`EXISTS (SELECT 1 FROM companies b
          WHERE b.tenant_id = ${tenantId} AND b.id = ${fromId} AND b.updated_at = ${versions.from})`,
      )
      .returning({ id: companies.id }),
    sql`INSERT OR IGNORE INTO company_tags (tenant_id, company_id, tag_id)
      SELECT tenant_id, ${intoId}, tag_id FROM company_tags WHERE tenant_id = ${tenantId} AND company_id = ${fromId}
      AND ${done}`,
    // The kept company's own values win (the primary key ignores the other's for the same field).
    sql`INSERT OR IGNORE INTO custom_field_values (tenant_id, field_id, entity_id, value)
      SELECT tenant_id, field_id, ${intoId}, value FROM custom_field_values
      WHERE tenant_id = ${tenantId} AND entity_id = ${fromId} AND field_id IN ${companyFields} AND ${done}`,
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${tenantId} AND entity_id = ${fromId}
      AND field_id IN ${companyFields} AND ${done}`,
    // Its contacts carry the kept company's name (their search index follows by trigger); its deals follow. Both
    // count as changed (a newer version), so an edit begun before the merge is refused and a sync reads them again.
    t.update(
      contacts,
      {
        companyId: intoId,
        companyName: into.company.name,
        companySort: nameSortKey(into.company.name),
        updatedAt: sql`max(${contacts.updatedAt} + 1, ${version})`,
      },
      eq(contacts.companyId, fromId),
      done,
    ),
    t.update(
      deals,
      { companyId: intoId, updatedAt: sql`max(${deals.updatedAt} + 1, ${version})` },
      eq(deals.companyId, fromId),
      done,
    ),
    ...movedSubjectStatements(t, "company", ids),
    ...mergedCompanyReferences(t, ids, { name: into.company.name, sort: nameSortKey(into.company.name) }),
    activity("merged", null),
    ...(Object.keys(changes).length ? [activity("updated", changes)] : []),
    t.update(tenantCounters, { companies: sql`max(0, ${tenantCounters.companies} - 1)` }, done),
    mergeAuditInsert(t, actor, "company", ids, into.company.name),
    webhookEventInsert(
      t,
      "company.updated",
      companyData(),
      sql`FROM companies co WHERE co.tenant_id = ${tenantId} AND co.id = ${intoId} AND co.updated_at = ${version}`,
      version,
    ),
    webhookEventInsert(
      t,
      "company.deleted",
      sql`json_set(${companyData()}, '$.merged_into', ${intoId})`,
      sql`FROM companies co WHERE co.tenant_id = ${tenantId} AND co.id = ${fromId} AND ${done}`,
      version,
    ),
    t.delete(companies, eq(companies.id, fromId), done),
  ]);
  return (results[0]?.results ?? []).length > 0;
}
