import type { Child } from "hono/jsx";
import { Field } from "../../components/Field";
import {
  CompanySelect,
  FormActions,
  OwnerSelect,
  RecordFormMessages,
  RecordFormPage,
  TagsAndCustomFields,
} from "../../partials/RecordForm";
import { FieldError, TextareaField, type CustomFieldDef } from "../companies/FormFields";

/** A contact that already has one of the submitted emails or phones. */
export interface DuplicateContactView {
  id: number;
  name: string;
  matched: string[];
}

export interface ContactFormProps {
  title: string;
  mode: "new" | "edit";
  /** Where the form posts: /app/contacts or /app/contacts/:id. */
  action: string;
  cancelHref: string;
  /** What the single fields show: the record, or what was submitted (cf_<id> keys included). */
  values: Record<string, string>;
  emails: string[];
  phones: string[];
  tagIds: number[];
  errors: Record<string, string>;
  companies: { id: number; name: string }[];
  /** The tenant has more companies than the select lists. */
  companiesTruncated: boolean;
  tags: { id: number; name: string; color: string }[];
  fields: CustomFieldDef[];
  members: { userId: string; email: string }[];
  region: string;
  /** Existing contacts with the same email or phone: shown with a "Create anyway" button. */
  duplicates?: DuplicateContactView[];
  /** A form-level message (a concurrent edit, a plan limit). */
  alert?: Child;
  /** The version (updated_at) the edit form was loaded from, so a concurrent save is noticed. */
  version?: number;
}

/** How many inputs a list shows: what it has plus one empty, at least three, at most `max`. */
function slots(values: string[], max: number): string[] {
  const n = Math.min(max, Math.max(3, values.length + 1));
  return Array.from({ length: n }, (_, i) => values[i] ?? "");
}

/** A fieldset of like inputs (emails, phones): the first is the primary one. */
function ListInputs(p: {
  name: "emails" | "phones";
  legend: string;
  itemLabel: string;
  type: "email" | "tel";
  values: string[];
  errors: Record<string, string>;
  hint: string;
  max: number;
}) {
  const groupError = p.errors[p.name];
  const hintId = `f-${p.name}-hint`;
  return (
    <fieldset
      id={`f-${p.name}`}
      class="field list-inputs"
      aria-describedby={[hintId, groupError ? `f-${p.name}-error` : null].filter(Boolean).join(" ")}
    >
      <legend>{p.legend}</legend>
      <p class="hint" id={hintId}>
        {p.hint}
      </p>
      {slots(p.values, p.max).map((value, i) => {
        const id = `f-${p.name}-${i}`;
        const error = p.errors[`${p.name}_${i}`];
        return (
          <div class="list-input">
            <label for={id} class="visually-hidden">
              {p.itemLabel} {i + 1}
              {i === 0 ? " (primary)" : ""}
            </label>
            <input
              id={id}
              name={p.name}
              type={p.type}
              value={value}
              maxlength={p.type === "email" ? 254 : 40}
              autocomplete={i === 0 ? (p.type === "email" ? "email" : "tel") : "off"}
              inputmode={p.type === "email" ? "email" : "tel"}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            <FieldError id={id} error={error} />
          </div>
        );
      })}
      <FieldError id={`f-${p.name}`} error={groupError} />
    </fieldset>
  );
}

/** The warning that the contact may exist already, linking the existing ones. Also the check-duplicates fragment. */
export function DuplicateWarning(p: { duplicates: DuplicateContactView[]; withButton: boolean }) {
  if (p.duplicates.length === 0) return null;
  return (
    <div class="flash warn duplicate-warning" role="alert">
      <p>
        {p.duplicates.length === 1 ? "This contact may already exist:" : "These contacts have the same email or phone:"}
      </p>
      <ul>
        {p.duplicates.map((d) => (
          <li>
            <a href={`/app/contacts/${d.id}`}>{d.name}</a> <span class="muted">({d.matched.join(", ")})</span>
          </li>
        ))}
      </ul>
      {p.withButton ? (
        <p>Open the existing contact to update it, or choose “Create anyway” below to add a new one.</p>
      ) : null}
    </div>
  );
}

/** The contact form, for creating and editing. Works without JavaScript; htmx boosts it. */
export function ContactForm(p: ContactFormProps) {
  const v = p.values;
  const e = p.errors;
  const duplicates = p.duplicates ?? [];
  return (
    <form class="stack record-form contact-form" method="post" action={p.action} novalidate>
      <RecordFormMessages errors={e} alert={p.alert} version={p.version} />
      {/* Once warned, the next submission creates the contact: the user has seen who exists already. */}
      <DuplicateWarning duplicates={duplicates} withButton />
      {duplicates.length ? <input type="hidden" name="allow_duplicate" value="1" /> : null}
      <div class="grid two">
        <Field
          name="first_name"
          label="First name"
          value={v.first_name}
          error={e.first_name}
          maxlength={100}
          autocomplete="off"
        />
        <Field
          name="last_name"
          label="Last name"
          value={v.last_name}
          error={e.last_name}
          maxlength={100}
          autocomplete="off"
        />
      </div>
      <div
        class="stack contact-points"
        {...(p.mode === "new"
          ? {
              // Warns about an existing contact as soon as an email or phone is filled in.
              "hx-post": "/app/contacts/check-duplicates",
              "hx-trigger": "change delay:200ms",
              "hx-target": "#duplicate-check",
              "hx-swap": "innerHTML",
            }
          : {})}
      >
        <ListInputs
          name="emails"
          legend="Email addresses"
          itemLabel="Email address"
          type="email"
          values={p.emails}
          errors={e}
          max={5}
          hint="Up to five. The first is the one the list shows."
        />
        <ListInputs
          name="phones"
          legend="Phone numbers"
          itemLabel="Phone number"
          type="tel"
          values={p.phones}
          errors={e}
          max={5}
          hint={`Up to five. Numbers without a country code are read as ${p.region} numbers; start others with + and the country code.`}
        />
      </div>
      {p.mode === "new" ? <div id="duplicate-check" aria-live="polite"></div> : null}
      <Field
        name="job_title"
        label="Job title"
        value={v.job_title}
        error={e.job_title}
        maxlength={150}
        autocomplete="off"
      />
      <CompanySelect
        companies={p.companies}
        value={v.company_id}
        error={e.company_id}
        hint={p.companiesTruncated ? `Showing the first ${p.companies.length} companies by name.` : undefined}
      />
      <TextareaField name="address" label="Address" value={v.address} error={e.address} maxlength={1000} rows={3} />
      <OwnerSelect members={p.members} value={v.owner_id} error={e.owner_id} />
      <TagsAndCustomFields tags={p.tags} tagIds={p.tagIds} fields={p.fields} values={v} errors={e} />
      <FormActions
        submit={p.mode === "edit" ? "Save changes" : duplicates.length ? "Create anyway" : "Create contact"}
        cancelHref={p.cancelHref}
      />
    </form>
  );
}

/** The page around the form. */
export function ContactFormPage(p: ContactFormProps) {
  return (
    <RecordFormPage listHref="/app/contacts" listName="Contacts" title={p.title}>
      <ContactForm {...p} />
    </RecordFormPage>
  );
}
