/**
 * The filters of the contacts and companies lists, read from a URL's query. The lists and the
 * exports read them here, so "Export" downloads exactly what the list shows. The lists ignore a
 * parameter they cannot read; an export refuses it (`rejected`), rather than quietly exporting more
 * than was asked for.
 */
import type { TenantDb } from "../../db/scoped";
import { listCustomFields, parseCustomValue } from "./custom-fields";
import { ftsQuery, searchTerms } from "./search";
import { parseRecordId } from "../../lib/ids";

/** At most this many custom field filters apply; more are ignored by the list. */
export const MAX_CUSTOM_FILTERS = 5;

export interface ContactListFilters {
  /** The search as typed (at most 200 characters). */
  q: string;
  /** The FTS5 MATCH expression for `q` (naming the tenant), or null for no search. */
  match: string | null;
  tagId: number | null;
  companyId: number | null;
  ownerId: string | null;
  /**
   * Custom field equality filters, values in canonical form (a value no field could hold is kept as
   * typed: it matches nothing).
   */
  custom: { fieldId: number; value: string }[];
  /** `cf_<id>` → the value as typed, for showing the filter form again. */
  customEcho: Record<string, string>;
  /** Whether any filter narrows the list. */
  filtered: boolean;
  /** Names of parameters that were given but could not be read. */
  rejected: string[];
}

/**
 * The cf_<field id> filters of a list, for `entity`'s fields: values in canonical form (a value no field
 * could hold is kept as typed, so it matches nothing and the form shows it). Keys that are not one of
 * the workspace's fields of that entity, or past MAX_CUSTOM_FILTERS, go to `rejected`. Numbers are read
 * in the reader's `locale`, as the list shows them, else (and without one) in canonical form.
 */
export async function parseCustomFilters(
  t: TenantDb,
  query: URLSearchParams,
  entity: "contact" | "deal",
  rejected: string[],
  locale?: string,
): Promise<{ custom: { fieldId: number; value: string }[]; customEcho: Record<string, string> }> {
  const cfEntries = [...query.entries()].filter(([k, v]) => k.startsWith("cf_") && v.trim() !== "");
  for (const [k] of cfEntries) if (!/^cf_\d{1,12}$/.test(k)) rejected.push(k);
  const cfParams = cfEntries.filter(([k]) => /^cf_\d{1,12}$/.test(k));
  if (cfParams.length > MAX_CUSTOM_FILTERS) rejected.push(...cfParams.slice(MAX_CUSTOM_FILTERS).map(([k]) => k));
  // Custom filters need the fields' kinds (to compare canonical values) before the list is read.
  const chosen = cfParams.slice(0, MAX_CUSTOM_FILTERS);
  const fieldsById = new Map((chosen.length ? await listCustomFields(t, entity) : []).map((f) => [f.id, f]));
  const custom: { fieldId: number; value: string }[] = [];
  const customEcho: Record<string, string> = {};
  for (const [key, raw] of chosen) {
    const field = fieldsById.get(Number(key.slice(3)));
    if (!field) {
      rejected.push(key);
      continue;
    }
    // The reader's own way first, as the list shows numbers ("1.500" in de); else the canonical form ("1e1").
    const localized = parseCustomValue(field, raw.slice(0, 200), locale);
    const parsed = localized.ok || locale === undefined ? localized : parseCustomValue(field, raw.slice(0, 200));
    custom.push({ fieldId: field.id, value: parsed.ok && parsed.value !== null ? parsed.value : raw.trim() });
    customEcho[key] = raw.slice(0, 200);
  }
  return { custom, customEcho };
}

/**
 * Reads the contacts list's filters: q, tag, company, owner and cf_<field id> (contact fields only), numbers
 * in the reader's `locale` (none: canonical, as a background job's stored query is).
 */
export async function parseContactFilters(
  t: TenantDb,
  query: URLSearchParams,
  locale?: string,
): Promise<ContactListFilters> {
  const rejected: string[] = [];
  const q = (query.get("q") ?? "").slice(0, 200);
  const tagId = parseRecordId(query.get("tag"));
  if (query.get("tag") && tagId === null) rejected.push("tag");
  const companyId = parseRecordId(query.get("company"));
  if (query.get("company") && companyId === null) rejected.push("company");
  const ownerParam = query.get("owner") ?? "";
  const ownerId = ownerParam && ownerParam.length <= 100 ? ownerParam : null;
  if (ownerParam && ownerId === null) rejected.push("owner");
  const { custom, customEcho } = await parseCustomFilters(t, query, "contact", rejected, locale);
  return {
    q,
    match: ftsQuery(t.tenantId, searchTerms(q)),
    tagId,
    companyId,
    ownerId,
    custom,
    customEcho,
    filtered: Boolean(q.trim() || tagId || companyId || ownerId || custom.length),
    rejected,
  };
}

export interface CompanyListFilters {
  /** A name prefix as typed (at most 200 characters). */
  q: string;
  tagId: number | null;
  filtered: boolean;
  rejected: string[];
}

/** Reads the companies list's filters: q (a name prefix) and tag. */
export function parseCompanyFilters(query: URLSearchParams): CompanyListFilters {
  const q = (query.get("q") ?? "").slice(0, 200);
  const tagId = parseRecordId(query.get("tag"));
  const rejected = query.get("tag") && tagId === null ? ["tag"] : [];
  return { q, tagId, filtered: Boolean(q.trim() || tagId), rejected };
}

/** The query string of a contacts list's filters (no sort or page), for links that keep them. */
export function contactFilterQuery(
  f: Pick<ContactListFilters, "q" | "tagId" | "companyId" | "ownerId" | "customEcho">,
): URLSearchParams {
  const query = new URLSearchParams();
  if (f.q.trim()) query.set("q", f.q);
  if (f.tagId) query.set("tag", String(f.tagId));
  if (f.companyId) query.set("company", String(f.companyId));
  if (f.ownerId) query.set("owner", f.ownerId);
  for (const [k, v] of Object.entries(f.customEcho)) if (v.trim()) query.set(k, v);
  return query;
}

/** The query string of a companies list's filters (no sort or page). */
export function companyFilterQuery(f: Pick<CompanyListFilters, "q" | "tagId">): URLSearchParams {
  const query = new URLSearchParams();
  if (f.q.trim()) query.set("q", f.q);
  if (f.tagId) query.set("tag", String(f.tagId));
  return query;
}

/** The export page for a list, carrying its filters (`list` says whose filters they are). */
export function exportPageHref(list: "contacts" | "companies", filters: URLSearchParams): string {
  const query = new URLSearchParams({ list });
  for (const [k, v] of filters) query.append(k, v);
  return `/app/export?${query}`;
}

/**
 * The filters' query with custom values in canonical form, for work that reads them later with no reader
 * (a background job): "1.500" typed in de is stored as "1500", not read again as 1.5.
 */
export function canonicalFilterQuery(f: Pick<ContactListFilters, "q" | "tagId" | "companyId" | "ownerId" | "custom">) {
  const customEcho = Object.fromEntries(f.custom.map((c) => [`cf_${c.fieldId}`, c.value]));
  return contactFilterQuery({ ...f, customEcho });
}
