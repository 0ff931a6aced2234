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
