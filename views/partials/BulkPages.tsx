/** The pages every list's bulk actions share: the confirmation before a delete, and a request that could not run. */
import { DangerButtons } from "../components/DeleteConfirm";
import { FormAlert } from "../components/Field";

/** How many of the selected records a confirmation names; the rest are counted. */
export const SHOWN_NAMES = 20;

export interface BulkDeleteProps {
  records: { id: number; name: string }[];
  /** "contact" / "contacts": the words of the heading and the button. */
  one: string;
  many: string;
  /** What goes with the records, said before where they wait (the trash, 30 days). */
  consequence: string;
  action: string;
  back: string;
}

/** Asks before deleting the selected records, naming the first of them (works with or without JavaScript). */
export function BulkDeleteConfirm(p: BulkDeleteProps) {
  const n = p.records.length;
  return (
    <div class="stack narrow">
      <h1>{n === 1 ? `Move 1 ${p.one} to the trash?` : `Move ${n} ${p.many} to the trash?`}</h1>
      <ul>
        {p.records.slice(0, SHOWN_NAMES).map((r) => (
          <li>{r.name}</li>
        ))}
        {n > SHOWN_NAMES ? <li class="muted">and {n - SHOWN_NAMES} more</li> : null}
      </ul>
      <p>{p.consequence} They wait in the trash for 30 days, and restoring one brings it all back.</p>
      <form method="post" action={p.action} class="actions">
        <input type="hidden" name="action" value="delete" />
        <input type="hidden" name="confirm" value="1" />
        <input type="hidden" name="back" value={p.back} />
        {p.records.map((r) => (
          <input type="hidden" name="ids" value={String(r.id)} />
        ))}
        <DangerButtons button={n === 1 ? `Delete 1 ${p.one}` : `Delete ${n} ${p.many}`} cancelHref={p.back} />
      </form>
    </div>
  );
}

/** A bulk request that cannot be carried out as sent (nothing selected, no tag chosen): why, and a way back. */
export function BulkProblem(p: { message: string; back: string; backLabel: string }) {
  return (
    <div class="stack narrow">
      <h1>Nothing was changed</h1>
      <FormAlert>{p.message}</FormAlert>
      <p>
        <a href={p.back}>{p.backLabel}</a>
      </p>
    </div>
  );
}
