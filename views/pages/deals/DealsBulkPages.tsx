import { FormAlert } from "../../components/Field";

const SHOWN_NAMES = 20;

/** Asks before deleting the selected deals, naming them. */
export function DealsBulkDeletePage(p: { deals: { id: number; name: string }[]; back: string }) {
  const n = p.deals.length;
  return (
    <div class="stack narrow">
      <h1>{n === 1 ? "Delete 1 deal?" : `Delete ${n} deals?`}</h1>
      <ul>
        {p.deals.slice(0, SHOWN_NAMES).map((d) => (
          <li>{d.name}</li>
        ))}
        {n > SHOWN_NAMES ? <li class="muted">and {n - SHOWN_NAMES} more</li> : null}
      </ul>
      <p>
        Their contacts' roles, tags, custom values, notes, stage history and timelines go too. This cannot be undone.
      </p>
      <form method="post" action="/app/deals/list/bulk" class="actions">
        <input type="hidden" name="action" value="delete" />
        <input type="hidden" name="confirm" value="1" />
        <input type="hidden" name="back" value={p.back} />
        {p.deals.map((d) => (
          <input type="hidden" name="ids" value={String(d.id)} />
        ))}
        <button type="submit" class="danger">
          {n === 1 ? "Delete 1 deal" : `Delete ${n} deals`}
        </button>
        <a class="button secondary" href={p.back}>
          Cancel
        </a>
      </form>
    </div>
  );
}

/** A bulk action that could not run: why, and the way back to the list. */
export function DealsBulkProblemPage(p: { message: string; back: string }) {
  return (
    <div class="stack narrow">
      <h1>Nothing was changed</h1>
      <FormAlert>{p.message}</FormAlert>
      <p>
        <a href={p.back}>Back to the deals</a>
      </p>
    </div>
  );
}
