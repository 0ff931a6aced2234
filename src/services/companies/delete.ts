/** Deleting a company: its contacts stay, without a company; all that hangs off it goes in one batch. */
import { deleteTasksOfStatements } from "../tasks/statements";
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  activities,
  companies,
  companyTags,
  contacts,
  customFieldValues,
  deals,
  notes,
  recentViews,
  tenantCounters,
} from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditInsert } from "../audit/audit";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { getCompany } from "./page";
import { rawBatchResults } from "../../db/raw-batch";
import { isoSql, webhookEventInsert } from "../webhooks/events";
import { companyData, contactData, dealUpdatedData } from "../webhooks/payloads";
import { trashStatements } from "../trash/snapshot";

/**
 * Deletes a company. Its contacts stay, without a company; its notes, logged interactions, tags, custom
 * values, timeline and recent views go; the counters and the audit trail follow, all in one batch that first
 * copies them to the trash (src/services/trash/). False when the company is not the tenant's.
 */
export async function deleteCompany(
  t: TenantDb,
  // userId null: an API key whose maker's account is gone (src/services/api/).
  actor: Omit<Actor, "userId"> & { userId: string | null },
  id: number,
): Promise<boolean> {
  const { db, tenantId } = t;
  const company = await getCompany(t, id);
  if (!company) return false;
  const ofCompany = t.where(notes, eq(notes.subjectType, "company"), eq(notes.subjectId, id));
  // For the audit entry only: the counters below count inside the batch, so they stay exact even if
  // a note is added meanwhile or the same company is deleted twice at once.
  const [{ n: noteCount }] = (await db.select({ n: sql<number>`count(*)` }).from(notes).where(ofCompany)) as [
    { n: number },
  ];
  await rawBatchResults(db, [
    ...trashStatements(t, "company", [id], actor),
    t.update(tenantCounters, {
      companies: sql`max(0, ${tenantCounters.companies} - (SELECT count(*) FROM companies c
        WHERE c.tenant_id = ${tenantId} AND c.id = ${id}))`,
      notes: sql`max(0, ${tenantCounters.notes} - (SELECT count(*) FROM notes n
        WHERE n.tenant_id = ${tenantId} AND n.subject_type = 'company' AND n.subject_id = ${id}))`,
    }),
    // Its contacts and deals lose it: they count as changed (a newer version), so an API sync by updated_since
    // reads them again (the deals' foreign key would clear it silently), and a webhook receiver is told.
    // The events first, while they still point at it: each as the update below leaves it.
    webhookEventInsert(
      t,
      "contact.updated",
      sql`json_set(${contactData()}, '$.company_id', NULL, '$.company', NULL,
        '$.updated_at', ${isoSql(sql`max(c.updated_at + 1, ${actor.now})`)})`,
      sql`FROM contacts c WHERE c.tenant_id = ${tenantId} AND c.company_id = ${id}`,
      actor.now,
    ),
    webhookEventInsert(
      t,
      "deal.updated",
      sql`json_set(${dealUpdatedData(["company_id"])}, '$.company_id', NULL,
        '$.updated_at', ${isoSql(sql`max(d.updated_at + 1, ${actor.now})`)})`,
      sql`FROM deals d WHERE d.tenant_id = ${tenantId} AND d.company_id = ${id}`,
      actor.now,
    ),
    t.update(
      contacts,
      {
        companyId: null,
        companyName: null,
        companySort: "",
        updatedAt: sql`max(${contacts.updatedAt} + 1, ${actor.now})`,
      },
      eq(contacts.companyId, id),
    ),
    t.update(
      deals,
      { companyId: null, updatedAt: sql`max(${deals.updatedAt} + 1, ${actor.now})` },
      eq(deals.companyId, id),
    ),
    db.delete(notes).where(ofCompany),
    ...deleteTasksOfStatements(t, "company", [id]),
    ...deleteInteractionsOfStatements(t, "company", [id]),
    t.delete(
      customFieldValues,
      eq(customFieldValues.entityId, id),
      sql`${customFieldValues.fieldId} IN (SELECT id FROM custom_fields
        WHERE tenant_id = ${tenantId} AND entity = 'company')`,
    ),
    t.delete(companyTags, eq(companyTags.companyId, id)),
    t.delete(activities, eq(activities.subjectType, "company"), eq(activities.subjectId, id)),
    t.delete(recentViews, eq(recentViews.subjectType, "company"), eq(recentViews.subjectId, id)),
    // Before the row goes: the company as it was.
    webhookEventInsert(
      t,
      "company.deleted",
      sql`json_set(${companyData()}, '$.merged_into', NULL)`,
      sql`FROM companies co WHERE co.tenant_id = ${tenantId} AND co.id = ${id}`,
      actor.now,
    ),
    t.delete(companies, eq(companies.id, id)),
    auditInsert(db, {
      tenantId,
      actorUserId: actor.userId,
      action: "record.deleted",
      targetType: "company",
      targetId: String(id),
      targetLabel: company.name,
      detail: { notes: noteCount },
      ...actor,
    }),
  ]);
  return true;
}
