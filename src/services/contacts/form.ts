/**
 * What the contact form needs from the workspace: the choices it offers, the check that the company,
 * tags and owner it names are the tenant's, and the duplicate warning.
 */
import { asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { TenantDb } from "../../db/scoped";
import { companies, contactEmails, contactPhones, contacts, memberships } from "../../db/schema";
import { listCustomFields } from "../records/custom-fields";
import { listTags, ownedTagIds } from "../records/tags";
import { listOwners } from "../records/workspace";
import { contactDisplayName } from "./names";

/** Length limits of the contact form's fields (characters, after trimming). */
export const CONTACT_LIMITS = {
  name: 100,
  jobTitle: 150,
  address: 1000,
  emails: 5,
  phones: 5,
  tags: 50,
  tagName: 50,
} as const;

/** The company select lists this many companies by name; a tenant with more picks from a company's page. */
export const COMPANY_CHOICES_LIMIT = 500;

export interface CompanyChoice {
  id: number;
  name: string;
}

/** What the contact form offers: companies (the first COMPANY_CHOICES_LIMIT by name), tags, fields, members. */
export async function contactFormChoices(t: TenantDb, currentCompanyId: number | null = null) {
  const [companyRows, tags, customFields, members, current] = await Promise.all([
    t.db
      .select({ id: companies.id, name: companies.name })
      .from(companies)
      .where(t.where(companies))
      .orderBy(asc(companies.nameSort), asc(companies.id))
      .limit(COMPANY_CHOICES_LIMIT + 1),
    listTags(t),
    listCustomFields(t, "contact"),
    listOwners(t),
    currentCompanyId === null
      ? Promise.resolve([])
      : t.db
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(t.where(companies, eq(companies.id, currentCompanyId))),
  ]);
  const companyChoices: CompanyChoice[] = companyRows.slice(0, COMPANY_CHOICES_LIMIT);
  // The contact's own company stays selectable even when it is beyond the first page of names.
  for (const c of current) if (!companyChoices.some((x) => x.id === c.id)) companyChoices.unshift(c);
  return {
    companies: companyChoices,
    companiesTruncated: companyRows.length > COMPANY_CHOICES_LIMIT,
    tags,
    customFields,
    members,
  };
}

/** A contact as the form submits it, already validated for shape and normalised (emails, E.164 phones). */
export interface ContactInput {
  firstName: string;
  lastName: string;
  emails: string[];
  phones: string[];
  jobTitle: string | null;
  companyId: number | null;
  address: string | null;
  tagIds: number[];
  /** A tag to create (or reuse, whatever its case) and attach. */
  newTag: string | null;
  /** Parsed `cf_<id>` values; null clears. */
  customValues: Map<number, string | null>;
  ownerId: string | null;
}

export type ReferenceResult = { ok: true; companyName: string | null } | { ok: false; errors: Record<string, string> };

/** Checks that the company, tags and owner named by the input are the tenant's. */
export async function checkReferences(
  t: TenantDb,
  input: Pick<ContactInput, "companyId" | "tagIds" | "ownerId">,
): Promise<ReferenceResult> {
  const [company, tagIds, owner] = await Promise.all([
    input.companyId === null
      ? Promise.resolve([])
      : t.db
          .select({ name: companies.name })
          .from(companies)
          .where(t.where(companies, eq(companies.id, input.companyId)))
          .limit(1),
    ownedTagIds(t, input.tagIds),
    input.ownerId === null
      ? Promise.resolve([])
      : t.db
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(t.where(memberships, eq(memberships.userId, input.ownerId)))
          .limit(1),
  ]);
  const errors: Record<string, string> = {};
  if (input.companyId !== null && company.length === 0) errors.company_id = "Choose a company from the list.";
  if (tagIds.length !== new Set(input.tagIds).size) errors.tag_ids = "Choose tags from the list.";
  if (input.ownerId !== null && owner.length === 0) errors.owner_id = "Choose a member of this workspace as the owner.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, companyName: company[0]?.name ?? null };
}

export interface DuplicateContact {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  /** The emails and phones it shares with the new contact. */
  matched: string[];
  /** Whether an email is among them (a phone alone may be a shared line: a switchboard, a family's landline). */
  sharesEmail: boolean;
}

/** Contacts of the tenant that already have one of these emails or phones (at most 10). */
export async function findDuplicates(
  t: TenantDb,
  input: { emails: string[]; phones: string[] },
  excludeId?: number,
): Promise<DuplicateContact[]> {
  const fields = {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    primaryEmail: contacts.primaryEmail,
  };
  // The tenant's contacts with one of `values` in the email or phone table (a contact's other addresses).
  const holding = (table: typeof contactEmails | typeof contactPhones, column: SQLiteColumn, values: string[]) =>
    values.length
      ? t.db
          .select({ ...fields, matched: sql<string>`${column}` })
          .from(table)
          .innerJoin(contacts, t.where(contacts, eq(contacts.id, table.contactId)))
          .where(
            t.where(table, inArray(column, values), excludeId === undefined ? undefined : ne(contacts.id, excludeId)),
          )
          .limit(10)
      : Promise.resolve([]);
  const [byEmail, byPhone] = await Promise.all([
    holding(contactEmails, contactEmails.email, input.emails.slice(0, CONTACT_LIMITS.emails)),
    holding(contactPhones, contactPhones.phone, input.phones.slice(0, CONTACT_LIMITS.phones)),
  ]);
  const out = new Map<number, DuplicateContact>();
  for (const [list, email] of [
    [byEmail, true],
    [byPhone, false],
  ] as const)
    for (const r of list) {
      const d = out.get(r.id) ?? {
        id: r.id,
        name: contactDisplayName(r),
        firstName: r.firstName,
        lastName: r.lastName,
        matched: [],
        sharesEmail: false,
      };
      if (!d.matched.includes(r.matched)) d.matched.push(r.matched);
      d.sharesEmail ||= email;
      out.set(r.id, d);
    }
  return [...out.values()].slice(0, 10);
}
