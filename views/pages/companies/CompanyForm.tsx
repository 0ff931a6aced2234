import { Field } from "../../components/Field";
import {
  FormActions,
  OwnerSelect,
  RecordFormMessages,
  recordFormPage,
  TagsAndCustomFields,
} from "../../partials/RecordForm";
import { InputField, SelectField, TextareaField, type CustomFieldDef } from "./FormFields";

export interface CompanyFormProps {
  mode: "new" | "edit";
  /** Where the form posts: /app/companies or /app/companies/:id. */
  action: string;
  cancelHref: string;
  /** What the fields show: the record, or what was submitted. */
  values: Record<string, string>;
  tagIds: number[];
  errors: Record<string, string>;
  tags: { id: number; name: string; color: string }[];
  fields: CustomFieldDef[];
  members: { userId: string; email: string }[];
  /** The company's owner when they have left the workspace: offered, so saving keeps them. */
  formerOwner?: { userId: string; email: string | null } | null;
  sizes: readonly string[];
  /** The longest value of each field (what the import stores too). */
  limits: { name: number; domain: number; industry: number; address: number; phone: number };
  region: string;
  /** Companies that already have the submitted domain: the form asks before creating another. */
  duplicates?: { id: number; name: string }[];
  /** An edit's version (the company's updatedAt when the form was read): a save over a newer one is refused. */
  version?: number;
  /** A warning atop the form (someone else saved first). */
  alert?: string;
}

/** The company form, for creating and editing. Works without JavaScript; htmx boosts it. */
export function CompanyForm(p: CompanyFormProps) {
  const v = p.values;
  return (
    <form class="stack record-form" method="post" action={p.action} novalidate>
      <RecordFormMessages errors={p.errors} alert={p.alert} version={p.version} />
      {p.duplicates?.length ? (
        <div class="flash warn" role="alert">
          <p>
            {p.duplicates.length === 1
              ? "A company with this domain already exists: "
              : "Companies with this domain already exist: "}
            {p.duplicates.map((d, i) => (
              <>
                {i > 0 ? ", " : null}
                <a href={`/app/companies/${d.id}`}>{d.name}</a>
              </>
            ))}
            .
          </p>
          <button type="submit" name="confirm_duplicate" value="1" class="secondary">
            Create anyway
          </button>
        </div>
      ) : null}
      <Field
        name="name"
        label="Name"
        value={v.name}
        error={p.errors.name}
        required
        maxlength={p.limits.name}
        autocomplete="organization"
      />
      <InputField
        name="domain"
        label="Website domain"
        value={v.domain}
        error={p.errors.domain}
        hint="Like example.com. A full web address works too."
        inputmode="url"
        maxlength={p.limits.domain}
      />
      <InputField
        name="industry"
        label="Industry"
        value={v.industry}
        error={p.errors.industry}
        maxlength={p.limits.industry}
      />
      <SelectField
        name="size"
        label="Size"
        value={v.size}
        empty="Unknown"
        options={p.sizes.map((s) => ({ value: s, label: `${s} people` }))}
        error={p.errors.size}
      />
      <InputField
        name="phone"
        label="Phone"
        type="tel"
        value={v.phone}
        error={p.errors.phone}
        autocomplete="tel"
        maxlength={p.limits.phone}
        hint={`Numbers without a country code are read as ${p.region} numbers; start others with + and the country code.`}
      />
      <TextareaField
        name="address"
        label="Address"
        value={v.address}
        error={p.errors.address}
        maxlength={p.limits.address}
      />
      <OwnerSelect members={p.members} former={p.formerOwner} value={v.owner_id} error={p.errors.owner_id} />
      <TagsAndCustomFields tags={p.tags} tagIds={p.tagIds} fields={p.fields} values={v} errors={p.errors} />
      <FormActions submit={p.mode === "new" ? "Create company" : "Save changes"} cancelHref={p.cancelHref} />
    </form>
  );
}

/** The page around the form. */
export const CompanyFormPage = recordFormPage<CompanyFormProps & { title: string }>(
  CompanyForm,
  "/app/companies",
  "Companies",
);
