/**
 * The options of the contact form's company combobox (assets-src/combobox.js swaps them into its
 * listbox): matching companies, then "Create company “X”" when no company has that name.
 */
export function CompanyOptions(p: { query: string; hits: { id: number; name: string }[]; exact: boolean }) {
  const create = p.query !== "" && !p.exact;
  return (
    <>
      {p.hits.map((c) => (
        <li role="option" id={`company-option-${c.id}`} data-company-id={String(c.id)} data-company-name={c.name}>
          {c.name}
        </li>
      ))}
      {create ? (
        <li role="option" id="company-option-new" data-create-name={p.query} class="create-option">
          Create company “{p.query}”
        </li>
      ) : null}
      {p.hits.length === 0 && !create ? (
        <li role="option" aria-disabled="true" id="company-option-none" class="muted">
          Type to find a company
        </li>
      ) : null}
    </>
  );
}
