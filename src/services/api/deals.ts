/**
 * Deals as the API reads them, in the export format's field names (docs/export-format.md): amounts in minor
 * units with their currency, the pipeline and stage by id and name, the contacts with their roles. One page of
 * the keyset list with the deal list's filters and `updated_since`, and one deal; each one D1 batch, every list
 * value in a subquery of its row.
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, deals, pipelineStages, pipelines, type DealStatus } from "../../db/schema";
import { isoTime } from "../export/serialise";
import { customFieldsQuery, toCustomField, type CustomField } from "../records/custom-fields";
import { customFieldsOf, recordExtrasSql } from "./record-sql";
import { contactNameSql } from "../contacts/names";

/** A deal as the API answers it. */
export interface ApiDeal {
  id: number;
  name: string;
  amount_minor: number;
  currency: string;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string; probability: number };
  status: DealStatus;
  lost_reason: string | null;
  close_date: string | null;
  closed_on: string | null;
  company: { id: number; name: string } | null;
  contacts: { id: number; name: string; role: string | null }[];
  tags: { id: number; name: string }[];
  owner_id: string | null;
  owner: string | null;
  custom_fields: Record<string, { kind: string; value: string }>;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface ApiDealQuery {
  pipelineId: number | null;
  stageId: number | null;
  status: DealStatus | null;
  ownerId: string | null;
  companyId: number | null;
  contactId: number | null;
  tagId: number | null;
  updatedSince: number | null;
  afterId: number;
  limit: number;
}

/** The row's columns; the subqueries name the outer row `deals.<column>` (see recordExtrasSql). */
function recordFields(t: TenantDb) {
  return {
    id: deals.id,
    name: deals.name,
    amountMinor: deals.amountMinor,
    currency: deals.currency,
    pipelineId: deals.pipelineId,
    pipelineName: sql<string>`${pipelines.name}`.as("pipeline_name"),
    stageId: deals.stageId,
    stageName: sql<string>`${pipelineStages.name}`.as("stage_name"),
    probability: pipelineStages.probability,
    status: deals.status,
    lostReason: deals.lostReason,
    closeDate: deals.closeDate,
    closedOn: deals.closedOn,
    companyId: deals.companyId,
    companyName: sql<string | null>`${companies.name}`.as("company_name"),
    ownerId: deals.ownerId,
    createdAt: deals.createdAt,
    updatedAt: deals.updatedAt,
    lastActivityAt: deals.lastActivityAt,
    // From the deal's links: joined the other way, SQLite walks the workspace's contacts by name for each deal.
    contacts: sql<string>`(SELECT json_group_array(json_object('id', id, 'name', name, 'role', role)) FROM (
      SELECT c.id, ${sql.raw(contactNameSql("c"))} AS name, dc.role
      FROM deal_contacts dc CROSS JOIN contacts c ON c.tenant_id = dc.tenant_id AND c.id = dc.contact_id
      WHERE dc.tenant_id = ${t.tenantId} AND dc.deal_id = deals.id ORDER BY c.name_sort, c.id))`,
    ...recordExtrasSql(t, "deal"),
  };
}

function recordSelect(t: TenantDb) {
  return t.db
    .select(recordFields(t))
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
    .leftJoin(companies, eq(companies.id, deals.companyId))
    .$dynamic();
}
type RecordRow = Awaited<ReturnType<typeof recordSelect>>[number];

function toApiDeal(row: RecordRow, fields: CustomField[]): ApiDeal {
  return {
    id: row.id,
    name: row.name,
    amount_minor: row.amountMinor,
    currency: row.currency,
    pipeline: { id: row.pipelineId, name: row.pipelineName },
    stage: { id: row.stageId, name: row.stageName, probability: row.probability },
    status: row.status,
    lost_reason: row.lostReason,
    close_date: row.closeDate,
    closed_on: row.closedOn,
    company: row.companyId !== null && row.companyName !== null ? { id: row.companyId, name: row.companyName } : null,
    contacts: JSON.parse(row.contacts) as ApiDeal["contacts"],
    tags: JSON.parse(row.tags) as { id: number; name: string }[],
    owner_id: row.ownerId,
    owner: row.ownerEmail,
    custom_fields: customFieldsOf(row.values, fields),
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
    last_activity_at: isoTime(row.lastActivityAt),
  };
}

/** One deal of the workspace, or null (another workspace's id is not found). */
export async function getApiDeal(t: TenantDb, id: number): Promise<ApiDeal | null> {
  const [fieldRows, rows] = await t.db.batch([
    customFieldsQuery(t, "deal"),
    recordSelect(t)
      .where(t.where(deals, eq(deals.id, id)))
      .limit(1),
  ]);
  const row = rows[0];
  return row ? toApiDeal(row, fieldRows.map(toCustomField)) : null;
}

/** The filters as conditions on deals; every value is bound. */
function filterConditions(t: TenantDb, q: ApiDealQuery): SQL[] {
  const out: SQL[] = [gt(deals.id, q.afterId)];
  if (q.pipelineId !== null) out.push(eq(deals.pipelineId, q.pipelineId));
  if (q.stageId !== null) out.push(eq(deals.stageId, q.stageId));
  if (q.status !== null) out.push(eq(deals.status, q.status));
  if (q.ownerId !== null) out.push(eq(deals.ownerId, q.ownerId));
  if (q.companyId !== null) out.push(eq(deals.companyId, q.companyId));
  if (q.contactId !== null)
    out.push(
      sql`${deals.id} IN (SELECT deal_id FROM deal_contacts WHERE tenant_id = ${t.tenantId} AND contact_id = ${q.contactId})`,
    );
  if (q.tagId !== null)
    out.push(
      sql`${deals.id} IN (SELECT deal_id FROM deal_tags WHERE tenant_id = ${t.tenantId} AND tag_id = ${q.tagId})`,
    );
  if (q.updatedSince !== null) out.push(gte(deals.updatedAt, q.updatedSince));
  return out;
}

/** One page of deals by id: `limit` records and the id to continue after, or null on the last page. */
export async function listApiDeals(
  t: TenantDb,
  q: ApiDealQuery,
): Promise<{ records: ApiDeal[]; nextAfterId: number | null }> {
  const [fieldRows, rows] = await t.db.batch([
    customFieldsQuery(t, "deal"),
    recordSelect(t)
      .where(t.where(deals, ...filterConditions(t, q)))
      .orderBy(asc(deals.id))
      .limit(q.limit + 1),
  ]);
  const fields = fieldRows.map(toCustomField);
  const records = rows.slice(0, q.limit).map((r) => toApiDeal(r, fields));
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}
