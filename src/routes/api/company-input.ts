/**
 * A company's JSON body read through the app's own company form check (validateCompanyForm), so the API
 * accepts what the form accepts: name, domain (normalised), size, phone (in the workspace's region), owner,
 * tags and custom values in canonical form. An update starts from the company as it is (its owner kept even
 * when they have left the workspace).
 */
import type { TenantDb } from "../../db/scoped";
import type { ApiCompany } from "../../services/api/companies";
import {
  companyFormContext,
  validateCompanyForm,
  type CompanyFormContext,
  type CompanyInput,
} from "../../services/companies/form";
import type { FormBody } from "../record-helpers";
import { currentCustomValues, customFieldsIntoBody, jsonProblems } from "./json-form";
import { invalidFields } from "./problem";
import type { CompanyJson } from "./schemas";

const text = (v: string | null | undefined) => v ?? "";

/** The input for createCompany/updateCompany, with the form context they take. Throws a validation problem. */
export async function readCompanyJson(
  t: TenantDb,
  json: CompanyJson,
  current: ApiCompany | null,
): Promise<{ input: CompanyInput; ctx: CompanyFormContext }> {
  const ctx = await companyFormContext(t);
  const body: FormBody = {};
  if (current) {
    for (const key of ["name", "domain", "industry", "size", "phone", "address", "owner_id"] as const)
      body[key] = text(current[key]);
    body.tag_ids = current.tags.map((tag) => String(tag.id));
    currentCustomValues(body, current.custom_fields, ctx.fields);
  }
  for (const key of ["name", "domain", "industry", "size", "phone", "address", "owner_id"] as const)
    if (json[key] !== undefined) body[key] = text(json[key]);
  if (json.tag_ids !== undefined) body.tag_ids = json.tag_ids.map(String);
  const unknown = customFieldsIntoBody(body, json.custom_fields, ctx.fields, "company");
  // The company's own owner is kept as it is after they leave the workspace; only another owner must be a member.
  const parsed = validateCompanyForm(ctx, body, undefined, current?.owner_id ?? null);
  if (!parsed.ok) throw invalidFields([...unknown, ...jsonProblems(parsed.errors, ctx.fields)]);
  if (unknown.length) throw invalidFields(unknown);
  return { input: parsed.input, ctx };
}
