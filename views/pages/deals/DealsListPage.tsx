import { FormAlert } from "../../components/Field";
import type { CustomFieldDef } from "../companies/FormFields";
import { CalendarDate, TimeCell } from "../../components/Time";
import { DealsBulkBar, Filters } from "./DealsListControls";
import { Pager } from "../../components/Pager";
import type { FilterChip } from "../../partials/FilterBar";
import { SelectAllHeader, SortHeader, type SortLink } from "../../components/TableHead";
import { SelectMatching } from "../../components/SelectMatching";
import { ViewTabs, type SavedViewsProps } from "../../partials/SavedViews";
import { formatCount } from "../../lib/page-range";
import { readerLocale } from "../../lib/time";

export const DEAL_LIST_NOTICES = {
  moved: (n: number) => (n === 1 ? "1 deal moved." : `${n} deals moved.`),
  owner_changed: (n: number) => (n === 1 ? "1 deal has a new owner." : `${n} deals have a new owner.`),
  tagged: (n: number) => (n === 1 ? "Tag added to 1 deal." : `Tag added to ${n} deals.`),
  deleted: (n: number) => (n === 1 ? "1 deal moved to the trash." : `${n} deals moved to the trash.`),
  view_stale: (_n: number) =>
    "This view filtered by a tag, field, pipeline or member that no longer exists: it is shown without that filter. Update the view to keep it this way.",
} as const;

/** The filters as typed, for the form and the links. */
export interface DealListEcho {
  pipeline: string;
  owner: string;
  mine: string;
  tag: string;
  close_month: string;
  amount_min: string;
  amount_max: string;
  status: string;
  q: string;
  /** cf_<field id> → the value as typed. */
  custom: Record<string, string>;
}

type SortKey = "updated" | "amount" | "close" | "stage" | "name";

export interface DealsListPageProps {
  /** The saved views' tabs and menu. */
  views?: SavedViewsProps;
  rows: {
    id: number;
    name: string;
    companyId: number | null;
    companyName: string | null;
    amount: string;
    stage: string;
    status: string;
    closeDate: string | null;
    owner: string | null;
    updatedAt: number;
  }[];
  footer: { deals: number; approximate: boolean; totals: { currency: string; deals: number; amount: string }[] };
  echo: DealListEcho;
  errors: Record<string, string>;
  sort: SortKey;
  sortLinks: Record<SortKey, SortLink>;
  nextHref: string | null;
  previousHref: string | null;
  selfHref: string;
  context: {
    pipelines: { id: number; name: string; stages: { id: number; name: string }[] }[];
    tags: { id: number; name: string }[];
    members: { userId: string; email: string }[];
    customFields: CustomFieldDef[];
  };
  canWrite: boolean;
  notice: string | null;
  /** Where this page sits: "1–50 of 2,098". */
  range: string;
  /** The active filters, each with the link that drops it. */
  chips: FilterChip[];
  /** "Select all 1,200 matching deals" for the bulk form when the list runs past this page. */
  matching?: { query: string; label: string } | null;
}

const STATUS_LABEL: Record<string, string> = { open: "Open", won: "Won", lost: "Lost" };

/** The deal list: filters, a sortable table with keyset pages, the totals of what matches, bulk actions. */
export function DealsListPage(p: DealsListPageProps) {
  const f = p.footer;
  return (
    <div class="stack list-page wide-page">
      <div class="page-head">
        <h1>Deals</h1>
        {/* The saved views sit in the heading's row, so the table starts no lower for them. */}
        {p.views ? <ViewTabs {...p.views} /> : null}
        <p class="actions">
          <a href="/app/deals">Board</a> · <strong aria-current="page">List</strong>
        </p>
      </div>
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <Filters {...p} />
      {p.canWrite ? <DealsBulkBar {...p} /> : null}
      <p class="results-summary" role="status">
        {p.range}
      </p>
      {p.canWrite && p.matching ? <SelectMatching matching={p.matching} /> : null}
      {p.rows.length === 0 ? (
        <p>No deals match.</p>
      ) : (
        <div class="table-wrap">
          <table class="records deals-table">
            <thead>
              <tr>
                {p.canWrite ? <SelectAllHeader records="deals" /> : null}
                <SortHeader label="Name" link={p.sortLinks.name} />
                <th scope="col">Company</th>
                <SortHeader label="Amount" link={p.sortLinks.amount} />
                <SortHeader label="Stage" link={p.sortLinks.stage} />
                <th scope="col">Status</th>
                <SortHeader label="Close date" link={p.sortLinks.close} />
                <th scope="col">Owner</th>
                <SortHeader label="Updated" link={p.sortLinks.updated} />
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr id={`deal-${r.id}`}>
                  {p.canWrite ? (
                    <td class="select-col">
                      <input
                        type="checkbox"
                        name="ids"
                        value={String(r.id)}
                        form="bulk-form"
                        aria-label={`Select ${r.name}`}
                      />
                    </td>
                  ) : null}
                  <td>
                    <a href={`/app/deals/${r.id}`}>{r.name}</a>
                  </td>
                  <td data-label="Company">
                    {r.companyId ? <a href={`/app/companies/${r.companyId}`}>{r.companyName}</a> : ""}
                  </td>
                  <td data-label="Amount" class="amount">
                    {r.amount}
                  </td>
                  <td data-label="Stage">{r.stage}</td>
                  <td data-label="Status">{STATUS_LABEL[r.status] ?? r.status}</td>
                  <td data-label="Close date">{r.closeDate ? <CalendarDate date={r.closeDate} /> : ""}</td>
                  <td data-label="Owner" class="owner-cell" title={r.owner ?? undefined}>
                    {r.owner ?? ""}
                  </td>
                  <TimeCell ms={r.updatedAt} precision="date" label="Updated" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="deal-list-totals" aria-label="Totals of the deals that match">
        <p>
          {f.approximate
            ? `About: more than ${formatCount(f.deals - 1, readerLocale())} deals match; these totals add up the first ${formatCount(f.deals, readerLocale())} found.`
            : f.deals === 1
              ? "1 deal matches."
              : `${formatCount(f.deals, readerLocale())} deals match.`}
        </p>
        {f.totals.length ? (
          <ul class="plain-list">
            {f.totals.map((x) => (
              <li>
                {f.approximate ? "about " : ""}
                {x.amount} ({x.deals === 1 ? "1 deal" : `${x.deals} deals`} in {x.currency})
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <Pager previousHref={p.previousHref} nextHref={p.nextHref} range={p.range} />
    </div>
  );
}
