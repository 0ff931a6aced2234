/**
 * The deal form: its limits, reading what was submitted (amount in the reader's locale, a real
 * close date, contacts with roles, tags, custom fields), the check that everything it names is the
 * workspace's, and the choices it offers.
 */
import { asc, eq } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { companies, contacts, memberships, pipelineStages } from "../../db/schema";
import { isCurrency, parseAmount } from "../../lib/money";
import { text, tagName } from "../../lib/validation";
import { contactDisplayName } from "../contacts/names";
import { listCustomFields, parseCustomFieldsForm, type CustomField } from "../records/custom-fields";
import { listTags, ownedTagIds } from "../records/tags";
import { listOwners } from "../records/workspace";
import { pipelinesWithStages, workspaceMoney } from "./choices";
import { isRealDate } from "./statements";

export const DEAL_LIMITS = { name: 200, role: 60, contacts: 20, tags: 50, tagName: 50, choices: 500 } as const;

/** A form body as parseBody({ all: true }) reads it. */
export type DealFormBody = Record<string, string | File | (string | File)[]>;

export interface DealInput {
  name: string;
  amountMinor: number;
  currency: string;
  closeDate: string | null;
  ownerId: string | null;
  companyId: number | null;
  pipelineId: number;
  stageId: number;
  /** `at`: the row of the form it came from, so an error shows beside it. */
  contacts: { contactId: number; role: string | null; at: number }[];
  tagIds: number[];
  newTag: string | null;
  customValues: Map<number, string | null>;
}

/** What the form needs to read a submission: the reader's locale, the workspace's currency, the deal fields. */
export interface DealFormContext {
  /** The reader's locale for amounts and numbers; none (the API) reads custom numbers in canonical form. */
  locale?: string;
  currency: string;
  customFields: CustomField[];
  defaultOwnerId: string | null;
}

export type DealFormResult = { ok: true; input: DealInput } | { ok: false; errors: Record<string, string> };

function list(body: DealFormBody, name: string): string[] | null {
  const v = body[name];
  if (v === undefined) return [];
  const all = Array.isArray(v) ? v : [v];
  return all.every((x): x is string => typeof x === "string") ? all : null;
}

function single(body: DealFormBody, name: string): string | null {
  const v = body[name];
  if (v === undefined) return "";
  return typeof v === "string" ? v : null;
}

/** A positive integer id, or null. */
export function idOf(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}

const nameSchema = text("Name", { min: 1, max: DEAL_LIMITS.name });
const roleSchema = text("Role", { max: DEAL_LIMITS.role });
const newTagSchema = tagName("New tag", { max: DEAL_LIMITS.tagName });

/** Reads the deal form; every problem is a message keyed by the field it belongs beside. */
export function parseDealForm(body: DealFormBody, ctx: DealFormContext): DealFormResult {
  const errors: Record<string, string> = {};
  const nameRaw = single(body, "name");
  const name = nameSchema.safeParse(nameRaw ?? undefined);
  if (!name.success) errors.name = name.error.issues[0]?.message ?? "Enter a name.";

  const currencyRaw = (single(body, "currency") ?? "").trim().toUpperCase() || ctx.currency;
  if (!isCurrency(currencyRaw)) errors.currency = "Choose a currency from the list (ISO 4217, like USD or EUR).";

  let amountMinor = 0;
  const amountRaw = single(body, "amount");
  if (amountRaw === null) errors.amount = "Enter an amount.";
  else if (amountRaw.trim() !== "" && !errors.currency) {
    const parsed = parseAmount(amountRaw, ctx.locale ?? "en-US", currencyRaw);
    if (parsed.ok) amountMinor = parsed.minor;
    else errors.amount = parsed.message;
  }

  const closeRaw = (single(body, "close_date") ?? "").trim();
  if (closeRaw !== "" && !isRealDate(closeRaw)) errors.close_date = "Enter a date that exists, like 2027-03-31.";

  const ownerRaw = single(body, "owner_id");
  if (ownerRaw === null || ownerRaw.length > 100) errors.owner_id = "Choose a member of this workspace as the owner.";
  const companyRaw = single(body, "company_id") ?? "";
  const companyId = companyRaw === "" ? null : idOf(companyRaw);
  if (companyRaw !== "" && companyId === null) errors.company_id = "Choose a company from the list.";

  const pipelineId = idOf(single(body, "pipeline_id"));
  const stageId = idOf(single(body, "stage_id"));
  if (stageId === null) errors.stage_id = "Choose a stage.";
  if (single(body, "pipeline_id") !== "" && pipelineId === null) errors.pipeline_id = "Choose a pipeline.";

  const contactIds = list(body, "contact_ids");
  const roles = list(body, "contact_roles");
  const dealContacts: DealInput["contacts"] = [];
  if (contactIds === null || roles === null || contactIds.length > DEAL_LIMITS.contacts * 2) {
    errors.contacts = `Add at most ${DEAL_LIMITS.contacts} contacts.`;
  } else {
    contactIds.forEach((raw, i) => {
      const role = roleSchema.safeParse(roles[i] ?? "");
      if (!role.success) errors[`contact_roles_${i}`] = role.error.issues[0]?.message ?? "Check the role.";
      if (raw === "") return;
      const id = idOf(raw);
      if (id === null) errors[`contact_ids_${i}`] = "Choose a contact from the list.";
      else if (!dealContacts.some((c) => c.contactId === id))
        dealContacts.push({ contactId: id, role: role.success ? role.data || null : null, at: i });
    });
    if (dealContacts.length > DEAL_LIMITS.contacts) errors.contacts = `Add at most ${DEAL_LIMITS.contacts} contacts.`;
  }

  const rawTags = list(body, "tag_ids");
  const tagIds = (rawTags ?? []).map(idOf);
  if (rawTags === null || tagIds.some((x) => x === null)) errors.tag_ids = "Choose tags from the list.";
  else if (tagIds.length > DEAL_LIMITS.tags) errors.tag_ids = `Choose at most ${DEAL_LIMITS.tags} tags.`;
  const newTag = newTagSchema.safeParse(single(body, "new_tag") ?? undefined);
  if (!newTag.success) errors.new_tag = newTag.error.issues[0]?.message ?? "Check the new tag.";

  const custom = parseCustomFieldsForm(ctx.customFields, body, ctx.locale);
  if (!custom.ok) Object.assign(errors, custom.errors);

  if (Object.keys(errors).length || !name.success || !custom.ok || !newTag.success) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: name.data,
      amountMinor,
      currency: currencyRaw,
      closeDate: closeRaw || null,
      ownerId: body.owner_id === undefined ? ctx.defaultOwnerId : ownerRaw || null,
      companyId,
      pipelineId: pipelineId ?? 0,
      stageId: stageId!,
      contacts: dealContacts,
      tagIds: [...new Set(tagIds as number[])],
      newTag: newTag.data || null,
      customValues: custom.values,
    },
  };
}

