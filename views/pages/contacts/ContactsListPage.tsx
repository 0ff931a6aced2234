import { html } from "hono/html";
import { FormAlert } from "../../components/Field";
import { InputField, SelectField, type CustomFieldDef } from "../companies/FormFields";
import { ShortcutButton, ShortcutSheet } from "./ShortcutSheet";

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
}

export type SortState = "ascending" | "descending" | null;

/** The columns a header link sorts by, with where the link goes and whether it is the current sort. */
export interface SortLink {
  href: string;
  state: SortState;
}

export interface ContactResultsProps {
  rows: ContactListRow[];
  /** The tenant's contact count, shown only for the unfiltered list (no COUNT over contacts). */
  total: number | null;
  filtered: boolean;
  sortLinks: { name: SortLink; company: SortLink; updated: SortLink };
  sortLabel: string;
  nextHref: string | null;
  previousHref: string | null;
  canWrite: boolean;
  /** This list's own URL, so a bulk action comes back to it. */
  selfHref: string;
  /** The export page with this list's filters; null for those who may not export. */
  exportHref?: string | null;
}

/** Confirmations after a redirect, by key; counts come as numbers, so no user text is echoed. */
export const CONTACT_NOTICES = {
  deleted: () => "Contact deleted.",
  bulk_deleted: (n: number) => (n === 1 ? "1 contact deleted." : `${n} contacts deleted.`),
  erased: () => "Contact erased.",
  bulk_erased: (n: number) => (n === 1 ? "1 contact erased." : `${n} contacts erased.`),
  tagged: (n: number) => (n === 1 ? "Tag added to 1 contact." : `Tag added to ${n} contacts.`),
  untagged: (n: number) => (n === 1 ? "Tag removed from 1 contact." : `Tag removed from ${n} contacts.`),
} as const;
export type ContactNotice = keyof typeof CONTACT_NOTICES;

function SortHeader(p: { label: string; link: SortLink }) {
  return (
    <th scope="col" aria-sort={p.link.state ?? undefined}>
      <a href={p.link.href}>
        {p.label}
        {p.link.state ? <span aria-hidden="true">{p.link.state === "ascending" ? " ▲" : " ▼"}</span> : null}
      </a>
    </th>
  );
}

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
function contactRow(r: ContactListRow, canWrite: boolean) {
  const iso = new Date(r.updatedAt).toISOString();
  const label = (name: string, shown: unknown) => (shown ? html` data-label="${name}"` : "");
  return html`<tr id="contact-${r.id}">${
    canWrite
      ? html`<td class="select-col"><input type="checkbox" name="ids" value="${r.id}" form="bulk-form" id="select-${r.id}" aria-label="Select ${r.name}"/></td>`
      : ""
  }<td><a href="/app/contacts/${r.id}">${r.name}</a></td><td${label("Company", r.companyName)}>${
    r.companyId ? html`<a href="/app/companies/${r.companyId}">${r.companyName}</a>` : (r.companyName ?? "")
  }</td><td${label("Email", r.email)}>${r.email ? html`<a href="mailto:${r.email}">${r.email}</a>` : ""}</td><td${label("Phone", r.phone)} class="phone-cell">${
    r.phone ? html`<a href="tel:${r.phone}">${r.phoneDisplay}</a>` : ""
  }</td><td${label("Tags", r.tags.length)}>${r.tags.map((t) => html`<span class="tag tag-${t.color}">${t.name}</span> `)}</td><td${label("Owner", r.owner)}>${r.owner ?? ""}</td><td data-label="Updated"><time datetime="${iso}">${iso.slice(0, 10)}</time></td>${
    canWrite
      ? html`<td><a href="/app/contacts/${r.id}/delete" hx-delete="/app/contacts/${r.id}" hx-target="closest tr" hx-swap="outerHTML" hx-confirm="Delete ${r.name}? Their notes go too. This cannot be undone." class="danger-link">Delete<span class="visually-hidden"> ${r.name}</span></a></td>`
      : ""
  }</tr>`;
}

/**
 * The results region: what the search box swaps in with htmx (id="contact-results"), and what the
 * full page embeds. Row checkboxes belong to the bulk form by its id, so they work wherever they sit.
 */
