/** What a company's page and its edit form read, in one D1 batch each. */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import type { TimelineInteraction } from "../../../views/partials/timeline/InteractionItem";
import { companies, contacts, users } from "../../db/schema";
import type { ActivityEntry } from "../records/activity";
import { type CustomField, recordValuesQuery, valuesOfRecord } from "../records/custom-fields";
import type { Note } from "../records/notes";
import {
  recordExtrasFromRows,
  recordExtrasStatements,
  timelineFromRows,
  timelineStatements,
} from "../records/record-page";
import { type Tag, tagsByRecord, tagsForQuery } from "../records/tags";
import type { CompanyDetails } from "./fields";

/** How many of a company's contacts its page shows; the contacts list shows them all. */
export const COMPANY_CONTACTS_SHOWN = 100;

export interface Company extends CompanyDetails {
  id: number;
  ownerId: string | null;
  ownerEmail: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A company of the tenant with its owner's email, or null. */
export async function getCompany(t: TenantDb, id: number): Promise<Company | null> {
  return (await companyQuery(t, id))[0] ?? null;
}

/** The query behind getCompany, for batches. Column names are unique. */
function companyQuery(t: TenantDb, id: number) {
  return t.db
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      industry: companies.industry,
      size: companies.size,
      address: companies.address,
      phone: companies.phone,
      ownerId: companies.ownerId,
      ownerEmail: users.email,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
    })
    .from(companies)
    .leftJoin(users, eq(users.id, companies.ownerId))
    .where(t.where(companies, eq(companies.id, id)))
    .limit(1);
}

/** A company with what its edit form shows (tags, custom values), or null; one round trip. */
export async function getCompanyForEdit(t: TenantDb, id: number) {
  const [companyRows, tagRows, valueRows] = await t.db.batch([
    companyQuery(t, id),
    tagsForQuery(t, "company", [id]),
    recordValuesQuery(t, "company", id),
  ]);
  const company = companyRows[0];
  if (!company) return null;
  return { company, tags: tagsByRecord(tagRows).get(id) ?? [], values: valuesOfRecord(valueRows) };
}

export interface CompanyContact {
  id: number;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  primaryEmail: string | null;
}

export interface CompanyPageData {
  company: Company;
  tags: Tag[];
  fields: CustomField[];
  values: Map<number, string>;
  contacts: CompanyContact[];
  /** Whether the company has more contacts than the page shows. */
  moreContacts: boolean;
  notes: Note[];
  interactions: TimelineInteraction[];
  activity: ActivityEntry[];
}

/**
 * Everything the company page shows (the company and its owner, tags, the tenant's company fields
 * and its values, its first contacts, notes and activity) as statements for ONE D1 batch, none
 * depending on another's answer, whatever the number of contacts, notes or values; the route adds
 * the session check to the same batch (withSessionBatch). Every statement is scoped by tenant and id.
 */
export function companyPageStatements(t: TenantDb, id: number) {
  return [
    companyQuery(t, id),
    ...recordExtrasStatements(t, "company", id),
    // contacts_tenant_company_idx: (tenant_id, company_id, name_sort, id).
    t.db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        jobTitle: contacts.jobTitle,
        primaryEmail: contacts.primaryEmail,
      })
      .from(contacts)
      .where(t.where(contacts, eq(contacts.companyId, id)))
      .orderBy(asc(contacts.nameSort), asc(contacts.id))
      .limit(COMPANY_CONTACTS_SHOWN + 1),
    ...timelineStatements(t, "company", id),
  ] as const;
}

/** The company page's data from what companyPageStatements read; null when there is no such company. */
export function companyPageFromResults(id: number, results: unknown[]): CompanyPageData | null {
  const company = (results[0] as Awaited<ReturnType<typeof companyQuery>>)[0];
  const contactRows = results[4] as CompanyContact[];
  if (!company) return null;
  const { tags, customFields, values } = recordExtrasFromRows(id, results.slice(1, 4));
  return {
    company,
    tags,
    values,
    fields: customFields,
    contacts: contactRows.slice(0, COMPANY_CONTACTS_SHOWN),
    moreContacts: contactRows.length > COMPANY_CONTACTS_SHOWN,
    ...timelineFromRows(results.slice(5)),
  };
}