export type DealReferences =
  | { ok: true; pipelineId: number; companyName: string | null }
  | { ok: false; errors: Record<string, string> };

/**
 * Checks that the stage (and its pipeline), owner, company, contacts and tags the input names are the
 * workspace's, in one batch of reads. Another workspace's id is a field error, never a 500.
 */
export async function checkDealReferences(t: TenantDb, input: DealInput): Promise<DealReferences> {
  const contactIds = input.contacts.map((c) => c.contactId);
  const [stage, company, owner, ownedContacts] = await t.db.batch([
    t.db
      .select({ pipelineId: pipelineStages.pipelineId })
      .from(pipelineStages)
      .where(t.where(pipelineStages, eq(pipelineStages.id, input.stageId)))
      .limit(1),
    t.db
      .select({ name: companies.name })
      .from(companies)
      .where(t.where(companies, eq(companies.id, input.companyId ?? 0)))
      .limit(1),
    t.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(t.where(memberships, eq(memberships.userId, input.ownerId ?? "")))
      .limit(1),
    t.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(t.where(contacts, inJsonList(contacts.id, contactIds))),
  ]);
  const tags = await ownedTagIds(t, input.tagIds);
  const errors: Record<string, string> = {};
  const pipelineId = input.pipelineId || stage[0]?.pipelineId || 0;
  if (!stage[0]) errors.stage_id = "Choose a stage from the list.";
  else if (stage[0].pipelineId !== pipelineId) errors.stage_id = "That stage is not in this pipeline.";
  if (input.companyId !== null && !company[0]) errors.company_id = "Choose a company from the list.";
  if (input.ownerId !== null && !owner[0]) errors.owner_id = "Choose a member of this workspace as the owner.";
  const found = new Set(ownedContacts.map((c) => c.id));
  for (const c of input.contacts)
    if (!found.has(c.contactId)) errors[`contact_ids_${c.at}`] = "Choose a contact from the list.";
  if (tags.length !== input.tagIds.length) errors.tag_ids = "Choose tags from the list.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, pipelineId, companyName: company[0]?.name ?? null };
}

/**
 * What the deal form offers: pipelines with stages, companies and contacts (first 500 by name, plus
 * the ones the deal already has, so saving never drops them), members, tags, fields.
 */
export async function dealFormChoices(t: TenantDb, current: { companyId?: number | null; contactIds?: number[] } = {}) {
  const contactFields = {
    id: contacts.id,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    primaryEmail: contacts.primaryEmail,
  };
  const [pipes, companyRows, contactRows, members, tags, customFields, money, ownCompany, ownContacts] =
    await Promise.all([
      pipelinesWithStages(t),
      t.db
        .select({ id: companies.id, name: companies.name })
        .from(companies)
        .where(t.where(companies))
        .orderBy(asc(companies.nameSort), asc(companies.id))
        .limit(DEAL_LIMITS.choices),
      t.db
        .select(contactFields)
        .from(contacts)
        .where(t.where(contacts))
        .orderBy(asc(contacts.nameSort), asc(contacts.id))
        .limit(DEAL_LIMITS.choices),
      listOwners(t),
      listTags(t),
      listCustomFields(t, "deal"),
      workspaceMoney(t),
      current.companyId
        ? t.db
            .select({ id: companies.id, name: companies.name })
            .from(companies)
            .where(t.where(companies, eq(companies.id, current.companyId)))
        : Promise.resolve([]),
      current.contactIds?.length
        ? t.db
            .select(contactFields)
            .from(contacts)
            .where(t.where(contacts, inJsonList(contacts.id, current.contactIds)))
        : Promise.resolve([]),
    ]);
  for (const c of ownCompany) if (!companyRows.some((x) => x.id === c.id)) companyRows.unshift(c);
  for (const c of ownContacts) if (!contactRows.some((x) => x.id === c.id)) contactRows.unshift(c);
  return {
    pipelines: pipes,
    companies: companyRows,
    contacts: contactRows.map((c) => ({ id: c.id, name: contactDisplayName(c) })),
    members,
    tags,
    customFields,
    money,
  };
}

/** The SQL that lower-cases a deal's name for sorting and search (the same as the stored name_sort). */
export function nameSortOf(name: string): string {
  return name.toLowerCase();
}
