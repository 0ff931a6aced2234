/**
 * The contacts list's results: the table with its sort headers and rows (hono's html template: the
 * hottest markup), the paging and the notices; htmx swaps this part alone when a filter changes.
 */
import { html } from "hono/html";
import { Pager } from "../../components/Pager";
import { SelectAllHeader, SortHeader, type SortLink } from "../../components/TableHead";
import { formatCalendarDate, formatInstant, readerLocale, readerTimeZone } from "../../lib/time";
import { SelectMatching } from "../../components/SelectMatching";

export interface ContactListRow {
  id: number;
  name: string;
  companyId: number | null;
  companyName: string | null;
  email: string | null;
  /** E.164, for the tel: link. */
  phone: string | null;
  phoneDisplay: string | null;
  tags: { id: number; name: string; color: string }[];
  owner: string | null;
  updatedAt: number;
  lastContactedAt: number | null;
  /** A calendar date ('YYYY-MM-DD'): never shifted by zones. */
  nextTaskDue: string | null;
  /** The shown custom fields' values as the reader reads them, by column id (cf_<id>). */
  custom?: Record<string, string>;
}

/** A shown column: a built-in one ("email") or a custom field ("cf_12"), with its header. */
export interface ResultColumn {
  id: string;
  label: string;
}

/** The columns when none were chosen (the table as it always was). */
export const STANDARD_COLUMNS: ResultColumn[] = [
  { id: "company", label: "Company" },
  { id: "email", label: "Email" },
  { id: "phone", label: "Phone" },
  { id: "tags", label: "Tags" },
  { id: "owner", label: "Owner" },
  { id: "updated", label: "Updated" },
  { id: "contacted", label: "Last contacted" },
  { id: "next_task", label: "Next task" },
];

/** The contacts route builds its header links with this type. */
export type { SortLink };

export interface ContactResultsProps {
  rows: ContactListRow[];
  /** The tenant's contact count, shown only for the unfiltered list (no COUNT over contacts). */
  total: number | null;
  filtered: boolean;
  /** A search sorted among only its newest this many matches (more matched), else null or absent. */
  sortWindow?: number | null;
  sortLinks: { name: SortLink; company: SortLink; updated: SortLink; contacted: SortLink; next_task: SortLink };
  /** The columns after the name, in order (issue 18); absent: STANDARD_COLUMNS. */
  columns?: ResultColumn[];
  sortLabel: string;
  nextHref: string | null;
  previousHref: string | null;
  canWrite: boolean;
  /** This list's own URL, so a bulk action comes back to it. */
  selfHref: string;
  /** The export page with this list's filters; null for those who may not export. */
  exportHref?: string | null;
  /** Where this page sits: "1–50 of 2,098". */
  range: string;
  /**
   * "Select all 2,098 matching" for the bulk form: the filters' query string and the label; here, in the
   * swapped region, so a search typed since never leaves a stale set behind. `matchingNote` instead when
   * too many match for one action.
   */
  matching?: { query: string; label: string } | null;
  matchingNote?: string | null;
}

/** Confirmations after a redirect, by key; counts come as numbers, so no user text is echoed. */
export const CONTACT_NOTICES = {
  deleted: () => "Contact moved to the trash.",
  bulk_deleted: (n: number) =>
    n === 1 ? "1 contact moved to the trash." : `${n} contacts moved to the trash (Trash restores them).`,
  erased: () => "Contact erased.",
  bulk_erased: (n: number) => (n === 1 ? "1 contact erased." : `${n} contacts erased.`),
  tagged: (n: number) => (n === 1 ? "Tag added to 1 contact." : `Tag added to ${n} contacts.`),
  untagged: (n: number) => (n === 1 ? "Tag removed from 1 contact." : `Tag removed from ${n} contacts.`),
  view_stale: () =>
    "This view filtered by a field or member that no longer exists: it is shown without that filter. Update the view to keep it this way.",
} as const;
export type ContactNotice = keyof typeof CONTACT_NOTICES;

/**
 * One row of the table. Written with hono's html template rather than JSX because it is the hottest
 * markup in the app (50 rows, about 20 elements each, on every list page and every keystroke of a
 * search): building and walking a JSX node per element cost 1.1 ms a page, this costs 0.2 ms
 * (measured in Node; see docs/benchmarks.md). The template escapes every value it is given, like
 * JSX; every value sits in element text or inside a double-quoted attribute, and each URL starts
 * with a fixed scheme or path of ours. Same markup as the JSX it replaced (the TagChip and Time
 * components' output included). Stacked on a phone, a cell names its column (data-label); an empty
 * cell says nothing.
 */
