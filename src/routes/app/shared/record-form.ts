/**
 * Steps the contact, company and deal forms share: where the form goes, its custom field inputs,
 * the version an edit started from, and the tag typed in "New tag".
 */
import type { TenantDb } from "../../../db/scoped";
import { findOrCreateTag } from "../../../services/records/tags";
import type { FormBody } from "../../record-helpers";

/** Where a record's form posts and where its Cancel leads: the list for a new record, else the record. */
export function recordFormTarget(listPath: string, mode: "new" | "edit", id?: number): string {
  return mode === "new" ? listPath : `${listPath}/${id}`;
}

/** A record's form values with its custom field values added (their inputs are named cf_<field id>). */
export function withCustomFieldValues(
  values: Record<string, string>,
  fieldValues: Map<number, string>,
): Record<string, string> {
  for (const [fieldId, value] of fieldValues) values[`cf_${fieldId}`] = value;
  return values;
}

/** The version (updatedAt) an edit form was loaded at, from its hidden input, when it reads as one. */
export function submittedVersion(body: FormBody): number | undefined {
  return typeof body.version === "string" && /^\d{1,16}$/.test(body.version) ? Number(body.version) : undefined;
}

/** The input with the tag typed in "New tag" found or created, and added to its tags. */
export async function withNewTag<Input extends { newTag: string | null; tagIds: number[] }>(
  t: TenantDb,
  input: Input,
  now: number,
): Promise<Input> {
  if (!input.newTag) return input;
  const tag = await findOrCreateTag(t, input.newTag, now);
  return { ...input, tagIds: [...new Set([...input.tagIds, tag.id])] };
}
