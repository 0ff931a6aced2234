/** The roles a member can be given on the team page (never owner: only a transfer makes an owner). */
export const ROLE_CHOICES = [
  { value: "viewer", label: "Viewer", hint: "reads everything, changes nothing" },
  { value: "member", label: "Member", hint: "works with contacts and companies" },
  { value: "admin", label: "Admin", hint: "also manages the team" },
] as const;

export interface RoleSelectProps {
  id: string;
  label: string;
  value?: string;
  error?: string;
  /** Hide the label visually and name the select with aria-label (inside a table row). */
  compact?: boolean;
}

/** A labelled role select whose error is tied to it with aria-describedby. */
export function RoleSelect(p: RoleSelectProps) {
  const errorId = `${p.id}-error`;
  const select = (
    <select
      id={p.id}
      name="role"
      aria-label={p.compact ? p.label : undefined}
      aria-invalid={p.error ? "true" : undefined}
      aria-describedby={p.error ? errorId : undefined}
    >
      {ROLE_CHOICES.map((r) => (
        <option value={r.value} selected={p.value === r.value}>
          {p.compact ? r.label : `${r.label}: ${r.hint}`}
        </option>
      ))}
    </select>
  );
  if (p.compact) return select;
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {select}
      {p.error ? (
        <p class="field-error" id={errorId}>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}
