/**
 * What every API record reads beside its own columns, as subqueries of its row (no query per record):
 * the owner's email, its tags and its custom values; and the values named by their field as the API shows them.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { CustomField } from "../records/custom-fields";

type Kind = "contact" | "company" | "deal";
const TABLES: Record<Kind, { table: string; tagLinks: string; tagColumn: string }> = {
  contact: { table: "contacts", tagLinks: "contact_tags", tagColumn: "contact_id" },
  company: { table: "companies", tagLinks: "company_tags", tagColumn: "company_id" },
  deal: { table: "deals", tagLinks: "deal_tags", tagColumn: "deal_id" },
};

/** The owner's email (while a member), the tags as JSON and the custom values as JSON of one record row. */
export function recordExtrasSql(t: TenantDb, kind: Kind) {
  const { table, tagLinks, tagColumn } = TABLES[kind];
  const id = sql.raw(`${table}.id`);
  return {
    ownerEmail: sql<string | null>`(SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${sql.raw(`${table}.owner_id`)})`,
    // From the record's links (their primary key) to each tag: left to itself, without statistics, SQLite walks
    // the workspace's tags in name order for every record (test/db/query-plans.test.ts).
    tags: sql<string>`(SELECT json_group_array(json_object('id', id, 'name', name)) FROM (SELECT g.id, g.name
      FROM ${sql.raw(tagLinks)} ct CROSS JOIN tags g ON g.tenant_id = ct.tenant_id AND g.id = ct.tag_id
      WHERE ct.tenant_id = ${t.tenantId} AND ${sql.raw(`ct.${tagColumn}`)} = ${id} ORDER BY g.name_key))`,
    // Values of this kind's fields only: contacts, companies and deals share entity ids.
    values: sql<string | null>`(SELECT json_group_object(CAST(v.field_id AS TEXT), v.value)
      FROM custom_field_values v JOIN custom_fields f ON f.tenant_id = v.tenant_id AND f.id = v.field_id
      WHERE v.tenant_id = ${t.tenantId} AND v.entity_id = ${id} AND f.entity = ${kind})`,
  } satisfies Record<string, SQL>;
}

/** A record's custom values by field name, with the field's kind, from what recordExtrasSql read. */
export function customFieldsOf(
  values: string | null,
  fields: CustomField[],
): Record<string, { kind: CustomField["kind"]; value: string }> {
  const byId = values ? (JSON.parse(values) as Record<string, string>) : {};
  const custom: Record<string, { kind: CustomField["kind"]; value: string }> = {};
  for (const f of fields) {
    const value = byId[String(f.id)];
    if (value !== undefined) custom[f.name] = { kind: f.kind, value };
  }
  return custom;
}
