/**
 * A contact's JSON body read through the app's own contact form parser (src/routes/app/contacts/form.ts)
 * and reference check, so the API accepts exactly what the form accepts: the same lengths, addresses,
 * phone numbers (national ones in the workspace's region), tags, owner and custom values (in canonical
 * form, not a person's locale). An update starts from the contact as it is, so absent fields stay.
 */
import type { TenantDb } from "../../db/scoped";
import type { ApiContact } from "../../services/api/contacts";
import { checkReferences, type ContactInput } from "../../services/contacts/form";
import { listCustomFields } from "../../services/records/custom-fields";
import { tenantRegion } from "../../services/records/workspace";
import { parseContactForm } from "../app/contacts/form";
import type { FormBody } from "../record-helpers";
import { currentCustomValues, customFieldsIntoBody, jsonProblems } from "./json-form";
import { invalidFields } from "./problem";
import type { ContactJson } from "./schemas";

const text = (v: string | null | undefined) => v ?? "";

/** The form body of the contact as it is: the start of an update. */
function currentBody(current: ApiContact): FormBody {
  return {
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
  const body: FormBody = current ? currentBody(current) : {};
  if (current) currentCustomValues(body, current.custom_fields, fields);
  for (const key of ["first_name", "last_name", "job_title", "address", "owner_id"] as const)
    if (json[key] !== undefined) body[key] = text(json[key]);
  if (json.emails !== undefined) body.emails = json.emails;
  if (json.phones !== undefined) body.phones = json.phones;
  if (json.company_id !== undefined) body.company_id = json.company_id === null ? "" : String(json.company_id);
  if (json.tag_ids !== undefined) body.tag_ids = json.tag_ids.map(String);
  const unknown = customFieldsIntoBody(body, json.custom_fields, fields, "contact");
  // No owner given on create: none (the app's form defaults to the person filling it in; a key is no person).
  const parsed = parseContactForm(body, { region, customFields: fields, defaultOwnerId: null });
  if (!parsed.ok) throw invalidFields([...unknown, ...jsonProblems(parsed.errors, fields)]);
  if (unknown.length) throw invalidFields(unknown);
  const refs = await checkReferences(t, parsed.input);
  if (!refs.ok) throw invalidFields(jsonProblems(refs.errors, fields));
  return { ...parsed.input, companyName: refs.companyName };
}
