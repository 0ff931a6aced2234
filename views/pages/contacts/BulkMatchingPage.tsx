/**
 * The confirmation before deleting or erasing every contact that matches the list's filters ("select
 * all matching"): how many, and the same form posted again with confirm=1 and the filters.
 */
import { DangerButtons } from "../../components/DeleteConfirm";
import { ErasureExplained, SuppressChoice } from "./ContactPage";

export interface BulkMatchingConfirmProps {
  action: "delete" | "erase";
  /** How many match now (the action reaches those that match when it runs), formatted. */
  count: string;
  /** The count reached its bound: `count` is that bound, and more match ("over 10,000"). */
  over: boolean;
  /** The filters' query string, posted back unchanged. */
  matchQuery: string;
  back: string;
  canSuppress: boolean;
}

/** "Move all 2,098 matching contacts to the trash?" with a way back to the list. */
export function BulkMatchingConfirmPage(p: BulkMatchingConfirmProps) {
  const deleting = p.action === "delete";
  // A bounded count is a floor: "over 10,000", never the bound plus one as if exact.
  const many = p.over ? `over ${p.count}` : p.count;
  const all = p.over ? many : `all ${many}`;
  return (
    <div class="stack narrow">
      <h1>{deleting ? `Move ${all} matching contacts to the trash?` : `Erase ${all} matching contacts?`}</h1>
      <p>
        Every contact that matches the list's filters and search when you confirm is{" "}
        {deleting ? "moved to the trash" : "erased"}.
      </p>
      {deleting ? (
        <p>
          Their emails, phone numbers, tags, custom values, notes and timelines go too. They wait in the trash for 30
          days, and restoring one brings it all back.
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
          <DangerButtons
            button={deleting ? `Move ${many} contacts to the trash` : `Erase ${many} contacts`}
            cancelHref={p.back}
          />
        </div>
      </form>
    </div>
  );
}
