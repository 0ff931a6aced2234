/**
 * Which field each column of a file goes to: found from the header names (our export's, Google's,
 * Outlook's, HubSpot's, and common variants), or chosen by the user from the targets here.
 */
import type { ImportKind } from "../../db/schema";
import type { CustomField } from "../records/custom-fields";
import { fieldColumnKey, headerKey } from "./cells";
import { DEAL_TARGETS, dealMapping } from "./parse-deals";

/** The targets a contact row and a company row both end with. */
const RECORD_TARGETS_TAIL = ["address", "address_part", "tags", "note", "owner"] as const;

export const CONTACT_TARGETS = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "phone",
  "job_title",
  "company",
  ...RECORD_TARGETS_TAIL,
] as const;
export const COMPANY_TARGETS = ["name", "domain", "industry", "size", "phone", ...RECORD_TARGETS_TAIL] as const;

/** What the mapping select shows for each target. */
export const TARGET_LABELS: Record<string, string> = {
  first_name: "First name",
  last_name: "Last name",
  full_name: "Full name (split into first and last)",
  email: "Email",
  phone: "Phone",
  job_title: "Job title",
  company: "Company",
  address: "Address",
  address_part: "Part of the address (street, city, …)",
  tags: "Tags",
  note: "Note",
  owner: "Owner (a member's email or name)",
  name: "Name",
  domain: "Website or domain",
  amount: "Amount",
  currency: "Currency (ISO 4217)",
  pipeline: "Pipeline (must be the chosen one)",
  stage: "Stage (by name)",
  status: "Status (open, won, lost)",
  lost_reason: "Lost reason",
  close_date: "Expected close date",
  closed_on: "Closed on",
  company_domain: "Company's domain",
  contacts: "Contacts (emails or names; role in parentheses)",
  industry: "Industry",
  size: "Size (employees)",
};

/** A custom field a column can map to. */
export type MappableField = CustomField;

// Header names of Google Contacts, Outlook, HubSpot and our own export, and common variants
// (English, plus the German and French words European spreadsheets use), after headerKey().
const CONTACT_ALIASES: Record<string, (typeof CONTACT_TARGETS)[number]> = {
  "first name": "first_name",
  firstname: "first_name",
  "given name": "first_name",
  forename: "first_name",
  vorname: "first_name",
  prenom: "first_name",
  "last name": "last_name",
  lastname: "last_name",
  surname: "last_name",
  "family name": "last_name",
  nachname: "last_name",
  nom: "last_name",
  name: "full_name",
  "full name": "full_name",
  "display name": "full_name",
  "contact name": "full_name",
  "job title": "job_title",
  "organization title": "job_title",
  "organisation title": "job_title",
  position: "job_title",
  "job position": "job_title",
  company: "company",
  "company name": "company",
  organization: "company",
  organisation: "company",
  "organization name": "company",
  "organisation name": "company",
  "associated company": "company",
  employer: "company",
  firma: "company",
  unternehmen: "company",
  societe: "company",
  address: "address",
  "street address": "address_part",
  street: "address_part",
  tags: "tags",
  tag: "tags",
  labels: "tags",
  categories: "tags",
  category: "tags",
  note: "note",
  notes: "note",
  notiz: "note",
  notizen: "note",
  comments: "note",
  description: "note",
  owner: "owner",
  "contact owner": "owner",
};

const COMPANY_ALIASES: Record<string, (typeof COMPANY_TARGETS)[number]> = {
  name: "name",
  company: "name",
  "company name": "name",
  organization: "name",
  organisation: "name",
  "account name": "name",
  firma: "name",
  domain: "domain",
  "company domain name": "domain",
  website: "domain",
  "website url": "domain",
  "web site": "domain",
  url: "domain",
  web: "domain",
  industry: "industry",
  branche: "industry",
  size: "size",
  employees: "size",
  "number of employees": "size",
  "employee count": "size",
  phone: "phone",
  "phone number": "phone",
  telephone: "phone",
  telefon: "phone",
  address: "address",
  street: "address_part",
  "street address": "address_part",
  tags: "tags",
  labels: "tags",
  categories: "tags",
  note: "note",
  notes: "note",
  description: "note",
  owner: "owner",
  "company owner": "owner",
};

