/**
 * What the deal page and the edit form read: the deal with its stage, pipeline, company and owner,
 * its contacts with their roles, tags, the deal fields and its values, notes and timeline. All of it
 * as statements for one batch; another workspace's id reads nothing (404).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import {
  companies,
  contacts,
  dealContacts,
  deals,
  memberships,
  pipelines,
  pipelineStages,
  users,
} from "../../db/schema";
import { contactDisplayName } from "../contacts/names";
import {
  recordExtrasFromRows,
  recordExtrasStatements,
  timelineFromRows,
  timelineStatements,
} from "../records/record-page";

/** One deal of the workspace with the names of what it points to. Column names are unique. */
export function dealQuery(t: TenantDb, id: number) {
  return t.db
    .select({
      id: deals.id,
      name: deals.name,
      amountMinor: deals.amountMinor,
      currency: deals.currency,
      closeDate: deals.closeDate,
      ownerId: deals.ownerId,
      ownerEmail: users.email,
      // Joined tables' columns share names ("name"): a batch keys rows by column name, so each gets its own.
      ownerName: sql<string | null>`${users.name}`.as("owner_name"),
      companyId: deals.companyId,
      companyName: sql<string | null>`${companies.name}`.as("company_name"),
      pipelineId: deals.pipelineId,
      pipelineName: sql<string>`${pipelines.name}`.as("pipeline_name"),
      stageId: deals.stageId,
      stageName: sql<string>`${pipelineStages.name}`.as("stage_name"),
      probability: pipelineStages.probability,
      status: deals.status,
      lostReason: deals.lostReason,
      closedOn: deals.closedOn,
      createdAt: deals.createdAt,
      updatedAt: deals.updatedAt,
    })
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .leftJoin(memberships, and(eq(memberships.tenantId, deals.tenantId), eq(memberships.userId, deals.ownerId)))
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(t.where(deals, eq(deals.id, id)))
    .limit(1);
}

export type DealDetail = Awaited<ReturnType<typeof dealQuery>>[number];

/** The deal's contacts with their roles, by name. */
export function dealContactsQuery(t: TenantDb, id: number) {
  return t.db
    .select({
      contactId: dealContacts.contactId,
      role: dealContacts.role,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      primaryEmail: contacts.primaryEmail,
    })
    .from(dealContacts)
    .innerJoin(contacts, eq(contacts.id, dealContacts.contactId))
    .where(t.where(dealContacts, eq(dealContacts.dealId, id)))
    .orderBy(asc(contacts.nameSort), asc(contacts.id));
}

/** One deal, or null. */
export async function getDeal(t: TenantDb, id: number): Promise<DealDetail | null> {
  const [row] = await dealQuery(t, id);
  return row ?? null;
}

/** The deal, its contacts, tags and values: what the page, the edit form and an update start from. */
function dealExtrasStatements(t: TenantDb, id: number) {
  return [dealQuery(t, id), dealContactsQuery(t, id), ...recordExtrasStatements(t, "deal", id)] as const;
}

/** Everything the deal page shows, for one batch (the route adds the session check). */
export function dealPageStatements(t: TenantDb, id: number) {
  return [...dealExtrasStatements(t, id), ...timelineStatements(t, "deal", id)] as const;
}

/** The page's data from what dealPageStatements read; null when the workspace has no such deal. */
export function dealPageFromResults(id: number, results: readonly unknown[]) {
  const [dealRows, contactRows] = results as [
    Awaited<ReturnType<typeof dealQuery>>,
    Awaited<ReturnType<typeof dealContactsQuery>>,
  ];
  const deal = dealRows[0];
  if (!deal) return null;
  return {
    deal,
    contacts: contactRows.map((c) => ({
      id: c.contactId,
      role: c.role,
      name: contactDisplayName({ ...c, id: c.contactId }),
    })),
    ...recordExtrasFromRows(id, results.slice(2, 5)),
    timeline: timelineFromRows(results.slice(5)),
  };
}

/** The deal with its contacts, tags and values: what the edit form and an update start from. */
export async function getDealForEdit(t: TenantDb, id: number) {
  const results = await t.db.batch(dealExtrasStatements(t, id));
  const page = dealPageFromResults(id, [...results, [], [], []]);
  return page;
}
