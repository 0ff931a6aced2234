import { RichText } from "../../components/RichText";
import { Time } from "../../components/Time";
import { durationWords, KIND_NOUN, outcomeWords, type InteractionKindName } from "../../lib/interactions";

/** A logged call, meeting or email as the timeline shows it. */
export interface TimelineInteraction {
  id: number;
  kind: InteractionKindName;
  occurredAt: number;
  durationMinutes: number | null;
  /** A call's outcome code, or the words typed for a meeting or an email. */
  outcome: string | null;
  notes: string | null;
  loggedById: string | null;
  /** The email of the one who logged it, or "former member". */
  loggedBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The element id of a logged interaction in its timeline (what its inline edit form replaces). */
export const interactionElementId = (id: number) => `interaction-${id}`;

/** One logged interaction: kind, when (the reader's zone), duration, outcome, notes, who; edit and delete. */
export function InteractionItem(p: { interaction: TimelineInteraction; timeline: string; mayChange: boolean }) {
  const i = p.interaction;
  const noun = KIND_NOUN[i.kind];
  const outcome = outcomeWords(i.kind, i.outcome);
  const label = `${noun.toLowerCase()} logged by ${i.loggedBy}`;
  return (
    <li class="timeline-note timeline-interaction" id={interactionElementId(i.id)} data-kind={i.kind}>
      <article aria-label={label}>
        <p class="note-meta">
          <strong class="interaction-kind">{noun}</strong> · <Time ms={i.occurredAt} precision="minute" />
          {i.durationMinutes !== null ? <> · {durationWords(i.durationMinutes)}</> : null}
          {outcome ? (
            <>
              {" "}
              · <span class="interaction-outcome">{outcome}</span>
            </>
          ) : null}{" "}
          <span class="muted">
            · logged by <span class="actor">{i.loggedBy}</span>
            {i.updatedAt > i.createdAt ? " · edited" : null}
          </span>
        </p>
        {i.notes ? (
          <div class="note-body">
            <RichText text={i.notes} />
          </div>
        ) : null}
        {p.mayChange ? (
          <div class="actions note-actions">
            <a
              href={`/app/interactions/${i.id}/edit`}
              hx-get={`/app/interactions/${i.id}/edit`}
              hx-target={`#${interactionElementId(i.id)}`}
              hx-swap="outerHTML"
            >
              Edit<span class="visually-hidden"> {label}</span>
            </a>
            <form
              class="inline-form"
              method="post"
              action={`/app/interactions/${i.id}/delete`}
              hx-delete={`/app/interactions/${i.id}`}
              hx-target={`#${p.timeline}`}
              hx-swap="outerHTML"
              hx-confirm={`Delete this ${noun.toLowerCase()}? This cannot be undone.`}
            >
              <button type="submit" class="link">
                Delete<span class="visually-hidden"> {label}</span>
              </button>
            </form>
          </div>
        ) : null}
      </article>
    </li>
  );
}
