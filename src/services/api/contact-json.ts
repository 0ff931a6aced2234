/**
 * A contact as the API answers it, written in the Worker from the row's own columns and two small lookups (the
 * workspace's contact fields, its members' emails). SQLite could build the whole record as JSON, but every byte a
 * D1 row carries costs more than the Worker's writing it: keys repeated in each record and times as text more than
 * doubled the 200 contacts' rows, and moving them was most of the list's time (docs/benchmarks.md, 2026-12-06).
 */
import { sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts } from "../../db/schema";
import { contactDisplayName } from "../contacts/names";
import { contactEmailsAndPhonesSql } from "../contacts/page";
import { recordExtrasSql } from "./record-sql";

/** The columns a record is written from: lists as JSON (custom values as `[[field id, value]]`), times in ms. */
export function contactRowFields(t: TenantDb) {
  const { emails, phones } = contactEmailsAndPhonesSql(t);
  return {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    primaryEmail: contacts.primaryEmail,
    emails: emails.as("emails"),
    phones: phones.as("phones"),
    jobTitle: contacts.jobTitle,
    companyId: contacts.companyId,
    companyName: contacts.companyName,
    address: contacts.address,
    source: contacts.source,
    // Already the record's [{id, name}], in name order.
    tags: recordExtrasSql(t, "contact").tags.as("tags"),
    ownerId: contacts.ownerId,
    // Every value on this id; those of company or deal fields (which share ids) are left out by the fields' lookup.
    custom: sql<string>`(SELECT json_group_array(json_array(v.field_id, v.value)) FROM custom_field_values v
      WHERE v.tenant_id = ${t.tenantId} AND v.entity_id = contacts.id)`.as("custom"),
    createdAt: contacts.createdAt,
    updatedAt: contacts.updatedAt,
    lastActivityAt: contacts.lastActivityAt,
  };
}

/** A row of contactRowFields as D1 answers it in a batch (columns by name). */
export interface ContactRow {
  id: number;
  first_name: string;
  last_name: string;
  primary_email: string | null;
  emails: string;
  phones: string;
  job_title: string | null;
  company_id: number | null;
  company_name: string | null;
  address: string | null;
  source: string;
  tags: string;
  owner_id: string | null;
  custom: string;
  created_at: number;
  updated_at: number;
  last_activity_at: number | null;
}

/** The lookups a page of records is written with: the contact fields in order, the members' emails. */
export interface ContactLookups {
  fields: { id: number; name: string; kind: string }[];
  owners: Map<string, string>;
}

/** The lookups from their statements' rows (readRecords in contacts.ts). */
export function contactLookups(fields: unknown[], members: unknown[]): ContactLookups {
  const owners = new Map((members as { user_id: string; email: string }[]).map((m) => [m.user_id, m.email]));
  return { fields: fields as ContactLookups["fields"], owners };
}

const text = JSON.stringify;
const time = (ms: number | null) => (ms === null ? "null" : `"${new Date(ms).toISOString()}"`);

/** The record's JSON text: ApiContact's fields in its order (the record tests check the shape). */
export function contactJson(r: ContactRow, lookups: ContactLookups): string {
  const name = contactDisplayName({
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    primaryEmail: r.primary_email,
  });
  const values = new Map(JSON.parse(r.custom) as [number, string][]);
  const custom: string[] = [];
  for (const f of lookups.fields) {
    const value = values.get(f.id);
    if (value !== undefined) custom.push(`${text(f.name)}:{"kind":${text(f.kind)},"value":${text(value)}}`);
  }
  const company =
    r.company_id !== null && r.company_name !== null ? `{"id":${r.company_id},"name":${text(r.company_name)}}` : "null";
  const owner = r.owner_id === null ? null : (lookups.owners.get(r.owner_id) ?? null);
  return `{"id":${r.id},"first_name":${text(r.first_name)},"last_name":${text(r.last_name)},"display_name":${text(name)},"emails":${r.emails},"phones":${r.phones},"job_title":${text(r.job_title)},"company":${company},"address":${text(r.address)},"source":${text(r.source)},"tags":${r.tags},"owner_id":${text(r.owner_id)},"owner":${text(owner)},"custom_fields":{${custom.join(",")}},"created_at":${time(r.created_at)},"updated_at":${time(r.updated_at)},"last_activity_at":${time(r.last_activity_at)}}`;
}
