import { assets } from "../../../src/generated/assets";
import type { Child } from "hono/jsx";
import { Field, FieldError } from "../../components/Field";
import {
  CompanySelect,
  FormActions,
  OwnerSelect,
  RecordFormMessages,
  recordFormPage,
  TagsAndCustomFields,
} from "../../partials/RecordForm";
import { TextareaField, type CustomFieldDef } from "../companies/FormFields";

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

/** How many emails, and how many phones, a contact can have. */
const MAX_CONTACT_POINTS = 5;

/** The two lists of contact points: what their fieldsets say and how their inputs are typed. */
const CONTACT_POINT_LISTS = {
  emails: { legend: "Email addresses", itemLabel: "Email address", type: "email", maxlength: 254 },
  phones: { legend: "Phone numbers", itemLabel: "Phone number", type: "tel", maxlength: 40 },
} as const;

/** A fieldset of like inputs (emails, phones): the first is the primary one. */
function ListInputs(p: { name: "emails" | "phones"; values: string[]; errors: Record<string, string>; hint: string }) {
  const list = CONTACT_POINT_LISTS[p.name];
  const groupError = p.errors[p.name];
  const hintId = `f-${p.name}-hint`;
  return (
    <fieldset
      id={`f-${p.name}`}
      class="field list-inputs"
      aria-describedby={[hintId, groupError ? `f-${p.name}-error` : null].filter(Boolean).join(" ")}
    >
      <legend>{list.legend}</legend>
      <p class="hint" id={hintId}>
        {p.hint}
      </p>
      {slots(p.values, MAX_CONTACT_POINTS).map((value, i) => {
        const id = `f-${p.name}-${i}`;
        const error = p.errors[`${p.name}_${i}`];
        return (
          <div class="list-input">
            <label for={id} class="visually-hidden">
              {list.itemLabel} {i + 1}
              {i === 0 ? " (primary)" : ""}
            </label>
            <input
              id={id}
              name={p.name}
              type={list.type}
              value={value}
              maxlength={list.maxlength}
              autocomplete={i === 0 ? list.type : "off"}
              inputmode={list.type}
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
  // The contact's plain text inputs; autocomplete is off, as the values are the contact's, not the user's.
  const textField = (name: string, label: string, maxlength: number) => (
    <Field name={name} label={label} value={v[name]} error={e[name]} maxlength={maxlength} autocomplete="off" />
  );
  return (
    <form class="stack record-form contact-form" method="post" action={p.action} novalidate>
      <RecordFormMessages errors={e} alert={p.alert} version={p.version} />
      {/* Once warned, the next submission creates the contact: the user has seen who exists already. */}
      <DuplicateWarning duplicates={duplicates} withButton />
      {duplicates.length ? <input type="hidden" name="allow_duplicate" value="1" /> : null}
      <div class="grid two">
        {textField("first_name", "First name", 100)}
        {textField("last_name", "Last name", 100)}
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
          values={p.emails}
          errors={e}
          hint="Up to five. The first is the one the list shows."
        />
        <ListInputs
          name="phones"
          values={p.phones}
          errors={e}
          hint={`Up to five. Numbers without a country code are read as ${p.region} numbers; start others with + and the country code.`}
        />
      </div>
      {p.mode === "new" ? <div id="duplicate-check" aria-live="polite"></div> : null}
      {textField("job_title", "Job title", 150)}
      {/* With JavaScript, assets-src/combobox.js turns the select into a searchable combobox. */}
      <div
        class="record-combobox"
        data-options={COMPANY_OPTIONS_PATH}
        data-create="1"
        data-select-hint="drop"
        data-scripts={JSON.stringify([assets.combobox])}
      >
        <CompanySelect
          companies={p.companies}
          value={v.company_id}
          error={e.company_id}
          hint={p.companiesTruncated ? `Showing the first ${p.companies.length} companies by name.` : undefined}
        />
      </div>
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

/** Where the combobox reads matching companies and creates a new one (src/routes/app/contacts/company-combobox.tsx). */
export const COMPANY_OPTIONS_PATH = "/app/contacts/company-options";

/** The page around the form. */
export const ContactFormPage = recordFormPage(ContactForm, "/app/contacts", "Contacts");
