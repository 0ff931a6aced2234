import { FormAlert } from "../../components/Field";
import { BulkBar } from "../../partials/BulkBar";
import { CustomFieldFilters } from "../../partials/CustomFieldFilters";
import { FilterBar, type FilterChip } from "../../partials/FilterBar";
import { SelectField, type CustomFieldDef } from "../companies/FormFields";
import { liveSearch, OrderFilter, OwnerFilter, TagFilter } from "../../partials/ListFilters";
import { ShortcutButton, ShortcutSheet } from "./ShortcutSheet";
import { ContactResults, type ContactResultsProps } from "./ContactResults";
import { ColumnsMenu, type ColumnChoice } from "./ColumnsMenu";
import { ViewTabs, type SavedViewsProps } from "../../partials/SavedViews";

export interface ContactFilters {
  q: string;
  sort: string;
  dir: string;
  tag: string;
  owner: string;
  company: string;
  /** cf_<id> → value */
  custom: Record<string, string>;
  /** The chosen columns as the URL says them ("email,cf_12"), or "" for the default ones. */
  cols?: string;
  /** The open saved view's id, kept while the list is refined; "" for none. */
  view?: string;
}

export interface ContactsListPageProps {
  results: ContactResultsProps;
  filters: ContactFilters;
  tags: { id: number; name: string; color: string }[];
  members: { userId: string; email: string }[];
  customFields: CustomFieldDef[];
  /** The active filters, each with the link that drops it. */
  chips: FilterChip[];
  sorts: { value: string; label: string }[];
  notice: string | null;
  canWrite: boolean;
  /** Admins and owners may erase contacts (a privacy request), with or without suppressing them. */
  canErase?: boolean;
  /** Saved views as tabs, and the Columns control (issue 18). */
  views?: SavedViewsProps;
  columnChoices?: ColumnChoice[];
  /** lists.js, loaded by app.js where a bulk bar is (data-scripts). */
  scripts?: string[];
}

/** The contacts list: a one-line filter bar, the table first, keyset pages and bulk actions. */
export function ContactsListPage(p: ContactsListPageProps) {
  const f = p.filters;
  return (
    <div
      class="stack contacts-page list-page wide-page"
      data-scripts={p.canWrite && p.scripts ? JSON.stringify(p.scripts) : undefined}
    >
      <div class="page-head">
        <h1>Contacts</h1>
        {/* The saved views and the columns sit in the heading's row, so the table starts no lower for them. */}
        <div class="view-bar">
          {p.views ? <ViewTabs {...p.views} /> : null}
          {p.columnChoices ? <ColumnsMenu choices={p.columnChoices} keep={keptParams(f)} /> : null}
        </div>
        <div class="actions">
          <ShortcutButton />
          {p.canWrite ? (
            <a class="button" href="/app/contacts/new" data-shortcut="new">
              New contact
            </a>
          ) : null}
        </div>
      </div>
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}

      <div class="list-toolbar">
        {/* A plain GET form: works without JavaScript. With htmx, typing in the box swaps only the results. */}
        <FilterBar
          action="/app/contacts"
          label="Contacts"
          searchId="contact-search"
          searchLabel="Search contacts"
          chips={p.chips}
          search={
            <input
              type="search"
              id="contact-search"
              name="q"
              value={f.q}
              maxlength={200}
              autocomplete="off"
              placeholder="Search names, emails, phones, companies, notes"
              aria-controls="contact-results"
              data-shortcut="search"
              {...liveSearch("/app/contacts", "#contact-results")}
            />
          }
          hidden={
            <>
              {f.company ? <input type="hidden" name="company" value={f.company} /> : null}
              {f.cols ? <input type="hidden" name="cols" value={f.cols} /> : null}
              {f.view ? <input type="hidden" name="view" value={f.view} /> : null}
            </>
          }
        >
          <TagFilter tags={p.tags} value={f.tag} />
          <OwnerFilter members={p.members} value={f.owner} />
          <SelectField name="sort" label="Sort by" value={f.sort} options={p.sorts} />
          <OrderFilter value={f.dir} />
          <CustomFieldFilters fields={p.customFields} values={f.custom} inline />
        </FilterBar>
      </div>

      {p.canWrite ? <ContactsBulkBar tags={p.tags} canErase={p.canErase ?? false} /> : null}

      <section id="contact-results" class="card list-results" aria-label="Contacts found">
        <ContactResults {...p.results} />
      </section>
      <ShortcutSheet canWrite={p.canWrite} hasSearch />
    </div>
  );
}

/** The list's parameters other than the columns, which the Columns form carries along. */
function keptParams(f: ContactFilters): [string, string][] {
  const kept: [string, string][] = [];
  for (const key of ["q", "tag", "owner", "company", "sort", "dir"] as const) if (f[key]) kept.push([key, f[key]]);
  for (const [key, value] of Object.entries(f.custom)) if (value) kept.push([key, value]);
  if (f.view) kept.push(["view", f.view]);
  return kept;
}

/** The choices of the contact list's bulk-action select. */
const BULK_ACTIONS = [
  { value: "tag", label: "Add a tag" },
  { value: "untag", label: "Remove a tag" },
  { value: "delete", label: "Delete" },
  // Two rows ticked: the merge's review, the first kept (the review offers keeping the other instead).
  { value: "merge", label: "Merge the two selected" },
];
/** Offered to those who may erase personal data. */
const ERASE_ACTION = { value: "erase", label: "Erase (privacy request)" };

/** The contact list's bulk actions. Deleting and erasing ask first. */
function ContactsBulkBar(p: { tags: { id: number; name: string }[]; canErase: boolean }) {
  return (
    <BulkBar
      action="/app/contacts/bulk"
      records="contacts"
      actions={p.canErase ? [...BULK_ACTIONS, ERASE_ACTION] : BULK_ACTIONS}
      tags={p.tags}
      tagHint="For adding or removing a tag."
    />
  );
}
