/** The bar of bulk actions above a list; the row checkboxes join its form with form="bulk-form". */
import type { Child } from "hono/jsx";
import { SelectField, recordOptions } from "../pages/companies/FormFields";

export interface BulkBarProps {
  /** Where the form posts: the list's bulk route. */
  action: string;
  /** "contacts", "deals": said in the legend. */
  records: string;
  actions: { value: string; label: string }[];
  tags: { id: number; name: string }[];
  tagHint?: string;
  /** Controls some actions need, between the action and the tag. */
  children?: Child;
  /** A hint under the controls. */
  note?: string;
  /** The list page to come back to, when the route needs to be told. */
  back?: string;
}

/**
 * Chooses one action for the selected records, with what it needs (a tag, and for some lists more).
 * Shown only while a row is ticked (app.css, :has(:checked)); lists.js says how many in its status.
 */
export function BulkBar(p: BulkBarProps) {
  return (
    <form id="bulk-form" class="bulk-bar" method="post" action={p.action} aria-label={`Bulk actions on ${p.records}`}>
      <fieldset>
        <legend>With the selected {p.records}</legend>
        <p class="bulk-status" role="status" data-bulk-status></p>
        <div class="bulk-controls">
          <SelectField name="action" id="bulk-action" label="Action" options={p.actions} />
          {p.children}
          <SelectField
            name="tag_id"
            id="bulk-tag"
            label="Tag"
            empty="Choose a tag"
            options={recordOptions(p.tags)}
            hint={p.tagHint}
          />
          <button type="submit">Apply</button>
        </div>
        {p.note ? <p class="hint">{p.note}</p> : null}
      </fieldset>
      {p.back !== undefined ? <input type="hidden" name="back" value={p.back} /> : null}
    </form>
  );
}
