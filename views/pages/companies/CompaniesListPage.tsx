import { FormAlert } from "../../components/Field";
import { CalendarDate, TimeCell } from "../../components/Time";
import { SelectField, TagChip } from "./FormFields";
import { liveSearch, OrderFilter, TagFilter } from "../../partials/ListFilters";
import { FilterBar, type FilterChip } from "../../partials/FilterBar";
import { TableHead } from "../../components/TableHead";
import { displayDomain } from "../../../src/lib/domain";

export interface CompanyListRow {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  phone: string | null;
  updatedAt: number;
  lastContactedAt: number | null;
  /** A calendar date ('YYYY-MM-DD'): never shifted by zones. */
  nextTaskDue: string | null;
  tags: { id: number; name: string; color: string }[];
}

export interface CompanyListFilters {
  q: string;
  sort: string;
  dir: string;
  tag: string;
}

/** Confirmations after a redirect, by key, so no user input is echoed from the URL. */
export const COMPANY_NOTICES = {
  deleted:
    "Company moved to the trash with its notes, tasks and logged interactions. Its contacts and deals were kept, without a company.",
} as const;
export type CompanyNotice = keyof typeof COMPANY_NOTICES;

export interface CompaniesListPageProps {
  rows: CompanyListRow[];
  filters: CompanyListFilters;
  tags: { id: number; name: string; color: string }[];
  /** The next page's URL, or null on the last page. */
  nextHref: string | null;
  /** Whether this is a later page (a link back to the first is shown). */
  paged: boolean;
  canWrite: boolean;
  notice?: CompanyNotice | null;
  /** The export page with this list's filters; null for those who may not export. */
  exportHref?: string | null;
  /** Where this page sits: "1–50 of 2,098". */
  range: string;
  /** The active filters, each with the link that drops it. */
  chips?: FilterChip[];
}

/** The list region: what the search box swaps with htmx, and what the full page embeds. */
export function CompanyResults(
  p: Pick<CompaniesListPageProps, "rows" | "nextHref" | "paged" | "filters" | "exportHref" | "range">,
) {
  return (
    <section id="company-results" class="card list-results" aria-label="Companies">
      <div class="results-head">
        <p class="results-summary" data-announce="">
          {p.range}
        </p>
        {p.exportHref ? (
          <p class="export-link">
            <a href={p.exportHref}>
              {p.filters.q || p.filters.tag ? "Export the companies that match" : "Export all companies"}
            </a>{" "}
            · <a href="/app/import">Import companies</a>
          </p>
        ) : null}
      </div>
      {p.rows.length === 0 ? (
        <p>{p.filters.q || p.filters.tag ? "No companies match." : "No companies yet."}</p>
      ) : (
        <table class="records">
          <TableHead
            columns={["Name", "Domain", "Industry", "Size", "Tags", "Updated", "Last contacted", "Next task"]}
          />
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td data-label="Name">
                  <a href={`/app/companies/${r.id}`}>{r.name}</a>
                </td>
                <td data-label="Domain">{r.domain ? displayDomain(r.domain) : ""}</td>
                <td data-label="Industry">{r.industry ?? ""}</td>
                <td data-label="Size">{r.size ?? ""}</td>
                <td data-label="Tags">
                  {r.tags.map((t) => (
                    <>
                      <TagChip name={t.name} color={t.color} />{" "}
                    </>
                  ))}
                </td>
                <TimeCell ms={r.updatedAt} label="Updated" />
                {r.lastContactedAt !== null ? (
                  <TimeCell ms={r.lastContactedAt} label="Last contacted" />
                ) : (
                  <td data-label="Last contacted" />
                )}
                <td data-label="Next task">{r.nextTaskDue ? <CalendarDate date={r.nextTaskDue} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.nextHref || p.paged ? (
        <nav class="pager" aria-label="Pages">
          <span class="pager-range">{p.range}</span>
          {p.paged ? <a href={firstPageHref(p.filters)}>First page</a> : null}
          {p.nextHref ? (
            <a href={p.nextHref} rel="next">
              Next page
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

/** The list URL for some filters (without a cursor). */
export function companiesHref(f: Partial<CompanyListFilters>, cursor?: string | null, at?: number): string {
  const q = new URLSearchParams();
  if (f.q) q.set("q", f.q);
  if (f.tag) q.set("tag", f.tag);
  if (f.sort && f.sort !== "name") q.set("sort", f.sort);
  if (f.dir && f.dir !== "asc") q.set("dir", f.dir);
  if (cursor) q.set("cursor", cursor);
  if (cursor && at) q.set("at", String(at));
  const s = q.toString();
  return s ? `/app/companies?${s}` : "/app/companies";
}

const firstPageHref = (f: CompanyListFilters) => companiesHref(f);

/** The companies list: name search, tag filter, sort, and pages by keyset. */
export function CompaniesListPage(p: CompaniesListPageProps) {
  return (
    <div class="stack list-page wide-page">
      <div class="page-head">
        <h1>Companies</h1>
        {p.canWrite ? (
          <a class="button" href="/app/companies/new">
            New company
          </a>
        ) : null}
      </div>
      {p.notice ? <FormAlert kind="ok">{COMPANY_NOTICES[p.notice]}</FormAlert> : null}
      <FilterBar
        action="/app/companies"
        label="Companies"
        searchId="f-q"
        searchLabel="Company name starts with"
        chips={p.chips ?? []}
        search={
          <input
            id="f-q"
            type="search"
            name="q"
            value={p.filters.q}
            maxlength={200}
            autocomplete="off"
            placeholder="Name starts with…"
            {...liveSearch("/app/companies", "#company-results", "outerHTML")}
          />
        }
      >
        <TagFilter tags={p.tags} value={p.filters.tag} />
        <SelectField
          name="sort"
          label="Sort by"
          value={p.filters.sort}
          options={[
            { value: "name", label: "Name" },
            { value: "created", label: "Date created" },
            { value: "updated", label: "Last updated" },
            { value: "contacted", label: "Last contacted" },
            { value: "next_task", label: "Next task" },
          ]}
        />
        <OrderFilter value={p.filters.dir} />
      </FilterBar>
      <CompanyResults {...p} />
    </div>
  );
}
