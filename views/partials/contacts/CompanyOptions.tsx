/**
 * The options of the company combobox of the contact and deal forms (assets-src/combobox.js swaps them into its
 * listbox): matching companies, then "Create company “X”" when no company has that name. Focus stays
 * in the combobox's input, whose aria-activedescendant points at an option (tabindex -1).
 */
export function CompanyOptions(p: { query: string; hits: { id: number; name: string }[]; exact: boolean }) {
  const create = p.query !== "" && !p.exact;
  return (
    <>
      {p.hits.map((c) => (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} id={`company-option-${c.id}`} data-id={String(c.id)} data-name={c.name}>
          {c.name}
        </div>
      ))}
      {create ? (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} id="company-option-new" data-create-name={p.query} class="create-option">
          Create company “{p.query}”
        </div>
      ) : null}
      {p.hits.length === 0 && !create ? (
        // biome-ignore lint/a11y/useFocusableInteractive: an aria-activedescendant option; focus stays in the input.
        <div role="option" tabindex={-1} aria-disabled="true" id="company-option-none" class="muted">
          Type to find a company
        </div>
      ) : null}
    </>
  );
}
