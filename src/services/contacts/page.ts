/**
 * What the contact page and the edit form read: the contact with its emails, phones and owner, its
 * tags, the tenant's contact fields and its values of them, its notes and activity.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { contacts, memberships, users } from "../../db/schema";
import {
  recordExtrasFromRows,
  recordExtrasStatements,
  timelineFromRows,
  timelineStatements,
} from "../records/record-page";
import { contactDisplayName } from "./names";

export interface ContactDetail {
  id: number;
  firstName: string;
  lastName: string;
  name: string;
  primaryEmail: string | null;
  jobTitle: string | null;
  companyId: number | null;
  companyName: string | null;
  address: string | null;
  ownerId: string | null;
  /** The owner's email while they are a member; null otherwise. */
  ownerEmail: string | null;
  createdAt: number;
  updatedAt: number;
  emails: string[];
  phones: string[];
}

/** One contact of the tenant with its emails and phones (one query), or null. */
export async function getContact(t: TenantDb, id: number): Promise<ContactDetail | null> {
  return contactDetailFromRows(await contactDetailQuery(t, id));
}

/**
 * A contact row's emails and phones, in order, as JSON arrays (subqueries on their tenant-leading keys). The
 * outer row is named as `contacts.id` in the text: in a one-table select drizzle would write it unqualified.
 */
export function contactEmailsAndPhonesSql(t: TenantDb) {
  return {
    emails: sql<string>`(SELECT json_group_array(email) FROM (SELECT email FROM contact_emails
      WHERE tenant_id = ${t.tenantId} AND contact_id = contacts.id ORDER BY position))`,
    phones: sql<string>`(SELECT json_group_array(phone) FROM (SELECT phone FROM contact_phones
      WHERE tenant_id = ${t.tenantId} AND contact_id = contacts.id ORDER BY position))`,
  };
}

/** The query behind getContact (map with contactDetailFromRows), for batches. Column names are unique. */
function contactDetailQuery(t: TenantDb, id: number) {
  return t.db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      primaryEmail: contacts.primaryEmail,
      jobTitle: contacts.jobTitle,
      companyId: contacts.companyId,
      companyName: contacts.companyName,
      address: contacts.address,
      ownerId: contacts.ownerId,
      ownerEmail: users.email,
      createdAt: contacts.createdAt,
      updatedAt: contacts.updatedAt,
      ...contactEmailsAndPhonesSql(t),
    })
    .from(contacts)
    .leftJoin(memberships, and(eq(memberships.tenantId, contacts.tenantId), eq(memberships.userId, contacts.ownerId)))
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(t.where(contacts, eq(contacts.id, id)))
    .limit(1);
}

function contactDetailFromRows(rows: Awaited<ReturnType<typeof contactDetailQuery>>): ContactDetail | null {
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    name: contactDisplayName(row),
    emails: JSON.parse(row.emails) as string[],
    phones: JSON.parse(row.phones) as string[],
  };
}

/**
 * Everything the contact page reads (the contact with its emails, phones and owner; its tags; the
 * tenant's contact fields and its values of them; its notes and activity) as statements for ONE
 * D1 batch, none depending on another's answer; the route adds the session check to the same batch
 * (withSessionBatch). Every statement is scoped by tenant and id, so another tenant's id reads
 * nothing and the page is a 404.
 */
export function contactPageStatements(t: TenantDb, id: number) {
  return [...contactExtrasStatements(t, id), ...timelineStatements(t, "contact", id)] as const;
}

/** The contact page's data from what contactPageStatements read; null when there is no such contact. */
export function contactPageFromResults(id: number, results: unknown[]) {
  const extras = contactExtrasFromResults(id, results.slice(0, 4));
  if (!extras) return null;
  return { ...extras, timeline: timelineFromRows(results.slice(4)) };
}

/** A contact with its tags and custom values too: what the contact page and the edit form show. */
export async function getContactWithExtras(t: TenantDb, id: number) {
  return contactExtrasFromResults(id, await t.db.batch(contactExtrasStatements(t, id)));
}

/** The contact with its emails, phones and owner, its tags, the tenant's contact fields and its values of them. */
function contactExtrasStatements(t: TenantDb, id: number) {
  return [contactDetailQuery(t, id), ...recordExtrasStatements(t, "contact", id)] as const;
}

function contactExtrasFromResults(id: number, results: readonly unknown[]) {
  const contact = contactDetailFromRows(results[0] as Awaited<ReturnType<typeof contactDetailQuery>>);
  if (!contact) return null;
  return { contact, ...recordExtrasFromRows(id, results.slice(1)) };
}
