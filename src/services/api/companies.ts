/**
 * Companies as the API reads them, in the export format's field names (docs/export-format.md): one page of
 * the keyset list (name prefix, tag, `updated_since`) and one company, each one D1 batch with the
 * workspace's company fields; lists come from subqueries of each row.
 */
import { asc, eq, gt, gte, sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies } from "../../db/schema";
import { nameSortKey } from "../companies/form";
import { isoTime } from "../export/serialise";
import { customFieldsOf, recordExtrasSql } from "./record-sql";
import { customFieldsQuery, toCustomField, type CustomField } from "../records/custom-fields";

/** A company as the API answers it. */
export interface ApiCompany {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  address: string | null;
  tags: { id: number; name: string }[];
  owner_id: string | null;
  owner: string | null;
  custom_fields: Record<string, { kind: string; value: string }>;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface ApiCompanyQuery {
  /** Name starts with (any case). */
  q: string | null;
  tagId: number | null;
  updatedSince: number | null;
  afterId: number;
  limit: number;
}

/** After every character a name can hold: the end of a prefix range on name_sort. */
const PREFIX_END = "\u{10FFFF}";

/**
 * The row's columns. The subqueries name the outer row as `companies.<column>` in their text: drizzle writes a
 * column of a one-table select unqualified ("id"), which inside a subquery would mean its own table's id.
 */
function recordFields(t: TenantDb) {
  return {
    id: companies.id,
    name: companies.name,
    domain: companies.domain,
    industry: companies.industry,
    size: companies.size,
    phone: companies.phone,
    address: companies.address,
    ownerId: companies.ownerId,
    createdAt: companies.createdAt,
    updatedAt: companies.updatedAt,
    lastActivityAt: companies.lastActivityAt,
    ...recordExtrasSql(t, "company"),
  };
}

/** Only for its row type. */
const recordSelect = (t: TenantDb) => t.db.select(recordFields(t)).from(companies);
type RecordRow = Awaited<ReturnType<typeof recordSelect>>[number];

function toApiCompany(row: RecordRow, fields: CustomField[]): ApiCompany {
  const custom = customFieldsOf(row.values, fields);
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    size: row.size,
    phone: row.phone,
    address: row.address,
    tags: JSON.parse(row.tags) as { id: number; name: string }[],
    owner_id: row.ownerId,
    owner: row.ownerEmail,
    custom_fields: custom,
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
    last_activity_at: isoTime(row.lastActivityAt),
  };
}

/** One company of the workspace, or null (another workspace's id is not found). */
export async function getApiCompany(t: TenantDb, id: number): Promise<ApiCompany | null> {
  const [fieldRows, rows] = await t.db.batch([
    customFieldsQuery(t, "company"),
    recordSelect(t)
      .where(t.where(companies, eq(companies.id, id)))
      .limit(1),
  ]);
  const row = rows[0];
  return row ? toApiCompany(row, fieldRows.map(toCustomField)) : null;
}

/** One page of companies by id: `limit` records and the id to continue after, or null on the last page. */
export async function listApiCompanies(
  t: TenantDb,
  q: ApiCompanyQuery,
): Promise<{ records: ApiCompany[]; nextAfterId: number | null }> {
  const conditions: SQL[] = [gt(companies.id, q.afterId)];
  const prefix = q.q ? nameSortKey(q.q) : "";
  if (prefix)
    conditions.push(sql`${companies.nameSort} >= ${prefix}`, sql`${companies.nameSort} < ${prefix + PREFIX_END}`);
  if (q.tagId !== null)
    conditions.push(
      sql`${companies.id} IN (SELECT company_id FROM company_tags WHERE tenant_id = ${t.tenantId} AND tag_id = ${q.tagId})`,
    );
  if (q.updatedSince !== null) conditions.push(gte(companies.updatedAt, q.updatedSince));
  const [fieldRows, rows] = await t.db.batch([
    customFieldsQuery(t, "company"),
    recordSelect(t)
      .where(t.where(companies, ...conditions))
      .orderBy(asc(companies.id))
      .limit(q.limit + 1),
  ]);
  const fields = fieldRows.map(toCustomField);
  const records = rows.slice(0, q.limit).map((r) => toApiCompany(r, fields));
  return { records, nextAfterId: rows.length > q.limit ? records[records.length - 1]!.id : null };
}
