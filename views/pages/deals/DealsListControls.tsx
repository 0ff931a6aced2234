/** The deal list's filter form and bulk-action bar. */
import { BulkBar } from "../../partials/BulkBar";
import { CustomFieldFilters } from "../../partials/CustomFieldFilters";
import { OwnerFilter, TagFilter } from "../../partials/ListFilters";
import { StageSelect } from "./StageSelect";
import { InputField, SelectField } from "../companies/FormFields";
import type { DealsListPageProps } from "./DealsListPage";

const STATUS_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
];

/** The board's filters, as a GET form (works without JavaScript). */
export function Filters(p: DealsListPageProps) {
  const e = p.echo;
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
        options={p.context.pipelines.map((x) => ({ value: String(x.id), label: x.name }))}
      />
      <OwnerFilter id="f-deal-owner" members={p.context.members} value={e.owner} />
      <div class="field">
        <label>
          <input type="checkbox" name="mine" value="1" checked={e.mine === "1"} /> My deals
        </label>
      </div>
      <TagFilter id="f-deal-tag" tags={p.context.tags} value={e.tag} error={p.errors.tag} />
      <SelectField
        id="f-deal-status"
        name="status"
        label="Status"
        empty="Any status"
        value={e.status}
        error={p.errors.status}
        options={STATUS_OPTIONS}
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
      <CustomFieldFilters fields={p.context.customFields} values={e.custom} />
      <input type="hidden" name="sort" value={p.sort} />
      <button type="submit" class="secondary">
        Filter
      </button>
      <a href="/app/deals/list">Clear</a>
    </form>
  );
}

/** The deal list's bulk actions: a move needs a stage, a new owner a member. Deleting asks first. */
export function DealsBulkBar(p: DealsListPageProps) {
  return (
    <BulkBar
      action="/app/deals/list/bulk"
      records="deals"
      actions={[
        { value: "move", label: "Move to a stage" },
        { value: "owner", label: "Change the owner" },
        { value: "tag", label: "Add a tag" },
        { value: "delete", label: "Delete" },
      ]}
      tags={p.context.tags}
      note="Deals move only within their own pipeline; others in the selection stay where they are."
      back={p.selfHref}
    >
      <StageSelect id="bulk-stage" label="Stage" empty="Choose a stage" pipelines={p.context.pipelines} />
      <SelectField
        name="owner_id"
        id="bulk-owner"
        label="Owner"
        empty="Choose a member"
        options={p.context.members.map((m) => ({ value: m.userId, label: m.email }))}
      />
    </BulkBar>
  );
}
