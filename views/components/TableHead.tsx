/**
 * A table's header row of column names, each a column header for screen readers. A column of buttons names itself
 * to them only (`{ hidden: "Actions" }`): an empty header leaves its cells without a name.
 */
export function TableHead(p: { columns: (string | { hidden: string })[] }) {
  return (
    <thead>
      <tr>
        {p.columns.map((name) => (
          <th scope="col">{typeof name === "string" ? name : <span class="visually-hidden">{name.hidden}</span>}</th>
        ))}
      </tr>
    </thead>
  );
}

/** Where a column header's sort link goes, and whether the list is sorted by that column now (and which way). */
export interface SortLink {
  href: string;
  state: "ascending" | "descending" | null;
}

/** A column header that sorts the list by its column, saying the current order to screen readers. */
export function SortHeader(p: { label: string; link: SortLink }) {
  return (
    <th scope="col" aria-sort={p.link.state ?? undefined}>
      <a href={p.link.href}>
        {p.label}
        {p.link.state ? <span aria-hidden="true">{p.link.state === "ascending" ? " ▲" : " ▼"}</span> : null}
      </a>
    </th>
  );
}

/** The header cell that ticks every row of the page for a bulk action; app.js shows it and makes it work. */
export function SelectAllHeader(p: { records: string }) {
  return (
    <th scope="col" class="select-col">
      <input
        type="checkbox"
        id="select-all"
        data-select-all
        aria-label={`Select all ${p.records} on this page`}
        hidden
      />
    </th>
  );
}
