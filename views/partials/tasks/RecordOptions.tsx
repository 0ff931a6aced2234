/**
 * The options of the task form's record picker (assets-src/combobox.js swaps them into its listbox): contacts,
 * companies and deals matching what was typed, each saying which kind it is. Focus stays in the combobox's
 * input, whose aria-activedescendant points at an option (tabindex -1).
 */
import type { RecordOption } from "../../../src/services/tasks/records";

const KIND = { contact: "Contact", company: "Company", deal: "Deal" } as const;

export function RecordOptions(p: { query: string; hits: RecordOption[] }) {
  return (
    <>
      {p.hits.map((r) => (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div
          role="option"
          tabindex={-1}
          id={`record-option-${r.kind}-${r.ref.split(":")[1]}`}
          data-id={r.ref}
          data-name={r.name}
        >
          {r.name}
          <span class="muted">
            {" "}
            · {KIND[r.kind]}
            {r.detail ? ` · ${r.detail}` : ""}
          </span>
        </div>
      ))}
      {p.hits.length === 0 ? (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} aria-disabled="true" id="record-option-none" class="muted">
          {p.query ? `No contact, company or deal matches “${p.query}”` : "Type a contact's, company's or deal's name"}
        </div>
      ) : null}
    </>
  );
}
