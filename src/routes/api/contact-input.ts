/**
 * A contact's JSON body read through the app's own contact form parser (src/routes/app/contacts/form.ts)
 * and reference check, so the API accepts exactly what the form accepts: the same lengths, addresses,
 * phone numbers (national ones in the workspace's region), tags, owner and custom values (in canonical
 * form, not a person's locale). An update starts from the contact as it is, so absent fields stay.
 */
import type { TenantDb } from "../../db/scoped";
import type { ApiContact } from "../../services/api/contacts";
import { checkReferences, type ContactInput } from "../../services/contacts/form";
import { listCustomFields, type CustomField } from "../../services/records/custom-fields";
import { tenantRegion } from "../../services/records/workspace";
import { parseContactForm } from "../app/contacts/form";
import type { FormBody } from "../record-helpers";
import { invalidFields, type FieldProblem } from "./problem";
import type { ContactJson } from "./schemas";

const text = (v: string | null | undefined) => v ?? "";

/** The form body of the contact as it is: the start of an update. */
function currentBody(current: ApiContact, fields: CustomField[]): FormBody {
  const body: FormBody = {
    first_name: current.first_name,
    last_name: current.last_name,
    emails: current.emails,
    phones: current.phones,
    job_title: text(current.job_title),
    company_id: current.company ? String(current.company.id) : "",
    address: text(current.address),
    tag_ids: current.tags.map((t) => String(t.id)),
    owner_id: text(current.owner_id),
  };
  for (const f of fields) {
    const value = current.custom_fields[f.name]?.value;
    if (value !== undefined) body[`cf_${f.id}`] = value;
  }
  return body;
}

/** The form's field names as the JSON spells them: emails_1 → emails[1], cf_12 → custom_fields.Tier. */
function jsonField(key: string, fields: CustomField[]): string {
  const list = /^(emails|phones)_(\d+)$/.exec(key);
  if (list) return `${list[1]}[${list[2]}]`;
  const cf = /^cf_(\d+)$/.exec(key);
  if (cf) return `custom_fields.${fields.find((f) => f.id === Number(cf[1]))?.name ?? cf[1]}`;
  return key === "form" ? "custom_fields" : key;
}

/**
 * The input for createContact/updateContact from a JSON body (and, for an update, the contact as it is).
 * Throws a validation problem listing every invalid field.
 */
export async function readContactJson(
  t: TenantDb,
  json: ContactJson,
  current: ApiContact | null,
): Promise<ContactInput & { companyName: string | null }> {
  const [region, fields] = await Promise.all([tenantRegion(t), listCustomFields(t, "contact")]);
  const body: FormBody = current ? currentBody(current, fields) : {};
  const errors: FieldProblem[] = [];
  for (const key of ["first_name", "last_name", "job_title", "address", "owner_id"] as const)
    if (json[key] !== undefined) body[key] = text(json[key]);
  if (json.emails !== undefined) body.emails = json.emails;
  if (json.phones !== undefined) body.phones = json.phones;
  if (json.company_id !== undefined) body.company_id = json.company_id === null ? "" : String(json.company_id);
  if (json.tag_ids !== undefined) body.tag_ids = json.tag_ids.map(String);
  for (const [name, value] of Object.entries(json.custom_fields ?? {})) {
    const field = fields.find((f) => f.name === name);
    if (!field) {
      errors.push({ field: `custom_fields.${name}`, message: "This workspace has no contact field of this name." });
      continue;
    }
    body[`cf_${field.id}`] = value === null || value === false ? "" : value === true ? "1" : String(value);
  }
  // No owner given on create: none (the app's form defaults to the person filling it in; a key is no person).
  const parsed = parseContactForm(body, { region, customFields: fields, defaultOwnerId: null });
  if (!parsed.ok) {
    for (const [key, message] of Object.entries(parsed.errors)) errors.push({ field: jsonField(key, fields), message });
    throw invalidFields(errors);
  }
  if (errors.length) throw invalidFields(errors);
  const refs = await checkReferences(t, parsed.input);
  if (!refs.ok) throw invalidFields(Object.entries(refs.errors).map(([field, message]) => ({ field, message })));
  return { ...parsed.input, companyName: refs.companyName };
}
