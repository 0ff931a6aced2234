/** The deal list's filter form and bulk-action bar. */
import { BulkBar } from "../../partials/BulkBar";
import { CustomFieldFilters } from "../../partials/CustomFieldFilters";
import { FilterBar } from "../../partials/FilterBar";
import { OwnerFilter, TagFilter } from "../../partials/ListFilters";
import { StageSelect } from "./StageSelect";
import { InputField, SelectField, recordOptions, memberOptions } from "../companies/FormFields";
import type { DealsListPageProps } from "./DealsListPage";

const STATUS_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "won", label: "Won" },
  { value: "lost", label: "Lost" },
];

/** The filters that narrow by close month and amount: each echoes its value and shows its error. */
const RANGE_INPUTS = [
  { id: "f-deal-close-month", name: "close_month", label: "Closing in (YYYY-MM)", maxlength: 7 },
  { id: "f-deal-amount-min", name: "amount_min", label: "Amount from", inputmode: "decimal" },
  { id: "f-deal-amount-max", name: "amount_max", label: "Amount to", inputmode: "decimal" },
] as const;

/** The choices of the deal list's bulk-action select. */
const BULK_ACTIONS = [
  { value: "move", label: "Move to a stage" },
  { value: "owner", label: "Change the owner" },
  { value: "tag", label: "Add a tag" },
  { value: "delete", label: "Delete" },
];

/** The deal list's filters: a one-line bar (the name search, the rest in its popover), a GET form. */
export function Filters(p: DealsListPageProps) {
  const e = p.echo;
  return (
    <FilterBar
      action="/app/deals/list"
      label="Deals"
      searchId="f-deal-q"
      searchLabel="Deal name contains"
      chips={p.chips}
      open={Object.keys(p.errors).length > 0}
      search={<input id="f-deal-q" type="search" name="q" value={e.q} maxlength={100} placeholder="Name contains…" />}
      hidden={
        <>
          <input type="hidden" name="sort" value={p.sort} />
          {p.views?.currentId ? <input type="hidden" name="view" value={String(p.views.currentId)} /> : null}
        </>
      }
    >
      <SelectField
        id="f-deal-pipeline"
        name="pipeline"
        label="Pipeline"
        empty="All pipelines"
        value={e.pipeline}
        error={p.errors.pipeline}
        options={recordOptions(p.context.pipelines)}
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
      {RANGE_INPUTS.map((input) => (
        <InputField {...input} value={e[input.name]} error={p.errors[input.name]} />
      ))}
      <CustomFieldFilters fields={p.context.customFields} values={e.custom} inline />
      <a href="/app/deals/list">Clear all filters</a>
    </FilterBar>
  );
}

/** The deal list's bulk actions: a move needs a stage, a new owner a member. Deleting asks first. */
export function DealsBulkBar(p: DealsListPageProps) {
  return (
    <BulkBar
      action="/app/deals/list/bulk"
      records="deals"
      actions={BULK_ACTIONS}
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
        options={memberOptions(p.context.members)}
      />
    </BulkBar>
  );
}
