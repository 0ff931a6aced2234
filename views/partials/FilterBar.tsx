/**
 * A list's one-line filter bar (issue 18): the search box, a "Filters" popover holding the list's other
 * filters (a <details>, so it works without JavaScript; the form is a plain GET), and each active filter
 * as a chip that links to the same list without it.
 */
import type { Child } from "hono/jsx";

/** An active filter: what it is, and the list's URL without it. */
export interface FilterChip {
  /** "Tag", "Owner", a custom field's name. */
  name: string;
  /** The value as the reader knows it ("VIP", an email address). */
  value: string;
  removeHref: string;
}

export interface FilterBarProps {
  action: string;
  /** The form's accessible name ("Contacts"). */
  label: string;
  /** The search input (with its own id); labelled by `searchLabel`, visually hidden. None: no search. */
  search?: Child;
  searchId?: string;
  searchLabel?: string;
  chips: FilterChip[];
  /** The fields inside the popover. */
  children?: Child;
  /** Extra fields kept as they are (hidden inputs). */
  hidden?: Child;
  /** Opens the popover (a filter's error must be seen). */
  open?: boolean;
}

/** The list of active filters, each a link that removes it. */
export function FilterChips(p: { chips: FilterChip[] }) {
  if (p.chips.length === 0) return null;
  return (
    <ul class="filter-chips" aria-label="Active filters">
      {p.chips.map((chip) => (
        <li>
          <a class="filter-chip" href={chip.removeHref}>
            <span class="visually-hidden">Remove filter: </span>
            {chip.name}: <strong>{chip.value}</strong> <span aria-hidden="true">×</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The bar: search, Filters, chips; one line on a desktop, the chips below on a phone. */
export function FilterBar(p: FilterBarProps) {
  const active = p.chips.length;
  return (
    <form class="filter-bar" method="get" action={p.action} role="search" aria-label={p.label}>
      {p.search ? (
        <div class="filter-search">
          <label for={p.searchId} class="visually-hidden">
            {p.searchLabel}
          </label>
          {p.search}
          <button type="submit" class="secondary">
            Search
          </button>
        </div>
      ) : null}
      {p.children ? (
        <details class="filters-popover" open={p.open}>
          <summary>Filters{active ? <span class="filter-count"> ({active} active)</span> : null}</summary>
          <div class="filters-panel">
            <div class="filters">{p.children}</div>
            <button type="submit">Apply filters</button>
          </div>
        </details>
      ) : null}
      {p.hidden}
      <FilterChips chips={p.chips} />
    </form>
  );
}