function contactRow(
  r: ContactListRow,
  columns: ResultColumn[],
  canWrite: boolean,
  zone: string,
  locale: string | null,
) {
  const label = (name: string, shown: unknown) => (shown ? html` data-label="${name}"` : "");
  const cell = (col: ResultColumn) => {
    switch (col.id) {
      case "company":
        return html`<td${label("Company", r.companyName)}>${
          r.companyId ? html`<a href="/app/companies/${r.companyId}">${r.companyName}</a>` : (r.companyName ?? "")
        }</td>`;
      case "email":
        return html`<td${label("Email", r.email)} class="email-cell">${r.email ? html`<a href="mailto:${r.email}">${r.email}</a>` : ""}</td>`;
      case "phone":
        return html`<td${label("Phone", r.phone)} class="phone-cell">${
          r.phone ? html`<a href="tel:${r.phone}">${r.phoneDisplay}</a>` : ""
        }</td>`;
      case "tags":
        return html`<td${label("Tags", r.tags.length)}>${r.tags.map((t) => html`<span class="tag tag-${t.color}">${t.name}</span> `)}</td>`;
      case "owner":
        // Cut short on a desktop (.owner-cell): the whole address is the cell's title.
        return html`<td${label("Owner", r.owner)} class="owner-cell"${r.owner ? html` title="${r.owner}"` : ""}>${r.owner ?? ""}</td>`;
      case "updated":
        return html`<td data-label="Updated"><time datetime="${new Date(r.updatedAt).toISOString()}">${formatInstant(r.updatedAt, zone, "date", locale)}</time></td>`;
      case "contacted": {
        const contacted = r.lastContactedAt;
        return html`<td${label("Last contacted", contacted !== null)}>${
          contacted !== null
            ? html`<time datetime="${new Date(contacted).toISOString()}">${formatInstant(contacted, zone, "date", locale)}</time>`
            : ""
        }</td>`;
      }
      case "next_task":
        return html`<td${label("Next task", r.nextTaskDue)}>${r.nextTaskDue ? html`<time datetime="${r.nextTaskDue}">${formatCalendarDate(r.nextTaskDue, locale)}</time>` : ""}</td>`;
      default: {
        const value = r.custom?.[col.id] ?? "";
        return html`<td${label(col.label, value)}>${value}</td>`;
      }
    }
  };
  return html`<tr id="contact-${r.id}">${
    canWrite
      ? html`<td class="select-col"><input type="checkbox" name="ids" value="${r.id}" form="bulk-form" id="select-${r.id}" aria-label="Select ${r.name}"/></td>`
      : ""
  }<td><a href="/app/contacts/${r.id}">${r.name}</a></td>${columns.map(cell)}</tr>`;
}

/** The columns whose header sorts the list, and by which sort link. */
const SORTABLE: Record<string, keyof ContactResultsProps["sortLinks"]> = {
  company: "company",
  updated: "updated",
  contacted: "contacted",
  next_task: "next_task",
};

/**
 * The results region: what the search box swaps in with htmx (id="contact-results"), and what the
 * full page embeds. Row checkboxes belong to the bulk form by its id, so they work wherever they sit.
 */
export function ContactResults(p: ContactResultsProps) {
  const zone = readerTimeZone();
  const locale = readerLocale();
  const columns = p.columns ?? STANDARD_COLUMNS;
  return (
    <>
      <div class="results-head">
        <p class="results-summary" data-announce="">
          {p.range} <span class="muted">· sorted by {p.sortLabel}</span>
        </p>
        {p.canWrite && p.matching ? <SelectMatching matching={p.matching} /> : null}
        {p.canWrite && p.matchingNote ? <p class="select-matching hint">{p.matchingNote}</p> : null}
        {p.exportHref ? (
          <p class="export-link">
            <a href={p.exportHref}>{p.filtered ? "Export the contacts that match" : "Export all contacts"}</a> ·{" "}
            <a href="/app/import">Import contacts</a>
          </p>
        ) : null}
      </div>
      {p.sortWindow ? (
        <p class="sort-window-notice">
          Sorted among the first {p.sortWindow.toLocaleString("en")} matches — narrow the search to see all.
        </p>
      ) : null}
      {p.rows.length === 0 ? (
        <p>
          {p.filtered ? "No contacts match." : "No contacts yet."}{" "}
          {p.canWrite && !p.filtered ? <a href="/app/contacts/new">Add the first one.</a> : null}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="records contacts-table">
            <thead>
              <tr>
                {p.canWrite ? <SelectAllHeader records="contacts" /> : null}
                <SortHeader label="Name" link={p.sortLinks.name} />
                {columns.map((col) => {
                  const link = SORTABLE[col.id] ? p.sortLinks[SORTABLE[col.id]!] : null;
                  return link ? <SortHeader label={col.label} link={link} /> : <th scope="col">{col.label}</th>;
                })}
              </tr>
            </thead>
            <tbody>{p.rows.map((r) => contactRow(r, columns, p.canWrite, zone, locale))}</tbody>
          </table>
        </div>
      )}
      <Pager previousHref={p.previousHref} nextHref={p.nextHref} range={p.range} />
      {p.canWrite ? <input type="hidden" name="back" value={p.selfHref} form="bulk-form" /> : null}
    </>
  );
}
