/** Pieces the contact, company and deal forms share, so the three ask for owner, company and tags alike. */
import { Breadcrumb } from "../components/Breadcrumb";
import type { Child, FC } from "hono/jsx";
import { FormAlert } from "../components/Field";
import {
  CustomFieldInputs,
  SelectField,
  TagPicker,
  type CustomFieldDef,
  recordOptions,
  memberOptions,
} from "../pages/companies/FormFields";

/**
 * The messages atop a contact or deal form: fields to correct (a form-wide error is said on its own),
 * a warning, and the version an edit started from.
 */
export function RecordFormMessages(p: { errors: Record<string, string>; alert?: Child; version?: number }) {
  const fieldErrors = Object.keys(p.errors).filter((k) => k !== "form").length > 0;
  return (
    <>
      {fieldErrors ? <FormAlert>Please correct the fields marked below.</FormAlert> : null}
      {p.errors.form ? <FormAlert>{p.errors.form}</FormAlert> : null}
      {p.alert ? <FormAlert kind="warn">{p.alert}</FormAlert> : null}
      {p.version !== undefined ? <input type="hidden" name="version" value={String(p.version)} /> : null}
    </>
  );
}

/**
 * The record's owner: one of the workspace's members, or nobody; `former` is its owner who has left the
 * workspace, offered (and selected while it is the value) so that saving keeps them.
 */
export function OwnerSelect(p: {
  members: { userId: string; email: string }[];
  former?: { userId: string; email: string | null } | null;
  value?: string;
  error?: string;
}) {
  const former = p.former ? [{ value: p.former.userId, label: `${p.former.email ?? "Someone"} (former member)` }] : [];
  return (
    <SelectField
      name="owner_id"
      label="Owner"
      value={p.value}
      empty="No owner"
      options={[...memberOptions(p.members), ...former]}
      error={p.error}
    />
  );
}

/** The record's company, or none. */
export function CompanySelect(p: {
  companies: { id: number; name: string }[];
  value?: string;
  error?: string;
  hint?: string;
}) {
  return (
    <SelectField
      name="company_id"
      label="Company"
      value={p.value}
      empty="No company"
      options={recordOptions(p.companies)}
      error={p.error}
      hint={p.hint}
    />
  );
}

/** The tags and the custom fields, last of every record form. */
export function TagsAndCustomFields(p: {
  tags: { id: number; name: string; color: string }[];
  tagIds: number[];
  fields: CustomFieldDef[];
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  return (
    <>
      <TagPicker
        tags={p.tags}
        checked={p.tagIds}
        newTag={p.values.new_tag}
        error={p.errors.tag_ids}
        newTagError={p.errors.new_tag}
      />
      <CustomFieldInputs fields={p.fields} values={p.values} errors={p.errors} />
    </>
  );
}

/** The submit button and the way back. */
export function FormActions(p: { submit: Child; cancelHref: string }) {
  return (
    <div class="actions">
      <button type="submit">{p.submit}</button>
      <a class="button secondary" href={p.cancelHref}>
        Cancel
      </a>
    </div>
  );
}

/** The page around a record form: the way back to the list, then the title. */
export function RecordFormPage(p: { listHref: string; listName: string; title: string; children: Child }) {
  return (
    <div class="stack">
      <Breadcrumb href={p.listHref}>{p.listName}</Breadcrumb>
      <h1>{p.title}</h1>
      {p.children}
    </div>
  );
}

/** The page for a record form: `recordFormPage(DealForm, "/app/deals", "Deals")` shows a deal form under its list. */
export function recordFormPage<P extends { title: string }>(Form: FC<P>, listHref: string, listName: string): FC<P> {
  return (p: P) => (
    <RecordFormPage listHref={listHref} listName={listName} title={p.title}>
      <Form {...p} />
    </RecordFormPage>
  );
}
