import { FormAlert } from "../../components/Field";
import { BulkBar } from "../../partials/BulkBar";
import { CustomFieldFilters } from "../../partials/CustomFieldFilters";
import { SelectField, type CustomFieldDef } from "../companies/FormFields";
import { liveSearch, OrderFilter, OwnerFilter, TagFilter } from "../../partials/ListFilters";
import { ShortcutButton, ShortcutSheet } from "./ShortcutSheet";
import { ContactResults, type ContactResultsProps } from "./ContactResults";

export interface ContactFilters {
  q: string;
  sort: string;
  dir: string;
  tag: string;
  owner: string;
  company: string;
  /** cf_<id> → value */
  custom: Record<string, string>;
}

export interface ContactsListPageProps {
  results: ContactResultsProps;
  filters: ContactFilters;
  tags: { id: number; name: string; color: string }[];
  members: { userId: string; email: string }[];
  customFields: CustomFieldDef[];
  /** The company of the `company` filter, with the link that drops it. */
  company: { name: string; clearHref: string } | null;
  sorts: { value: string; label: string }[];
  notice: string | null;
  canWrite: boolean;
  /** Admins and owners may erase contacts (a privacy request), with or without suppressing them. */
  canErase?: boolean;
}

/** A select field is filtered by one of its options, a checkbox by "Yes"; other kinds by what is typed. */

/** The contacts list: active search, filters, sorting, keyset pages and bulk actions. */
export function ContactsListPage(p: ContactsListPageProps) {
  const f = p.filters;
  return (
    <div class="stack contacts-page">
      <div class="page-head">
        <h1>Contacts</h1>
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

      {/* A plain GET form: works without JavaScript. With htmx, typing in the box swaps only the results. */}
      <form class="filters contact-filters" method="get" action="/app/contacts" role="search" aria-label="Contacts">
        <div class="field search-field">
          <label for="contact-search">Search</label>
          <input
            type="search"
            id="contact-search"
            name="q"
            value={f.q}
            maxlength={200}
            autocomplete="off"
            aria-describedby="contact-search-hint"
            aria-controls="contact-results"
            data-shortcut="search"
            {...liveSearch("/app/contacts", "#contact-results")}
          />
          <p class="hint" id="contact-search-hint">
            Names, emails, phone numbers, companies and notes. Word beginnings are enough.
          </p>
        </div>
        <TagFilter tags={p.tags} value={f.tag} />
        <OwnerFilter members={p.members} value={f.owner} />
        <SelectField name="sort" label="Sort by" value={f.sort} options={p.sorts} />
        <OrderFilter value={f.dir} />
        {p.company ? (
          <div class="field filter-chip">
            <input type="hidden" name="company" value={f.company} />
            <span>
              Company: <strong>{p.company.name}</strong> <a href={p.company.clearHref}>Show all companies</a>
            </span>
          </div>
        ) : null}
        <CustomFieldFilters fields={p.customFields} values={f.custom} />
        <button type="submit">Search</button>
      </form>

      {p.canWrite ? <ContactsBulkBar tags={p.tags} canErase={p.canErase ?? false} /> : null}

      <section id="contact-results" class="card list-results" aria-label="Contacts found">
        <ContactResults {...p.results} />
      </section>
      <ShortcutSheet canWrite={p.canWrite} hasSearch />
    </div>
  );
}

/** The choices of the contact list's bulk-action select. */
const BULK_ACTIONS = [
  { value: "tag", label: "Add a tag" },
  { value: "untag", label: "Remove a tag" },
  { value: "delete", label: "Delete" },
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
