/** "More filters": one equality filter per custom field (cf_<id>), as the contacts and deals lists offer. */
import { InputField, SelectField, type CustomFieldDef } from "../pages/companies/FormFields";

function filterChoices(cf: CustomFieldDef): { value: string; label: string }[] | null {
  if (cf.kind === "select") return cf.options.map((o) => ({ value: o, label: o }));
  if (cf.kind === "checkbox") return [{ value: "1", label: "Yes" }];
  return null;
}

/**
 * `values`: cf_<id> → the value as typed. Nothing without fields. `inline`: the fields alone, for a
 * list whose filters already sit in a popover (FilterBar).
 */
export function CustomFieldFilters(p: { fields: CustomFieldDef[]; values: Record<string, string>; inline?: boolean }) {
  if (!p.fields.length) return null;
  const fields = p.fields.map((cf) => {
    const name = `cf_${cf.id}`;
    const value = p.values[name] ?? "";
    const choices = filterChoices(cf);
    if (choices) return <SelectField name={name} label={cf.name} value={value} empty="Any" options={choices} />;
    return (
      <InputField
        name={name}
        label={cf.name}
        type={cf.kind === "date" ? "date" : "text"}
        value={value}
        maxlength={200}
      />
    );
  });
  if (p.inline) return <>{fields}</>;
  return (
    <details class="more-filters" open={Object.values(p.values).some(Boolean)}>
      <summary>More filters</summary>
      <div class="filters">{fields}</div>
    </details>
  );
}
