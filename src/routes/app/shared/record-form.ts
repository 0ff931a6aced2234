/**
 * Steps the contact, company and deal forms share: where the form goes, its custom field inputs,
 * the version an edit started from, and the tag typed in "New tag".
 */
import type { TenantDb } from "../../../db/scoped";
import { numberForInput } from "../../../lib/money";
import { findOrCreateTag, TagLimitError } from "../../../services/records/tags";
import type { Context } from "hono";
import type { AppEnv } from "../../../env";
import { tenantOf } from "../../context";
import { parseRecordId, type FormBody } from "../../record-helpers";

/** What every record's form page is drawn from: new or edit, its title, what was typed and the messages. */
export interface RecordFormState {
  mode: "new" | "edit";
  id?: number;
  title: string;
  values: Record<string, string>;
  tagIds: number[];
  errors?: Record<string, string>;
}

/** The props every record's form page takes alike; it posts to, and Cancel leads to, the list or the record. */
export function recordFormProps(listPath: string, s: RecordFormState) {
  const target = s.mode === "new" ? listPath : `${listPath}/${s.id}`;
  return {
    title: s.title,
    mode: s.mode,
    action: target,
    cancelHref: target,
    values: s.values,
    tagIds: s.tagIds,
    errors: s.errors ?? {},
  };
}

/**
 * A record's form values with its custom field values added (their inputs are named cf_<field id>);
 * numbers are shown in the reader's locale, as they will type them back.
 */
export function withCustomFieldValues(
  values: Record<string, string>,
  fieldValues: Map<number, string>,
  fields: readonly { id: number; kind: string }[],
  locale: string,
): Record<string, string> {
  const numberFields = new Set(fields.filter((f) => f.kind === "number").map((f) => f.id));
  for (const [fieldId, value] of fieldValues)
    values[`cf_${fieldId}`] = numberFields.has(fieldId) ? numberForInput(value, locale) : value;
  return values;
}

/** The version (updatedAt) an edit form was loaded at, from its hidden input, when it reads as one. */
export function submittedVersion(body: FormBody): number | undefined {
  return typeof body.version === "string" && /^\d{1,16}$/.test(body.version) ? Number(body.version) : undefined;
}

/**
 * The input with the tag typed in "New tag" found or created, and added to its tags; or the form's error by the
 * field when the workspace has as many tags as it may (nothing written).
 */
export async function withNewTag<Input extends { newTag: string | null; tagIds: number[] }>(
  t: TenantDb,
  input: Input,
  now: number,
): Promise<{ ok: true; input: Input } | { ok: false; errors: Record<string, string> }> {
  if (!input.newTag) return { ok: true, input };
  try {
    const tag = await findOrCreateTag(t, input.newTag, now);
    return { ok: true, input: { ...input, tagIds: [...new Set([...input.tagIds, tag.id])] } };
  } catch (err) {
    if (err instanceof TagLimitError) return { ok: false, errors: { [err.field]: err.message } };
    throw err;
  }
}

/** A post to `/:id`: the record it edits (null when it is not the workspace's: answer 404) and the form. */
export async function editPost<Record, Body = FormBody>(
  c: Context<AppEnv>,
  find: (t: TenantDb, id: number) => Promise<Record | null>,
): Promise<{ existing: Record; body: Body } | null> {
  const id = parseRecordId(c.req.param("id"));
  const existing = id ? await find(tenantOf(c), id) : null;
  if (!existing) return null;
  return { existing, body: (await c.req.parseBody({ all: true })) as Body };
}
