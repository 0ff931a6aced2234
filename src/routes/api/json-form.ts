/**
 * The API reads bodies through the app's own form parsers, so it accepts exactly what the forms accept.
 * These are the two ends of that: custom values by field name into `cf_<id>` form fields, and the form's
 * error keys back into the JSON's field names.
 */
import { checkboxWord, type CustomField } from "../../services/records/custom-fields";
import type { FormBody } from "../record-helpers";
import type { FieldProblem } from "./problem";

/** A custom value as the form sends it: null and false clear, true ticks, numbers as written; null: unreadable. */
function formValue(field: CustomField, value: string | number | boolean | null): string | null {
  if (value === null || value === false) return "";
  if (value === true) return "1";
  if (field.kind !== "checkbox" || String(value).trim() === "") return String(value);
  // A box reads the words the importer reads ("false", "no", "0"...): the form's own "anything ticks" would tick them.
  const ticked = checkboxWord(String(value));
  return ticked === null ? null : ticked ? "1" : "";
}

/** Puts `custom_fields` (by name) into the form body; names the workspace lacks become problems. */
export function customFieldsIntoBody(
  body: FormBody,
  values: Record<string, string | number | boolean | null> | undefined,
  fields: CustomField[],
  entity: "contact" | "company" | "deal",
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(values ?? {})) {
    const field = fields.find((f) => f.name === name);
    const read = field ? formValue(field, value) : null;
    if (field && read !== null) body[`cf_${field.id}`] = read;
    else if (field)
      problems.push({
        field: `custom_fields.${name}`,
        message: `${name} is a checkbox: send true or false (or yes/no, 1/0, on/off).`,
      });
    else
      problems.push({ field: `custom_fields.${name}`, message: `This workspace has no ${entity} field of this name.` });
  }
  return problems;
}

/** The form body of a record's current custom values (`cf_<id>`), the start of an update. */
export function currentCustomValues(
  body: FormBody,
  current: Record<string, { value: string }>,
  fields: CustomField[],
): void {
  for (const f of fields) {
    const value = current[f.name]?.value;
    if (value !== undefined) body[`cf_${f.id}`] = value;
  }
}

/** The form's error keys as the JSON spells them: emails_1 → emails[1], cf_12 → custom_fields.Tier. */
export function jsonProblems(errors: Record<string, string>, fields: CustomField[]): FieldProblem[] {
  return Object.entries(errors).map(([key, message]) => {
    const list = /^(emails|phones)_(\d+)$/.exec(key);
    const cf = /^cf_(\d+)$/.exec(key);
    const field = list
      ? `${list[1]}[${list[2]}]`
      : cf
        ? `custom_fields.${fields.find((f) => f.id === Number(cf[1]))?.name ?? cf[1]}`
        : key === "form"
          ? "custom_fields"
          : key;
    return { field, message };
  });
}