/**
 * Headers that name email but hold something else: Outlook's "E-mail Display Name" ("Grace (grace@…)"),
 * HubSpot's "Email Domain", "Unsubscribed from all email", bounce and consent columns. Mapped to Email,
 * each would refuse every row.
 */
const NOT_AN_EMAIL =
  /\b(display|name|domain|opt|opted|optout|optin|unsubscribed?|subscribed|subscriptions?|bounced?|bounces|quarantined?|consent|confirmed|verified|valid|invalid|status|reason|format|date|sent|opened|clicked|count)\b/;

const ADDRESS_PART =
  /\b(street|city|town|state|region|province|postal|postcode|zip|country|ort|stadt|plz|land|ville|pays)\b/;

/** The target of each column, from its header: a field of ours, "cf:<id>" for a custom field, or "" (skipped). */
export function autoMapping(kind: ImportKind, headers: string[], fields: MappableField[]): string[] {
  // Custom fields by a key of any script; an empty key (a name of punctuation only) never maps.
  const byName = new Map(fields.map((f) => [fieldColumnKey(f.name), `cf:${f.id}`]));
  byName.delete("");
  const customOf = (header: string) => byName.get(fieldColumnKey(header));
  // A deal field's column by its name (as the deals export writes it), else the deal's own targets.
  if (kind === "deals") {
    const own = dealMapping(headers);
    return headers.map((h, i) => customOf(h) ?? own[i]!);
  }
  const hasFullAddress = headers.some((h) => /^address\b.*\bformatted$|^address$/.test(headerKey(h)));
  const mapping = headers.map((header) => {
    const custom = customOf(header);
    if (custom) return custom;
    const k = headerKey(header);
    if (!k) return "";
    if (/\b(label|type)$/.test(k)) return "";
    const aliases: Record<string, string> = kind === "contacts" ? CONTACT_ALIASES : COMPANY_ALIASES;
    const exact = aliases[k];
    if (exact) return exact;
    if (kind === "contacts") {
      // "E-mail 2 Address", "E-mail 1 - Value", "Email 3", "Work email"; "Business Phone", "Phone 1 - Value", "Telefon".
      if (/\b(e ?mail|mail)\b/.test(k)) return NOT_AN_EMAIL.test(k) ? "" : "email";
      if (/\b(phone|mobile|telephone|telefon|handy|tel|cell)\b/.test(k)) return "phone";
      if (/\baddress\b.*\bformatted$/.test(k)) return "address";
    } else {
      if (/\b(phone|telephone|telefon)\b/.test(k)) return "phone";
      if (/\b(website|domain)\b/.test(k)) return "domain";
    }
    // Street, city, country... become one address, unless the file has a full address column.
    if (ADDRESS_PART.test(k) && !hasFullAddress) return "address_part";
    return "";
  });
  // A "Full name" column only when the file has no first or last name column.
  if (mapping.includes("first_name") || mapping.includes("last_name"))
    return mapping.map((m) => (m === "full_name" ? "" : m));
  return mapping;
}

/** The targets a mapping may use, for validating a user's choice. */
export function validTarget(kind: ImportKind, target: string, fields: MappableField[]): boolean {
  if (target === "") return true;
  if (target.startsWith("cf:")) return fields.some((f) => `cf:${f.id}` === target);
  return (targetsOf(kind) as readonly string[]).includes(target);
}

/** The fields a file of `kind` can map its columns to (custom fields aside). */
export function targetsOf(kind: ImportKind): readonly string[] {
  return kind === "contacts" ? CONTACT_TARGETS : kind === "companies" ? COMPANY_TARGETS : DEAL_TARGETS;
}
