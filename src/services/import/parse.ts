/**
 * One row of a file → a normalised contact or company record, or the reason it is refused; and the
 * keys that make two rows the same person (or company). Pure functions: the analyse step drives them.
 */
import type { ImportKind } from "../../db/schema";
import { matchingDomain, normalizeDomain } from "../../lib/domain";
import { COMPANY_NAME_MAX, COMPANY_SIZES } from "../companies/form";
import { CONTACT_LIMITS } from "../contacts/form";
import {
  addressOf,
  type Cells,
  customOf,
  EMAIL,
  gather,
  joined,
  NOTE_MAX,
  ownerOf,
  phoneOf,
  type RowContext,
  single,
  tagsOf,
  TEXT_MAX,
} from "./cells";
import { fullNameKey } from "./match";
import type { CompanyDetails } from "../companies/fields";

/** What a contact row and a company row both end with. */
interface RecordExtras {
  address: string | null;
  tags: string[];
  note: string | null;
  /** An owner's email or name, resolved to a member when the chunk is planned (unknown: no owner, listed). */
  owner: string | null;
  /** Custom field id → canonical value. */
  custom: Record<string, string>;
}

export interface ContactRecord extends RecordExtras {
  firstName: string;
  lastName: string;
  emails: string[];
  phones: string[];
  jobTitle: string | null;
  company: string | null;
}

export type CompanyRecord = CompanyDetails & RecordExtras;

export type RowResult<R> = { ok: true; record: R } | { ok: false; reason: string } | { ok: "empty" };

/** A row's address, note, tags and custom values checked (in that order), and its owner; or why it is refused. */
function extrasOf(v: Cells, ctx: RowContext): Exclude<RowResult<RecordExtras>, { ok: "empty" }> {
  const address = addressOf(v);
  if (!address.ok) return { ok: false, reason: address.reason };
  const note = joined(v, "note", "The note", NOTE_MAX);
  if (!note.ok) return { ok: false, reason: note.reason };
  const tags = tagsOf(v);
  if (typeof tags === "string") return { ok: false, reason: tags };
  const custom = customOf(v, ctx.fields, ctx.numberLocales);
  if (typeof custom === "string") return { ok: false, reason: custom };
  return { ok: true, record: { address: address.value, tags, note: note.value, owner: ownerOf(v), custom } };
}

/** One contact row: normalised, or refused with the reason. */
export function contactFromRow(cells: string[], ctx: RowContext): RowResult<ContactRecord> {
  const g = gather(cells, ctx);
  if (g.ok !== true) return g;
  const v = g.values;
  let firstName = single(v, "first_name", "The first name", CONTACT_LIMITS.name);
  let lastName = single(v, "last_name", "The last name", CONTACT_LIMITS.name);
  if (!firstName.ok) return { ok: false, reason: firstName.reason };
  if (!lastName.ok) return { ok: false, reason: lastName.reason };
  const full = (v.get("full_name") ?? [])[0]?.value;
  if (full && !firstName.value && !lastName.value) {
    const space = full.lastIndexOf(" ");
    firstName = { ok: true, value: space > 0 ? full.slice(0, space) : full };
    lastName = { ok: true, value: space > 0 ? full.slice(space + 1) : null };
    if ((firstName.value?.length ?? 0) > CONTACT_LIMITS.name || (lastName.value?.length ?? 0) > CONTACT_LIMITS.name) {
      return { ok: false, reason: `The name is longer than ${CONTACT_LIMITS.name} characters.` };
    }
  }
  const emails: string[] = [];
  for (const { header, value } of v.get("email") ?? []) {
    for (const part of value.split(/\s*(?:;|,|:::)\s*/)) {
      const email = part.trim().toLowerCase();
      if (!email) continue;
      if (email.length > 254 || !EMAIL.test(email))
        return { ok: false, reason: `“${part.slice(0, 80)}” in column “${header}” is not an email address.` };
      if (!emails.includes(email)) emails.push(email);
    }
  }
  const phones: string[] = [];
  for (const { header, value } of v.get("phone") ?? []) {
    for (const part of value.split(/\s*(?::::|;)\s*/)) {
      if (!part.trim()) continue;
      const phone = phoneOf(part, ctx.region);
      if (!phone.ok) return { ok: false, reason: `Column “${header}”: ${phone.message}` };
      if (!phones.includes(phone.e164)) phones.push(phone.e164);
    }
  }
  if (emails.length > CONTACT_LIMITS.emails)
    return { ok: false, reason: `At most ${CONTACT_LIMITS.emails} email addresses per contact.` };
  if (phones.length > CONTACT_LIMITS.phones)
    return { ok: false, reason: `At most ${CONTACT_LIMITS.phones} phone numbers per contact.` };
  const jobTitle = single(v, "job_title", "The job title", CONTACT_LIMITS.jobTitle);
  if (!jobTitle.ok) return { ok: false, reason: jobTitle.reason };
  const company = single(v, "company", "The company name", COMPANY_NAME_MAX);
  if (!company.ok) return { ok: false, reason: company.reason };
  const extras = extrasOf(v, ctx);
  if (!extras.ok) return extras;
  if (!firstName.value && !lastName.value && emails.length === 0 && phones.length === 0) {
    return { ok: false, reason: "The row has no name, email or phone." };
  }
  return {
    ok: true,
    record: {
      firstName: firstName.value ?? "",
      lastName: lastName.value ?? "",
      emails,
      phones,
      jobTitle: jobTitle.value,
      company: company.value,
      ...extras.record,
    },
  };
}

