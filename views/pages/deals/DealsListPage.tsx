import { FormAlert } from "../../components/Field";
import { Time } from "../../components/Time";
import { InputField, SelectField } from "../companies/FormFields";

export const DEAL_LIST_NOTICES = {
  moved: (n: number) => (n === 1 ? "1 deal moved." : `${n} deals moved.`),
  owner_changed: (n: number) => (n === 1 ? "1 deal has a new owner." : `${n} deals have a new owner.`),
  tagged: (n: number) => (n === 1 ? "Tag added to 1 deal." : `Tag added to ${n} deals.`),
  deleted: (n: number) => (n === 1 ? "1 deal deleted." : `${n} deals deleted.`),
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
}

type SortKey = "updated" | "amount" | "close" | "stage" | "name";
type SortLink = { href: string; state: "ascending" | "descending" | null };

export interface DealsListPageProps {
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
  };
  canWrite: boolean;
  notice: string | null;
}

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

const STATUS_LABEL: Record<string, string> = { open: "Open", won: "Won", lost: "Lost" };

function Filters(p: DealsListPageProps) {
  const e = p.echo;
  const opt = (values: { value: string; label: string }[]) => values;
  return (
    <form class="filters" method="get" action="/app/deals/list" role="search" aria-label="Deals">
      <InputField id="f-deal-q" name="q" label="Name contains" value={e.q} maxlength={100} />
      <SelectField
        id="f-deal-pipeline"
        name="pipeline"
        label="Pipeline"
        empty="All pipelines"
        value={e.pipeline}
        error={p.errors.pipeline}
        options={opt(p.context.pipelines.map((x) => ({ value: String(x.id), label: x.name })))}
      />
      <SelectField
        id="f-deal-owner"
        name="owner"
        label="Owner"
        empty="Anyone"
        value={e.owner}
        options={opt(p.context.members.map((m) => ({ value: m.userId, label: m.email })))}
      />
      <div class="field">
        <label>
          <input type="checkbox" name="mine" value="1" checked={e.mine === "1"} /> My deals
        </label>
      </div>
      <SelectField
        id="f-deal-tag"
        name="tag"
        label="Tag"
        empty="Any tag"
        value={e.tag}
        error={p.errors.tag}
        options={opt(p.context.tags.map((x) => ({ value: String(x.id), label: x.name })))}
      />
      <SelectField
        id="f-deal-status"
        name="status"
        label="Status"
        empty="Any status"
        value={e.status}
        error={p.errors.status}
        options={[
          { value: "open", label: "Open" },
          { value: "won", label: "Won" },
          { value: "lost", label: "Lost" },
        ]}
      />
      <InputField
        id="f-deal-close-month"
        name="close_month"
        label="Closing in (YYYY-MM)"
        value={e.close_month}
        error={p.errors.close_month}
        maxlength={7}
      />
      <InputField
        id="f-deal-amount-min"
        name="amount_min"
        label="Amount from"
        value={e.amount_min}
        error={p.errors.amount_min}
        inputmode="decimal"
      />
      <InputField
        id="f-deal-amount-max"
        name="amount_max"
        label="Amount to"
        value={e.amount_max}
        error={p.errors.amount_max}
        inputmode="decimal"
      />
      <input type="hidden" name="sort" value={p.sort} />
      <button type="submit" class="secondary">
        Filter
      </button>
      <a href="/app/deals/list">Clear</a>
    </form>
  );
}

function BulkBar(p: DealsListPageProps) {
  return (
    <form id="bulk-form" class="bulk-bar" method="post" action="/app/deals/list/bulk">
      <fieldset>
        <legend>With the selected deals</legend>
        <div class="bulk-controls">
          <SelectField
            name="action"
            id="bulk-action"
            label="Action"
            options={[
              { value: "move", label: "Move to a stage" },
              { value: "owner", label: "Change the owner" },
              { value: "tag", label: "Add a tag" },
              { value: "delete", label: "Delete" },
            ]}
          />
          <div class="field">
            <label for="bulk-stage">Stage</label>
            <select id="bulk-stage" name="stage_id">
              <option value="">Choose a stage</option>
              {p.context.pipelines.map((pl) => (
                <optgroup label={pl.name}>
                  {pl.stages.map((s) => (
                    <option value={String(s.id)}>{s.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <SelectField
            name="owner_id"
            id="bulk-owner"
            label="Owner"
            empty="Choose a member"
            options={p.context.members.map((m) => ({ value: m.userId, label: m.email }))}
          />
          <SelectField
            name="tag_id"
            id="bulk-tag"
            label="Tag"
            empty="Choose a tag"
            options={p.context.tags.map((t) => ({ value: String(t.id), label: t.name }))}
          />
          <button type="submit">Apply</button>
        </div>
        <p class="hint">Deals move only within their own pipeline; others in the selection stay where they are.</p>
      </fieldset>
      <input type="hidden" name="back" value={p.selfHref} />
    </form>
  );
}

/** The deal list: filters, a sortable table with keyset pages, the totals of what matches, bulk actions. */
export function DealsListPage(p: DealsListPageProps) {
  const f = p.footer;
  return (
    <div class="stack">
      <h1>Deals</h1>
      <p>
        <a href="/app/deals">Board</a> · <strong aria-current="page">List</strong>
      </p>
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <Filters {...p} />
      {p.canWrite ? <BulkBar {...p} /> : null}
      {p.rows.length === 0 ? (
        <p>No deals match.</p>
      ) : (
        <div class="table-wrap">
          <table class="records deals-table">
            <thead>
              <tr>
                {p.canWrite ? (
                  <th scope="col" class="select-col">
                    <input
                      type="checkbox"
                      id="select-all"
                      data-select-all
                      aria-label="Select all deals on this page"
                      hidden
                    />
                  </th>
                ) : null}
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
                  <td data-label="Close date">{r.closeDate ?? ""}</td>
                  <td data-label="Owner">{r.owner ?? ""}</td>
                  <td data-label="Updated">
                    <Time ms={r.updatedAt} precision="date" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="deal-list-totals" aria-label="Totals of the deals that match">
        <p>
          {f.approximate
            ? `About: more than ${(f.deals - 1).toLocaleString("en-US")} deals match; these totals add up the first ${f.deals.toLocaleString("en-US")} found.`
            : f.deals === 1
              ? "1 deal matches."
              : `${f.deals} deals match.`}
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
    </div>
  );
}
