/**
 * Form controls the company and workspace-settings pages share, beyond views/components/Field:
 * selects, text areas, tag checkboxes and custom-field inputs. Each has a label, and its hint and
 * error are tied to it with aria-describedby.
 */
import type { Child } from "hono/jsx";
import { describedBy, FieldError, LabelledField } from "../../components/Field";

export interface SelectFieldProps {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  /** A first, empty choice ("None", "Any"). */
  empty?: string;
  error?: string;
  hint?: string;
  id?: string;
  required?: boolean;
}

/** A select's choices from named records (tags, pipelines, companies): the id is the value. */
export function recordOptions(records: { id: number; name: string }[]): { value: string; label: string }[] {
  return records.map((r) => ({ value: String(r.id), label: r.name }));
}

/** A select's choices from the workspace's members: the user id is the value, the email the label. */
export function memberOptions(members: { userId: string; email: string }[]): { value: string; label: string }[] {
  return members.map((m) => ({ value: m.userId, label: m.email }));
}

/** A labelled select. */
export function SelectField(p: SelectFieldProps) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <LabelledField id={id} label={p.label} hint={p.hint} error={p.error}>
      <select
        id={id}
        name={p.name}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
      >
        {p.empty !== undefined ? <option value="">{p.empty}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

export interface InputFieldProps {
  name: string;
  label: string;
  type?: "text" | "url" | "tel" | "date" | "month" | "number";
  value?: string;
  error?: string;
  hint?: string;
  id?: string;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: "text" | "decimal" | "tel" | "url";
}

/** A labelled input for the types views/components/Field does not offer (url, tel, date). */
export function InputField(p: InputFieldProps) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <LabelledField id={id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value}
        required={p.required}
        maxlength={p.maxlength}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
      />
    </LabelledField>
  );
}

/** A labelled text area. */
export function TextareaField(p: {
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  id?: string;
  rows?: number;
  maxlength?: number;
  required?: boolean;
}) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <LabelledField id={id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        maxlength={p.maxlength}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
      >
        {p.value ?? ""}
      </textarea>
    </LabelledField>
  );
}

/** A tag as a coloured chip (the colour classes are in app.css, AA in light and dark). */
export function TagChip(p: { name: string; color: string }) {
  return <span class={`tag tag-${p.color}`}>{p.name}</span>;
}

/** A record's tags as coloured chips, or nothing when it has none. */
export function TagList(p: { tags: { name: string; color: string }[] }) {
  if (p.tags.length === 0) return null;
  return (
    // A paragraph has no role an aria-label could name, so screen readers hear the word instead.
    <p class="tag-list">
      <span class="visually-hidden">Tags: </span>
      {p.tags.map((t) => (
        <>
          <TagChip name={t.name} color={t.color} />{" "}
        </>
      ))}
    </p>
  );
}

/** The tag checkboxes and the "new tag" input of a record form. */
export function TagPicker(p: {
  tags: { id: number; name: string; color: string }[];
  checked: number[];
  newTag?: string;
  error?: string;
  newTagError?: string;
}) {
  return (
    <fieldset id="f-tag_ids" class="field tag-picker" aria-describedby={p.error ? "f-tag_ids-error" : undefined}>
      <legend>Tags</legend>
      {p.tags.length === 0 ? <p class="hint">No tags yet. Type one below to create it.</p> : null}
      <div class="tag-options">
        {p.tags.map((t) => (
          <label class="check" for={`f-tag-${t.id}`}>
            <input
              id={`f-tag-${t.id}`}
              type="checkbox"
              name="tag_ids"
              value={String(t.id)}
              checked={p.checked.includes(t.id)}
            />
            <TagChip name={t.name} color={t.color} />
          </label>
        ))}
      </div>
      <FieldError id="f-tag_ids" error={p.error} />
      <InputField
        name="new_tag"
        label="New tag"
        value={p.newTag}
        maxlength={50}
        error={p.newTagError}
        hint="Optional: created and added when you save."
      />
    </fieldset>
  );
}

export interface CustomFieldDef {
  id: number;
  name: string;
  kind: string;
  options: string[];
}

/** One input per custom field, by kind; values are the canonical text the service stores. */
export function CustomFieldInputs(p: {
  fields: CustomFieldDef[];
  values: Record<string, string>;
  errors: Record<string, string>;
}): Child {
  if (p.fields.length === 0) return null;
  return (
    <fieldset class="stack custom-fields">
      <legend>More fields</legend>
      {p.fields.map((f) => {
        const name = `cf_${f.id}`;
        const value = p.values[name] ?? "";
        const error = p.errors[name];
        switch (f.kind) {
          case "select":
            return (
              <SelectField
                name={name}
                label={f.name}
                value={value}
                empty="—"
                options={f.options.map((o) => ({ value: o, label: o }))}
                error={error}
              />
            );
          case "checkbox":
            return (
              <div class="field">
                {/* An unticked box sends nothing, which the service reads as "clear". */}
                <label class="check" for={`f-${name}`}>
                  <input
                    id={`f-${name}`}
                    type="checkbox"
                    name={name}
                    value="1"
                    checked={value === "1"}
                    aria-invalid={error ? "true" : undefined}
                    aria-describedby={error ? `f-${name}-error` : undefined}
                  />
                  <span>{f.name}</span>
                </label>
                <FieldError id={`f-${name}`} error={error} />
              </div>
            );
          case "date":
            return <InputField name={name} label={f.name} type="date" value={value} error={error} />;
          case "url":
            // Text, not type="url": the browser would refuse "example.com", which we take (and store with https://).
            return <InputField name={name} label={f.name} value={value} error={error} inputmode="url" />;
          case "number":
            return <InputField name={name} label={f.name} value={value} error={error} inputmode="decimal" />;
          default:
            return <InputField name={name} label={f.name} value={value} error={error} maxlength={2000} />;
        }
      })}
    </fieldset>
  );
}