/** "5000" → "1001-5000"; one of COMPANY_SIZES as is; null when it is neither. */
function sizeOf(raw: string): string | null {
  if ((COMPANY_SIZES as readonly string[]).includes(raw)) return raw;
  const n = Number(raw.replace(/[\s,.]/g, ""));
  if (!Number.isInteger(n) || n < 1) return null;
  const bounds: [number, string][] = [
    [10, "1-10"],
    [50, "11-50"],
    [200, "51-200"],
    [500, "201-500"],
    [1000, "501-1000"],
    [5000, "1001-5000"],
  ];
  return bounds.find(([max]) => n <= max)?.[1] ?? "5001+";
}

/** One company row: normalised, or refused with the reason. */
export function companyFromRow(cells: string[], ctx: RowContext): RowResult<CompanyRecord> {
  const g = gather(cells, ctx);
  if (g.ok !== true) return g;
  const v = g.values;
  const name = single(v, "name", "The name", COMPANY_NAME_MAX);
  if (!name.ok) return { ok: false, reason: name.reason };
  if (!name.value) return { ok: false, reason: "The row has no company name." };
  let domain: string | null = null;
  const rawDomain = (v.get("domain") ?? [])[0]?.value;
  if (rawDomain) {
    const d = normalizeDomain(rawDomain);
    if (!d.ok) return { ok: false, reason: `“${rawDomain.slice(0, 80)}” is not a website or domain.` };
    domain = d.domain;
  }
  const industry = single(v, "industry", "The industry", TEXT_MAX);
  if (!industry.ok) return { ok: false, reason: industry.reason };
  let size: string | null = null;
  const rawSize = (v.get("size") ?? [])[0]?.value;
  if (rawSize) {
    size = sizeOf(rawSize);
    if (!size)
      return {
        ok: false,
        reason: `“${rawSize.slice(0, 40)}” is not a number of employees or one of ${COMPANY_SIZES.join(", ")}.`,
      };
  }
  let phone: string | null = null;
  const rawPhone = (v.get("phone") ?? [])[0];
  if (rawPhone) {
    const p = phoneOf(rawPhone.value, ctx.region);
    if (!p.ok) return { ok: false, reason: `Column “${rawPhone.header}”: ${p.message}` };
    phone = p.e164;
  }
  const extras = extrasOf(v, ctx);
  if (!extras.ok) return extras;
  return {
    ok: true,
    record: {
      name: name.value,
      domain,
      industry: industry.value,
      size,
      phone,
      ...extras.record,
    },
  };
}

/** The match key of a contact without email or phone: its name sort key and its company, lower case. */
export function nameKey(firstName: string, lastName: string, company: string | null): string {
  return `n:${`${lastName} ${firstName}`.trim().toLowerCase()}|${(company ?? "").toLowerCase()}`;
}

/**
 * The keys that make two rows of one file the same person (or company), strongest first: an email,
 * or a phone together with the same name (colleagues share a switchboard: a phone alone is not a
 * person; import-match.ts); a domain (not a shared host's), else the name, for companies.
 */
export function matchKeys(kind: ImportKind, record: ContactRecord | CompanyRecord): string[] {
  if (kind === "contacts") {
    const c = record as ContactRecord;
    const name = fullNameKey(c.firstName, c.lastName);
    const keys = [...c.emails.map((e) => `e:${e}`), ...c.phones.map((p) => `p:${p}|${name}`)];
    // A row with neither matches by name (and company) among contacts that have neither either, so the
    // same file imported twice does not create such people twice.
    return keys.length ? keys : [nameKey(c.firstName, c.lastName, c.company)];
  }
  const co = record as CompanyRecord;
  // A shared host (facebook.com/acmebakery) is many companies' domain: such a row is told apart by its name.
  const domain = matchingDomain(co.domain);
  return domain ? [`d:${domain}`] : [`n:${co.name.toLowerCase()}`];
}
