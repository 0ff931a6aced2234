import type { Child } from "hono/jsx";

export interface FieldProps {
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "search";
  value?: string;
  error?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  minlength?: number;
}

/** The ids an input's aria-describedby names: its hint and its error, when it has them. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** A note under a field (its hint, its error), with the id its control's aria-describedby names. */
function FieldNote(p: { id: string; class: string; text?: string }) {
  return p.text ? (
    <p class={p.class} id={p.id}>
      {p.text}
    </p>
  ) : null;
}

/** The hint under a field's label. */
export function Hint(p: { id: string; hint?: string }) {
  return <FieldNote id={`${p.id}-hint`} class="hint" text={p.hint} />;
}

/** The error beside a field. */
export function FieldError(p: { id: string; error?: string }) {
  return <FieldNote id={`${p.id}-error`} class="field-error" text={p.error} />;
}

/** A form control in its field box: the label, the hint, the control (the children), its error. */
export function LabelledField(p: { id: string; label: string; hint?: string; error?: string; children: Child }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <Hint id={p.id} hint={p.hint} />
      {p.children}
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  return (
    <LabelledField id={id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.type === "password" ? undefined : p.value}
        autocomplete={p.autocomplete}
        required={p.required}
        maxlength={p.maxlength}
        minlength={p.minlength}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
      />
    </LabelledField>
  );
}

export interface CheckboxProps {
  name: string;
  checked?: boolean;
  error?: string;
  children: Child;
}

/** A required-style checkbox with its label text beside it and its error tied to it. */
export function Checkbox(p: CheckboxProps) {
  const id = `f-${p.name}`;
  return (
    <div class="field">
      <label class="check" for={id}>
        <input
          id={id}
          type="checkbox"
          name={p.name}
          value="on"
          checked={p.checked}
          required
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={p.error ? `${id}-error` : undefined}
        />
        <span>{p.children}</span>
      </label>
      <FieldError id={id} error={p.error} />
    </div>
  );
}

/** A form-level message (not tied to one field), announced to screen readers. */
export function FormAlert(p: { kind?: "error" | "ok" | "warn"; children: Child }) {
  return (
    <div class={`flash ${p.kind ?? "error"}`} role="alert">
      {p.children}
    </div>
  );
}

/** A page's one-line message in a FormAlert, or nothing when there is none. */
export function FormMessage(p: { message?: string | null; kind?: "error" | "ok" | "warn" }) {
  return p.message ? (
    <FormAlert kind={p.kind}>
      <p>{p.message}</p>
    </FormAlert>
  ) : null;
}

/** The field for choosing a password, with our rules as its hint. */
export function NewPasswordField(p: { name: string; label: string; error?: string }) {
  return (
    <Field
      name={p.name}
      label={p.label}
      type="password"
      autocomplete="new-password"
      required
      minlength={8}
      maxlength={256}
      hint="At least 8 characters. A long phrase is easier to remember and harder to guess."
      error={p.error}
    />
  );
}

/** A labelled textarea with its error tied to it (aria-describedby). */
export function TextareaField(p: {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string;
  rows?: number;
  maxlength?: number;
  required?: boolean;
  /** Where assets-src/mentions.js reads the members an @mention may name (note boxes only). */
  mentionSource?: string;
  /** Focused when it appears (an inline edit swapped in by htmx, which honours autofocus). */
  autofocus?: boolean;
}) {
  return (
    <LabelledField id={p.id} label={p.label} error={p.error}>
      <textarea
        id={p.id}
        name={p.name}
        autofocus={p.autofocus}
        rows={p.rows ?? 4}
        required={p.required}
        maxlength={p.maxlength}
        data-mention-source={p.mentionSource}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${p.id}-error` : undefined}
      >
        {p.value}
      </textarea>
    </LabelledField>
  );
}

/** The email address input every account form has: 254 characters at most (RFC 5321's path limit). */
export function EmailField(p: Omit<FieldProps, "name" | "type" | "required"> & { name?: string }) {
  return <Field autocomplete="email" maxlength={254} {...p} name={p.name ?? "email"} type="email" required />;
}

/** The current password, asked again before a change that needs proof it is you. */
export function CurrentPasswordField(p: {
  name?: string;
  label?: string;
  error?: string;
  hint?: string;
  maxlength?: number;
}) {
  return (
    <Field
      name={p.name ?? "password"}
      label={p.label ?? "Current password"}
      type="password"
      autocomplete="current-password"
      required
      maxlength={p.maxlength ?? 256}
      hint={p.hint}
      error={p.error}
    />
  );
}

/** The workspace's company name, as asked at sign-up and corrected by its owner. */
export function CompanyNameField(p: { value?: string; error?: string }) {
  return (
    <Field
      name="company_name"
      label="Company name"
      autocomplete="organization"
      required
      maxlength={100}
      value={p.value}
      error={p.error}
    />
  );
}
