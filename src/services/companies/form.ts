/**
 * The company form: what it needs from the workspace (phone region, tags, fields, members) and the
 * check of what it submits, plus the duplicate-domain warning.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TenantDb } from "../../db/scoped";
import { companies } from "../../db/schema";
import { isSharedHost, normalizeDomain } from "../../lib/domain";
import { normalizePhone } from "../../lib/phone";
import { parseForm, tagName, text, type FieldErrors } from "../../lib/validation";
import { listCustomFields, parseCustomFieldsForm, type CustomField } from "../records/custom-fields";
import { listTags, type Tag } from "../records/tags";
import { listOwners, tenantRegion, type Member } from "../records/workspace";
import type { CompanyDetails } from "./fields";

/** Head-count ranges offered by the size select. */
export const COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001+"] as const;
export const COMPANY_NAME_MAX = 200;
/**
 * The longest values a company's fields take. The import and the bulk API store companies too, and the form and
 * PATCH check a whole company again on every save, so these are at least what those accept (the import's
 * industry and address limits should come from here).
 */
export const COMPANY_LIMITS = { name: COMPANY_NAME_MAX, domain: 300, industry: 200, address: 1000, phone: 60 } as const;
const TAG_NAME_MAX = 50;

/** What the company form needs to be shown and checked: the tenant's phone region, tags, fields, members. */
export interface CompanyFormContext {
  region: string;
  tags: Tag[];
  fields: CustomField[];
  members: Member[];
}

/** Loads the company form's context (four small queries, in one round trip). */
export async function companyFormContext(t: TenantDb): Promise<CompanyFormContext> {
  const [region, tagRows, fields, members] = await Promise.all([
    tenantRegion(t),
    listTags(t),
    listCustomFields(t, "company"),
    listOwners(t),
  ]);
  return { region, tags: tagRows, fields, members };
}

/** A company as the form submits it, checked and normalised. */
export interface CompanyInput extends CompanyDetails {
  ownerId: string | null;
  /** Tags of the tenant (checked against the context). */
  tagIds: number[];
  /** A tag to create (or reuse, whatever its case) and attach. */
  newTag: string | null;
  customValues: Map<number, string | null>;
}

const optional = (label: string, max: number) => z.preprocess((v) => (v === undefined ? "" : v), text(label, { max }));

const companySchema = z.object({
  name: z.preprocess((v) => (v === undefined ? "" : v), text("Name", { min: 1, max: COMPANY_LIMITS.name })),
  domain: optional("Domain", COMPANY_LIMITS.domain),
  industry: optional("Industry", COMPANY_LIMITS.industry),
  size: z.preprocess(
    (v) => (v === undefined ? "" : v),
    z.union([z.literal(""), z.enum(COMPANY_SIZES)], { error: "Choose one of the sizes." }),
  ),
  address: optional("Address", COMPANY_LIMITS.address),
  phone: optional("Phone", COMPANY_LIMITS.phone),
  owner_id: optional("Owner", 100),
  // ";" separates tags in exports and imports, as the contact and deal forms refuse it.
  new_tag: z.preprocess((v) => (v === undefined ? "" : v), tagName("New tag", { max: TAG_NAME_MAX })),
});

export type CompanyFormResult = { ok: true; input: CompanyInput } | { ok: false; errors: FieldErrors };

/**
 * Checks a submitted company form against the tenant's context (numbers in `locale`). Nothing is read or written
 * here. `currentOwnerId` is the edited company's owner: kept as it is even when they have left the workspace
 * (only a different owner must be a member), so saving an edit never drops it.
 */
export function validateCompanyForm(
  ctx: CompanyFormContext,
  body: Record<string, unknown>,
  locale?: string,
  currentOwnerId?: string | null,
): CompanyFormResult {
  const parsed = parseForm(companySchema, body);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const d = parsed.ok ? parsed.data : null;

  let domain: string | null = null;
  if (d?.domain) {
    const r = normalizeDomain(d.domain);
    if (r.ok) domain = r.domain;
    else errors.domain = r.message;
  }
  let phone: string | null = null;
  if (d?.phone) {
    const r = normalizePhone(d.phone, ctx.region);
    if (r.ok) phone = r.e164;
    else errors.phone = r.message;
  }
  if (d?.owner_id && d.owner_id !== currentOwnerId && !ctx.members.some((m) => m.userId === d.owner_id))
    errors.owner_id = "Choose a member of this workspace.";

  // Checkboxes arrive as one string or a list of strings; anything else, or an id that is not one of
  // this tenant's tags, refuses the whole form rather than silently dropping it.
  const rawTags = body.tag_ids === undefined ? [] : Array.isArray(body.tag_ids) ? body.tag_ids : [body.tag_ids];
  const owned = new Set(ctx.tags.map((t) => t.id));
  const tagIds: number[] = [];
  for (const raw of rawTags) {
    const id = typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    if (!owned.has(id)) {
      errors.tag_ids = "Choose tags from the list.";
      break;
    }
    if (!tagIds.includes(id)) tagIds.push(id);
  }
  let newTag: string | null = null;
  if (d?.new_tag) {
    const existing = ctx.tags.find((t) => t.name.toLowerCase() === d.new_tag.toLowerCase());
    if (existing) {
      if (!tagIds.includes(existing.id)) tagIds.push(existing.id);
    } else newTag = d.new_tag;
  }

  const custom = parseCustomFieldsForm(ctx.fields, body, locale);
  if (!custom.ok) Object.assign(errors, custom.errors);

  if (Object.keys(errors).length || !d || !custom.ok) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: d.name,
      domain,
      industry: d.industry || null,
      size: d.size || null,
      address: d.address || null,
      phone,
      ownerId: d.owner_id || null,
      tagIds,
      newTag,
      customValues: custom.values,
    },
  };
}

/**
 * The edited company's owner when they are no longer a member of the workspace (the form offers them as a former
 * member, so a save keeps them), else null.
 */
export function formerOwnerOf(
  ctx: CompanyFormContext,
  company: { ownerId: string | null; ownerEmail: string | null },
): { userId: string; email: string | null } | null {
  if (!company.ownerId || ctx.members.some((m) => m.userId === company.ownerId)) return null;
  return { userId: company.ownerId, email: company.ownerEmail };
}

/** The tenant's companies with this (normalised) domain, for the duplicate warning; none for a shared host (facebook.com). */
export async function companiesWithDomain(
  t: TenantDb,
  domain: string,
  exceptId?: number,
): Promise<{ id: number; name: string }[]> {
  if (isSharedHost(domain)) return [];
  const rows = await t.db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(t.where(companies, eq(companies.domain, domain)))
    .limit(5);
  return rows.filter((r) => r.id !== exceptId);
}

/** The sort key of a name: lower case, as the name index and contacts' company_sort hold it. */
export function nameSortKey(name: string): string {
  return name.toLowerCase();
}