export function ContactResults(p: ContactResultsProps) {
  return (
    <>
      <p class="results-summary" role="status">
        {p.total !== null && !p.filtered
          ? p.total === 1
            ? "1 contact"
            : `${p.total} contacts`
          : `Showing ${p.rows.length}${p.nextHref ? "+" : ""}`}
        <span class="muted"> · sorted by {p.sortLabel}</span>
      </p>
      {p.exportHref ? (
        <p class="export-link">
          <a href={p.exportHref}>{p.filtered ? "Export the contacts that match" : "Export all contacts"}</a> ·{" "}
          <a href="/app/import">Import contacts</a>
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
                {p.canWrite ? (
                  <th scope="col" class="select-col">
                    {/* Ticks every row; shown by app.js, which makes it work. */}
                    <input
                      type="checkbox"
                      id="select-all"
                      data-select-all
                      aria-label="Select all contacts on this page"
                      hidden
                    />
                  </th>
                ) : null}
                <SortHeader label="Name" link={p.sortLinks.name} />
                <SortHeader label="Company" link={p.sortLinks.company} />
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Tags</th>
                <th scope="col">Owner</th>
                <SortHeader label="Updated" link={p.sortLinks.updated} />
                {p.canWrite ? (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>{p.rows.map((r) => contactRow(r, p.canWrite))}</tbody>
          </table>
        </div>
      )}
      {p.nextHref || p.previousHref ? (
        <nav class="pager" aria-label="Pages">
          {p.previousHref ? (
            <a href={p.previousHref} rel="prev">
              Previous
            </a>
          ) : null}
          {p.nextHref ? (
            <a href={p.nextHref} rel="next">
              Next
            </a>
          ) : null}
        </nav>
      ) : null}
      {p.canWrite ? <input type="hidden" name="back" value={p.selfHref} form="bulk-form" /> : null}
    </>
  );
}

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
            hx-get="/app/contacts"
            hx-trigger="input changed delay:250ms, search"
            hx-target="#contact-results"
            hx-include="closest form"
            hx-push-url="true"
          />
          <p class="hint" id="contact-search-hint">
            Names, emails, phone numbers, companies and notes. Word beginnings are enough.
          </p>
        </div>
        <SelectField
          name="tag"
          label="Tag"
          value={f.tag}
          empty="Any tag"
          options={p.tags.map((t) => ({ value: String(t.id), label: t.name }))}
        />
        <SelectField
          name="owner"
          label="Owner"
          value={f.owner}
          empty="Anyone"
          options={p.members.map((m) => ({ value: m.userId, label: m.email }))}
        />
        <SelectField name="sort" label="Sort by" value={f.sort} options={p.sorts} />
        <SelectField
          name="dir"
          label="Order"
          value={f.dir}
          options={[
            { value: "asc", label: "Ascending" },
            { value: "desc", label: "Descending" },
          ]}
        />
        {p.company ? (
          <div class="field filter-chip">
            <input type="hidden" name="company" value={f.company} />
            <span>
              Company: <strong>{p.company.name}</strong> <a href={p.company.clearHref}>Show all companies</a>
            </span>
          </div>
        ) : null}
        {p.customFields.length ? (
          <details class="more-filters" open={Object.values(f.custom).some(Boolean)}>
            <summary>More filters</summary>
            <div class="filters">
              {p.customFields.map((cf) => {
                const name = `cf_${cf.id}`;
                const value = f.custom[name] ?? "";
                if (cf.kind === "select")
                  return (
                    <SelectField
                      name={name}
                      label={cf.name}
                      value={value}
                      empty="Any"
                      options={cf.options.map((o) => ({ value: o, label: o }))}
                    />
                  );
                if (cf.kind === "checkbox")
                  return (
                    <SelectField
                      name={name}
                      label={cf.name}
                      value={value}
                      empty="Any"
                      options={[{ value: "1", label: "Yes" }]}
                    />
                  );
                return (
                  <InputField
                    name={name}
                    label={cf.name}
                    type={cf.kind === "date" ? "date" : "text"}
                    value={value}
                    maxlength={200}
                  />
                );
              })}
            </div>
          </details>
        ) : null}
        <button type="submit">Search</button>
      </form>

      {p.canWrite ? <BulkBar tags={p.tags} canErase={p.canErase ?? false} /> : null}

      <section id="contact-results" class="card list-results" aria-label="Contacts found">
        <ContactResults {...p.results} />
      </section>
      <ShortcutSheet canWrite={p.canWrite} hasSearch />
    </div>
  );
}

/** The bulk action form; the row checkboxes join it with form="bulk-form". Deleting and erasing ask first. */
function BulkBar(p: { tags: { id: number; name: string }[]; canErase: boolean }) {
  return (
    <form id="bulk-form" class="bulk-bar" method="post" action="/app/contacts/bulk">
      <fieldset>
        <legend>With the selected contacts</legend>
        <div class="bulk-controls">
          <SelectField
            name="action"
            id="bulk-action"
            label="Action"
            options={[
              { value: "tag", label: "Add a tag" },
              { value: "untag", label: "Remove a tag" },
              { value: "delete", label: "Delete" },
              ...(p.canErase ? [{ value: "erase", label: "Erase (privacy request)" }] : []),
            ]}
          />
          <SelectField
            name="tag_id"
            id="bulk-tag"
            label="Tag"
            empty="Choose a tag"
            options={p.tags.map((t) => ({ value: String(t.id), label: t.name }))}
            hint="For adding or removing a tag."
          />
          <button type="submit">Apply</button>
        </div>
      </fieldset>
    </form>
  );
}
