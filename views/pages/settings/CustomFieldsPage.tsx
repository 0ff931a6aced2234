import { Card } from "../../components/Card";
import { DeleteLink, SettingDeleteConfirm } from "../../components/DeleteConfirm";
import { CreateCard } from "../../partials/CreateCard";
import { Field, FormAlert } from "../../components/Field";
import { SelectField, TextareaField } from "../companies/FormFields";
import { MoveButtons } from "./PipelinesPage";
import { SettingsNav } from "./SettingsNav";
import { TableHead } from "../../components/TableHead";

export const FIELD_NOTICES = {
  created: "Field created.",
  updated: "Field saved. Its values stay with it.",
  moved: "Fields reordered.",
  deleted: "Field deleted, with its values.",
} as const;
export type FieldNotice = keyof typeof FIELD_NOTICES;

export interface FieldRow {
  id: number;
  name: string;
  kind: string;
  options: string[];
}

export interface CustomFieldsPageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  contactFields: FieldRow[];
  companyFields: FieldRow[];
  dealFields: FieldRow[];
  kinds: readonly string[];
  notice?: FieldNotice | null;
  create?: { values: Record<string, string>; errors: Record<string, string> };
}

export const KIND_LABELS: Record<string, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Choice from a list",
  checkbox: "Yes / no",
  url: "Web address",
};

function FieldTable(p: { title: string; id: string; rows: FieldRow[] }) {
  return (
    <section class="card" aria-labelledby={p.id}>
      <h2 id={p.id}>{p.title}</h2>
      {p.rows.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <table>
          <TableHead columns={["Name", "Kind", "Options", "Actions"]} />
          <tbody>
            {p.rows.map((f, i) => (
              <tr id={`field-${f.id}`}>
                <td data-label="Name">{f.name}</td>
                <td data-label="Kind">{KIND_LABELS[f.kind] ?? f.kind}</td>
                <td data-label="Options">{f.options.join(", ")}</td>
                <td data-label="Actions">
                  <a href={`/app/settings/fields/${f.id}/edit`}>
                    Edit<span class="visually-hidden"> {f.name}</span>
                  </a>{" "}
                  <MoveButtons
                    action={`/app/settings/fields/${f.id}/move`}
                    label={`field ${f.name}`}
                    first={i === 0}
                    last={i === p.rows.length - 1}
                  />{" "}
                  <DeleteLink href={`/app/settings/fields/${f.id}/delete`} name={f.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Custom fields for contacts, companies and deals: the lists in order (edit, move, delete) and the form that adds one. */
export function CustomFieldsPage(p: CustomFieldsPageProps) {
  const create = p.create ?? { values: {}, errors: {} };
  return (
    <div class="stack">
      <h1>Custom fields</h1>
      <SettingsNav current="fields" canSeeAudit canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{FIELD_NOTICES[p.notice]}</FormAlert> : null}
      <FieldTable title="Contact fields" id="contact-fields-heading" rows={p.contactFields} />
      <FieldTable title="Company fields" id="company-fields-heading" rows={p.companyFields} />
      <FieldTable title="Deal fields" id="deal-fields-heading" rows={p.dealFields} />
      <CreateCard id="new-field" title="New field" action="/app/settings/fields" submit="Create field">
        <SelectField
          name="entity"
          label="For"
          value={create.values.entity ?? "contact"}
          options={[
            { value: "contact", label: "Contacts" },
            { value: "company", label: "Companies" },
            { value: "deal", label: "Deals" },
          ]}
          error={create.errors.entity}
        />
        <Field name="name" label="Name" value={create.values.name} error={create.errors.name} required maxlength={60} />
        <SelectField
          name="kind"
          label="Kind"
          value={create.values.kind ?? "text"}
          options={p.kinds.map((k) => ({ value: k, label: KIND_LABELS[k] ?? k }))}
          error={create.errors.kind}
        />
        <TextareaField
          name="options"
          label="Options"
          value={create.values.options}
          error={create.errors.options}
          rows={4}
          hint="Only for a choice from a list: one option per line."
        />
      </CreateCard>
    </div>
  );
}

/** Asks before deleting a field and its values (works without JavaScript). */
export function CustomFieldDeletePage(p: { field: { id: number; name: string; entity: string } }) {
  return (
    <SettingDeleteConfirm what="field" name={p.field.name} id={p.field.id} listPath="/app/settings/fields">
      Its value on every {p.field.entity} is deleted too. This cannot be undone.
    </SettingDeleteConfirm>
  );
}

export interface CustomFieldEditPageProps {
  /** The owner also sees Billing in the settings navigation. */
  canSeeBilling?: boolean;
  field: { id: number; name: string; entity: string; kind: string };
  /** What the form shows: the field as saved, or what was typed when it was refused. */
  values: { name?: string; options?: string };
  errors?: Record<string, string>;
}

const ENTITY_LABELS: Record<string, string> = { contact: "Contacts", company: "Companies", deal: "Deals" };

/** Renames a field and, for a choice from a list, edits its options; its record type and kind stay. */
export function CustomFieldEditPage(p: CustomFieldEditPageProps) {
  const errors = p.errors ?? {};
  const f = p.field;
  return (
    <div class="stack">
      <h1>Edit the field {f.name}</h1>
      <SettingsNav current="fields" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <Card id="edit-field" title="Field">
        <p class="muted">
          For {ENTITY_LABELS[f.entity] ?? f.entity} · {KIND_LABELS[f.kind] ?? f.kind}. Every record keeps its value
          under the new name.
        </p>
        <form class="stack" method="post" action={`/app/settings/fields/${f.id}`}>
          <Field name="name" label="Name" value={p.values.name} error={errors.name} required maxlength={60} />
          {f.kind === "select" ? (
            <TextareaField
              name="options"
              label="Options"
              value={p.values.options}
              error={errors.options}
              rows={6}
              required
              hint="One per line, in the order forms show them. Add a line to add an option. An option that records hold stays until no record holds it."
            />
          ) : null}
          <div class="actions">
            <button type="submit">Save field</button>
            <a href="/app/settings/fields">Cancel</a>
          </div>
        </form>
      </Card>
    </div>
  );
}
