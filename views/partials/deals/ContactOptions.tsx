/**
 * The options of the deal form's contact combobox (assets-src/combobox.js swaps them into its listbox): the
 * matching contacts, each with its email (or company) to tell namesakes apart. Focus stays in the combobox's
 * input, whose aria-activedescendant points at an option (tabindex -1).
 */
import type { ContactOption } from "../../../src/services/deals/contact-choices";

export function ContactOptions(p: { query: string; hits: ContactOption[] }) {
  return (
    <>
      {p.hits.map((c) => (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} id={`contact-option-${c.id}`} data-id={String(c.id)} data-name={c.name}>
          {c.name}
          {c.detail ? <span class="muted"> · {c.detail}</span> : null}
        </div>
      ))}
      {p.hits.length === 0 ? (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} aria-disabled="true" id="contact-option-none" class="muted">
          {p.query ? `No contact matches “${p.query}”` : "Type a name, email or company"}
        </div>
      ) : null}
    </>
  );
}
