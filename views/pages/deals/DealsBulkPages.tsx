import { DangerButtons } from "../../components/DeleteConfirm";
import { BulkDeleteConfirm, BulkProblem } from "../../partials/BulkPages";

/** Asks before deleting the selected deals, naming them. */
export function DealsBulkDeletePage(p: { deals: { id: number; name: string }[]; back: string }) {
  return (
    <BulkDeleteConfirm
      records={p.deals}
      one="deal"
      many="deals"
      consequence="Their contacts' roles, tags, custom values, notes, stage history and timelines go too."
      action="/app/deals/list/bulk"
      back={p.back}
    />
  );
}

/** A bulk action that could not run: why, and the way back to the list. */
export function DealsBulkProblemPage(p: { message: string; back: string }) {
  return <BulkProblem message={p.message} back={p.back} backLabel="Back to the deals" />;
}

/** "Delete all 1,200 matching deals?": the same form posted again with confirm=1 and the filters. */
export function DealsBulkMatchingDeletePage(p: { count: string; matchQuery: string; back: string }) {
  return (
    <div class="stack narrow">
      <h1>Move all {p.count} matching deals to the trash?</h1>
      <p>
        Every deal that matches the list's filters when you confirm goes. Their contacts' roles, tags, custom values,
        notes, stage history and timelines go too. They wait in the trash for 30 days.
      </p>
      <form method="post" action="/app/deals/list/bulk" class="stack">
        <input type="hidden" name="action" value="delete" />
        <input type="hidden" name="confirm" value="1" />
        <input type="hidden" name="scope" value="matching" />
        <input type="hidden" name="match_query" value={p.matchQuery} />
        <input type="hidden" name="back" value={p.back} />
        <div class="actions">
          <DangerButtons button={`Move ${p.count} deals to the trash`} cancelHref={p.back} />
        </div>
      </form>
    </div>
  );
}
