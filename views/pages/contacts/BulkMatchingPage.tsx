/**
 * The confirmation before deleting or erasing every contact that matches the list's filters ("select
 * all matching"): how many, and the same form posted again with confirm=1 and the filters.
 */
import { DangerButtons } from "../../components/DeleteConfirm";
import { ErasureExplained, SuppressChoice } from "./ContactPage";

export interface BulkMatchingConfirmProps {
  action: "delete" | "erase";
  /** How many match now (the action reaches those that match when it runs). */
  count: string;
  /** The filters' query string, posted back unchanged. */
  matchQuery: string;
  back: string;
  canSuppress: boolean;
}

/** "Delete all 2,098 matching contacts?" with a way back to the list. */
export function BulkMatchingConfirmPage(p: BulkMatchingConfirmProps) {
  const verb = p.action === "delete" ? "Delete" : "Erase";
  return (
    <div class="stack narrow">
      <h1>
        {verb} all {p.count} matching contacts?
      </h1>
      <p>
        Every contact that matches the list's filters and search when you confirm is{" "}
        {p.action === "delete" ? "deleted" : "erased"}.
      </p>
      {p.action === "delete" ? (
        <p>
          Their emails, phone numbers, tags, custom values, notes and timelines are deleted too. This cannot be undone.
        </p>
      ) : (
        <ErasureExplained many />
      )}
      <form method="post" action="/app/contacts/bulk" class="stack">
        <input type="hidden" name="action" value={p.action} />
        <input type="hidden" name="confirm" value="1" />
        <input type="hidden" name="scope" value="matching" />
        <input type="hidden" name="match_query" value={p.matchQuery} />
        <input type="hidden" name="back" value={p.back} />
        {p.action === "erase" ? <SuppressChoice available={p.canSuppress} /> : null}
        <div class="actions">
          <DangerButtons button={`${verb} ${p.count} contacts`} cancelHref={p.back} />
        </div>
      </form>
    </div>
  );
}
