/** The deal form, for creating and editing. Works without JavaScript; htmx boosts it. */
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
import { InputField, SelectField, type CustomFieldDef, recordOptions } from "../companies/FormFields";
import { COMPANY_OPTIONS_PATH } from "../contacts/ContactForm";
import { StageSelect } from "./StageSelect";

/** Where the contact comboboxes read matching contacts (src/routes/app/deals/contact-combobox.tsx). */
const CONTACT_OPTIONS_PATH = "/app/deals/contact-options";

export interface DealFormProps {
  title: string;
  mode: "new" | "edit";
  action: string;
  cancelHref: string;
  /** Single fields as shown: the deal, or what was submitted (cf_<id> keys included). */
  values: Record<string, string>;
  /** Contact rows: contact id and role, as shown. */
  contactRows: { contactId: string; role: string }[];
  tagIds: number[];
  errors: Record<string, string>;
  pipelines: { id: number; name: string; stages: { id: number; name: string }[] }[];
  companies: { id: number; name: string }[];
  contacts: { id: number; name: string }[];
  members: { userId: string; email: string }[];
  tags: { id: number; name: string; color: string }[];
  fields: CustomFieldDef[];
  currencies: string[];
  /** How the workspace writes amounts, for the hint ("12,500.50"). */
  amountExample: string;
  version?: number;
  alert?: Child;
}

/** How many contact rows the form shows: what it has plus two empty, at most 20. */
function contactSlots(rows: DealFormProps["contactRows"]) {
  const n = Math.min(20, Math.max(3, rows.length + 2));
  return Array.from({ length: n }, (_, i) => rows[i] ?? { contactId: "", role: "" });
}

function ContactRows(p: DealFormProps) {
  const e = p.errors;
  return (
    <fieldset
      id="f-contacts"
      class="field deal-contacts"
      aria-describedby={e.contacts ? "f-contacts-error" : undefined}
    >
      <legend>Contacts and their roles</legend>
      <p class="hint">Up to 20 people, each with a role such as “decision maker” or “champion”.</p>
      {contactSlots(p.contactRows).map((row, i) => (
        <div class="contact-row grid two">
          <div
            class="field record-combobox"
            data-options={CONTACT_OPTIONS_PATH}
            data-one="contact"
            data-many="contacts"
          >
            <label for={`f-contact_ids-${i}`}>Contact {i + 1}</label>
            <select
              id={`f-contact_ids-${i}`}
              name="contact_ids"
              aria-invalid={e[`contact_ids_${i}`] ? "true" : undefined}
              aria-describedby={e[`contact_ids_${i}`] ? `f-contact_ids-${i}-error` : undefined}
            >
              <option value="">—</option>
              {/* A filled row offers only its contact (or none): the full list once per empty row, not per contact. */}
              {(row.contactId ? p.contacts.filter((c) => String(c.id) === row.contactId) : p.contacts).map((c) => (
                <option value={String(c.id)} selected={String(c.id) === row.contactId}>
                  {c.name}
                </option>
              ))}
            </select>
            <FieldError id={`f-contact_ids-${i}`} error={e[`contact_ids_${i}`]} />
          </div>
          <InputField
            id={`f-contact_roles-${i}`}
            name="contact_roles"
            label={`Role of contact ${i + 1}`}
            value={row.role}
            maxlength={60}
            error={e[`contact_roles_${i}`]}
          />
        </div>
      ))}
      <FieldError id="f-contacts" error={e.contacts} />
    </fieldset>
  );
}

export function DealForm(p: DealFormProps) {
  const v = p.values;
  const e = p.errors;
  return (
    <form class="stack record-form deal-form" method="post" action={p.action} novalidate>
      <RecordFormMessages errors={e} alert={p.alert} version={p.version} />
      <Field name="name" label="Name" value={v.name} error={e.name} maxlength={200} autocomplete="off" required />
      {/* Bottoms aligned: the amount's hint would push its box below the currency's. */}
      <div class="grid two align-end">
        <InputField
          name="amount"
          label="Amount"
          value={v.amount}
          error={e.amount}
          inputmode="decimal"
          hint={`Written like ${p.amountExample}.`}
          autocomplete="off"
        />
        <SelectField
          name="currency"
          label="Currency"
          value={v.currency}
          options={p.currencies.map((c) => ({ value: c, label: c }))}
          error={e.currency}
        />
      </div>
      <InputField name="close_date" label="Expected close date" type="date" value={v.close_date} error={e.close_date} />
      <div class="grid two">
        <SelectField
          name="pipeline_id"
          label="Pipeline"
          value={v.pipeline_id}
          options={recordOptions(p.pipelines)}
          error={e.pipeline_id}
        />
        <StageSelect id="f-stage_id" label="Stage" pipelines={p.pipelines} value={v.stage_id} error={e.stage_id} />
      </div>
      <OwnerSelect members={p.members} value={v.owner_id} error={e.owner_id} />
      {/* With JavaScript, assets-src/combobox.js turns the company and contact selects into searchable comboboxes. */}
      <div
        class="record-combobox"
        data-options={COMPANY_OPTIONS_PATH}
        data-create="1"
        data-scripts={JSON.stringify([assets.combobox])}
      >
        <CompanySelect companies={p.companies} value={v.company_id} error={e.company_id} />
      </div>
      <ContactRows {...p} />
      <TagsAndCustomFields tags={p.tags} tagIds={p.tagIds} fields={p.fields} values={v} errors={e} />
      <FormActions submit={p.mode === "edit" ? "Save changes" : "Create deal"} cancelHref={p.cancelHref} />
    </form>
  );
}

/** The page around the form. */
export const DealFormPage = recordFormPage(DealForm, "/app/deals", "Deals");
