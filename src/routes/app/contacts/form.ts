/**
 * Reading the contact form (create and edit): lengths, emails, phones, tags and custom fields, and
 * what was submitted, for showing the form again. References are checked by the service afterwards.
 */
import { z } from "zod";
import { email, tagName, text } from "../../../lib/validation";
import { normalizePhone } from "../../../lib/phone";
import { parseCustomFieldsForm, type CustomField } from "../../../services/records/custom-fields";
import { CONTACT_LIMITS, type ContactInput } from "../../../services/contacts/form";
import { parseRecordId, type FormBody } from "../../record-helpers";

/** A repeated form field as strings; null when any value is a file. */
export function stringList(body: FormBody, name: string): string[] | null {
  const v = body[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.every((x): x is string => typeof x === "string") ? list : null;
}

export function echoTagIds(body: FormBody): number[] {
  return (stringList(body, "tag_ids") ?? []).map(parseRecordId).filter((n): n is number => n !== null);
}

/** A submitted list without its trailing empty inputs; positions stay, so errors stay beside their input. */
export function echoList(body: FormBody, name: string): string[] {
  const list = stringList(body, name) ?? [];
  let end = list.length;
  while (end > 0 && list[end - 1]!.trim() === "") end -= 1;
  return list.slice(0, end);
}

const COMPANY_ERROR = "Choose a company from the list.";
const OWNER_ERROR = "Choose a member of this workspace as the owner.";

const scalarSchema = z.object({
  first_name: text("First name", { max: CONTACT_LIMITS.name }),
  last_name: text("Last name", { max: CONTACT_LIMITS.name }),
  job_title: text("Job title", { max: CONTACT_LIMITS.jobTitle }),
  address: text("Address", { max: CONTACT_LIMITS.address }),
  new_tag: tagName("New tag", { max: CONTACT_LIMITS.tagName }),
  company_id: z.string({ error: COMPANY_ERROR }).regex(/^(|[1-9]\d{0,14})$/, { error: COMPANY_ERROR }),
  owner_id: z.string({ error: OWNER_ERROR }).max(100, { error: OWNER_ERROR }),
});

export const emailSchema = email();
/** More inputs than the form ever shows is not a person typing; refuse before looking at each. */
const MAX_LIST_VALUES = 20;

type ListValue = { value: string } | { message: string };

const TOO_MANY = {
  emails: `Enter at most ${CONTACT_LIMITS.emails} email addresses.`,
  phones: `Enter at most ${CONTACT_LIMITS.phones} phone numbers.`,
};

/** An email as stored (trimmed, lower case), or why it is not one. */
function readEmail(raw: string): ListValue {
  const r = emailSchema.safeParse(raw);
  return r.success
    ? { value: r.data }
    : { message: r.error.issues[0]?.message ?? "Enter an email address like name@example.com." };
}

/** A phone number in E.164 (a national number read in the workspace's region), or why it is not one. */
function readPhone(raw: string, region: string): ListValue {
  const r = normalizePhone(raw, region);
  return r.ok ? { value: r.e164 } : { message: r.message };
}

/**
 * The emails' or phones' inputs read one by one: blanks skipped, repeats dropped, each bad value's
 * message by its input (`<name>_<i>`), and TOO_MANY's by the list when there are too many.
 */
function readListInput(
  body: FormBody,
  name: "emails" | "phones",
  errors: Record<string, string>,
  readOne: (raw: string) => ListValue,
): string[] {
  const tooMany = TOO_MANY[name];
  const values: string[] = [];
  const raws = stringList(body, name);
  if (raws === null || raws.length > MAX_LIST_VALUES) {
    errors[name] = tooMany;
    return values;
  }
  raws.forEach((raw, i) => {
    if (raw.trim() === "") return;
    const r = readOne(raw);
    if ("message" in r) errors[`${name}_${i}`] = r.message;
    else if (!values.includes(r.value)) values.push(r.value);
  });
  if (values.length > CONTACT_LIMITS[name]) errors[name] = tooMany;
  return values;
}

type FormResult =
  | { ok: true; input: ContactInput; allowDuplicate: boolean; version: number | null }
  | { ok: false; errors: Record<string, string> };

/**
 * Reads and checks the contact form: lengths, emails (trimmed, lower case), phones (E.164, national
 * numbers read in the tenant's region), tag ids, custom fields. References (company, tags, owner)
 * are checked against the tenant by the service afterwards.
 */
export function parseContactForm(
  body: FormBody,
  // Without a locale (the API), numbers are read in canonical form.
  ctx: { region: string; customFields: CustomField[]; defaultOwnerId: string | null; locale?: string },
): FormResult {
  const errors: Record<string, string> = {};
  const scalarInput: Record<string, unknown> = {};
  for (const key of Object.keys(scalarSchema.shape)) scalarInput[key] = body[key] ?? "";
  const scalars = scalarSchema.safeParse(scalarInput);
  if (!scalars.success)
    for (const issue of scalars.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;

  const emails = readListInput(body, "emails", errors, readEmail);
  const phones = readListInput(body, "phones", errors, (raw) => readPhone(raw, ctx.region));

  const rawTagIds = stringList(body, "tag_ids");
  const tagIds = (rawTagIds ?? []).map(parseRecordId);
  if (rawTagIds === null || tagIds.some((t) => t === null)) errors.tag_ids = "Choose tags from the list.";
  else if (tagIds.length > CONTACT_LIMITS.tags) errors.tag_ids = `Choose at most ${CONTACT_LIMITS.tags} tags.`;

  const custom = parseCustomFieldsForm(ctx.customFields, body, ctx.locale);
  if (!custom.ok) Object.assign(errors, custom.errors);

  const data = scalars.success ? scalars.data : null;
  if (
    data &&
    !data.first_name &&
    !data.last_name &&
    emails.length === 0 &&
    !errors.emails &&
    !Object.keys(errors).some((k) => k.startsWith("emails_"))
  ) {
    errors.first_name = "Enter a first or last name, or an email address.";
  }
  if (!data || Object.keys(errors).length || !custom.ok) return { ok: false, errors };

  const versionRaw = typeof body.version === "string" ? body.version : "";
  const version = /^\d{1,16}$/.test(versionRaw) ? Number(versionRaw) : null;
  return {
    ok: true,
    allowDuplicate: body.allow_duplicate === "1",
    version,
    input: {
      firstName: data.first_name,
      lastName: data.last_name,
      emails,
      phones,
      jobTitle: data.job_title || null,
      companyId: data.company_id ? Number(data.company_id) : null,
      address: data.address || null,
      tagIds: [...new Set(tagIds as number[])],
      newTag: data.new_tag || null,
      customValues: custom.values,
      // No owner field at all (a client that sends only some fields): the creator owns it.
      ownerId: body.owner_id === undefined ? ctx.defaultOwnerId : data.owner_id || null,
    },
  };
}
