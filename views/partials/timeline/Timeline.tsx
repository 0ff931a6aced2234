import { recordPath, type RecordKind } from "../../lib/records";
import { NoteMarkdown } from "../../components/NoteMarkdown";
import { assets } from "../../../src/generated/assets";
import { Time } from "../../components/Time";
import { InteractionLogForm, type InteractionFormState } from "./InteractionForm";
import { InteractionItem, type TimelineInteraction } from "./InteractionItem";

export type TimelineSubjectType = RecordKind;

export interface TimelineNote {
  id: number;
  body: string;
  authorId: string | null;
  author: string;
  createdAt: number;
  updatedAt: number;
}

/** One changed field, by the label the user knows, with the values as they typed them (null: empty). */
export interface TimelineChange {
  label: string;
  from: string | null;
  to: string | null;
  /** Added to a list (emails, phones, tags), not replacing it. */
  added?: boolean;
}

export interface TimelineActivity {
  id: number;
  kind: string;
  actor: string;
  changes: TimelineChange[] | null;
  /** The import that made the change, or whose undo did. */
  via: { kind: "import" | "undo"; importId: string } | null;
  createdAt: number;
}

export interface TimelineProps {
  subject: { type: TimelineSubjectType; id: number };
  notes: TimelineNote[];
  /** Logged calls, meetings and emails: placed by when they happened. */
  interactions: TimelineInteraction[];
  activity: TimelineActivity[];
  canWrite: boolean;
  currentUserId: string;
  canModerate: boolean;
  /** The "Add a note" form after a refused submission: what was typed and why it was refused. */
  noteForm?: { value?: string; error?: string };
  /** The "Log activity" form after a refused submission. */
  interactionForm?: InteractionFormState;
}

/** The path of a contact's or company's page. */
export function subjectPath(s: { type: TimelineSubjectType; id: number }): string {
  return recordPath(s);
}

/** The id of the timeline element, which htmx note forms replace with the refreshed timeline. */
export function timelineId(s: { type: TimelineSubjectType; id: number }): string {
  return `timeline-${s.type}-${s.id}`;
}

/** "changed job title from Engineer to CTO", "set phone numbers to +44 20 7946 0958", "added tags VIP". */
function ChangeSentence(p: { change: TimelineChange }) {
  const { label, from, to, added } = p.change;
  if (added)
    return (
      <>
        added {label} <q>{to}</q>
      </>
    );
  if (from === null)
    return (
      <>
        set {label} to <q>{to}</q>
      </>
    );
  if (to === null)
    return (
      <>
        cleared {label} (was <q>{from}</q>)
      </>
    );
  return (
    <>
      changed {label} from <q>{from}</q> to <q>{to}</q>
    </>
  );
}

const KIND_TEXT: Record<string, string> = {
  created: "created this record",
  merged: "merged a duplicate into this one",
  note_added: "added a note",
  note_edited: "edited a note",
  note_deleted: "deleted a note",
  tagged: "changed the tags",
  call_edited: "edited a logged call",
  call_deleted: "deleted a logged call",
  meeting_edited: "edited a logged meeting",
  meeting_deleted: "deleted a logged meeting",
  email_edited: "edited a logged email",
  email_deleted: "deleted a logged email",
  reopened: "reopened it",
};

/** One activity entry as a sentence: "changed job title from Engineer to CTO", and the import that did it. */
function ActivityText(p: { entry: TimelineActivity }) {
  const changes = p.entry.changes ?? [];
  const v = p.entry.via;
  const via = v ? (
    <>
      {" "}
      {v.kind === "undo" ? "by undoing an " : "through an "}
      <a href={`/app/import/${v.importId}`}>import</a>
    </>
  ) : null;
  // A deal's move and outcome: "moved it from Lead to Proposal", "marked it lost · reason Price · closed on …".
  if (p.entry.kind === "moved" && changes[0]) {
    return (
      <>
        moved it from <q>{changes[0].from}</q> to <q>{changes[0].to}</q>
      </>
    );
  }
  // A task completed or reopened: "completed the task “Call back”".
  if ((p.entry.kind === "task_completed" || p.entry.kind === "task_reopened") && changes[0]) {
    return (
      <>
        {p.entry.kind === "task_completed" ? "completed the task " : "reopened the task "}
        <q>{changes[0].to}</q>
      </>
    );
  }
  if (p.entry.kind === "won" || p.entry.kind === "lost") {
    return (
      <>
        marked it {p.entry.kind}
        {changes.map((c) => (
          <>
            {" "}
            · {c.label} <q>{c.to}</q>
          </>
        ))}
      </>
    );
  }
  if (p.entry.kind === "updated" && changes.length) {
    return (
      <>
        {changes.map((change, i) => (
          <>
            {i > 0 ? (i === changes.length - 1 ? " and " : ", ") : null}
            <ChangeSentence change={change} />
          </>
        ))}
        {via}
      </>
    );
  }
  return (
    <>
      {KIND_TEXT[p.entry.kind] ??
        (p.entry.kind === "updated" ? "updated this record" : p.entry.kind.replace(/_/g, " "))}
      {via}
    </>
  );
}

type Item = {
  at: number;
  order: number;
  id: number;
  note?: TimelineNote;
  interaction?: TimelineInteraction;
  entry?: TimelineActivity;
};

/** The members an @mention may name, for the note boxes' suggestions (assets-src/mentions.js). */
export const MENTION_SOURCE = "/app/notes/members";

/**
 * A record's timeline: the "Add a note" and "Log activity" forms for members, then notes, logged calls,
 * meetings and emails, and activity merged newest first.
 * Note bodies are Markdown rendered by NoteMarkdown (user HTML escaped, only http(s)/mailto links).
 * The note forms use htmx to swap in the refreshed timeline; without JavaScript they post and redirect.
 */
export function Timeline(p: TimelineProps) {
  const id = timelineId(p.subject);
  const base = subjectPath(p.subject);
  // A note and its "added a note" entry share a time; the note (the content) comes first.
  // A logged interaction sits at the time it happened, not when it was logged.
  const items: Item[] = [
    ...p.notes.map((n): Item => ({ at: n.createdAt, order: 1, id: n.id, note: n })),
    ...p.interactions.map((i): Item => ({ at: i.occurredAt, order: 2, id: i.id, interaction: i })),
    ...p.activity.map((a): Item => ({ at: a.createdAt, order: 0, id: a.id, entry: a })),
  ].sort((a, b) => b.at - a.at || b.order - a.order || b.id - a.id);
  const bodyId = `${id}-body`;
  const error = p.noteForm?.error;
  return (
    <section class="timeline card" id={id} aria-labelledby={`${id}-heading`}>
      {/* Where focus goes when a swap of the timeline (an activity logged, a note deleted) took it away. */}
      <h2 id={`${id}-heading`} tabindex={-1} data-focus-after="">
        Timeline
      </h2>
      {p.canWrite ? (
        <form
          class="stack note-form"
          method="post"
          action={`${base}/notes`}
          hx-post={`${base}/notes`}
          hx-target={`#${id}`}
          hx-swap="outerHTML"
          data-scripts={JSON.stringify([assets.mentions])}
        >
          <div class="field">
            <label for={bodyId}>Add a note</label>
            <textarea
              id={bodyId}
              name="body"
              rows={3}
              required
              maxlength={20000}
              data-mention-source={MENTION_SOURCE}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? `${bodyId}-error ${bodyId}-hint` : `${bodyId}-hint`}
            >
              {p.noteForm?.value ?? ""}
            </textarea>
            <p class="hint" id={`${bodyId}-hint`}>
              **bold**, _italic_, - lists, links; type @ to mention a member.
            </p>
            {error ? (
              <p class="field-error" id={`${bodyId}-error`}>
                {error}
              </p>
            ) : null}
          </div>
          <div class="actions">
            {/* An id htmx finds again in the new timeline, so focus stays on the button after adding. */}
            <button type="submit" id={`${id}-add-note`}>
              Add note
            </button>
          </div>
        </form>
      ) : null}
      {p.canWrite ? <InteractionLogForm subject={p.subject} state={p.interactionForm} /> : null}
      {items.length === 0 ? (
        <p class="muted">Nothing here yet.</p>
      ) : (
        <ol class="timeline-items">
          {items.map((item) =>
            item.interaction ? (
              <InteractionItem
                interaction={item.interaction}
                timeline={id}
                mayChange={p.canWrite && (item.interaction.loggedById === p.currentUserId || p.canModerate)}
              />
            ) : item.note ? (
              <NoteItem
                note={item.note}
                timeline={id}
                mayChange={p.canWrite && (item.note.authorId === p.currentUserId || p.canModerate)}
              />
            ) : (
              <li class="timeline-activity" id={`activity-${item.entry!.id}`}>
                <span class="actor">{item.entry!.actor}</span> <ActivityText entry={item.entry!} />{" "}
                <span class="muted">
                  · <Time ms={item.entry!.createdAt} precision="minute" />
                </span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}

function NoteItem(p: { note: TimelineNote; timeline: string; mayChange: boolean }) {
  const n = p.note;
  return (
    <li class="timeline-note" id={`note-${n.id}`}>
      <article aria-label={`Note by ${n.author}`}>
        <p class="note-meta">
          <span class="actor">{n.author}</span>{" "}
          <span class="muted">
            · <Time ms={n.createdAt} precision="minute" />
            {n.updatedAt > n.createdAt ? " · edited" : null}
          </span>
        </p>
        <div class="note-body">
          <NoteMarkdown text={n.body} />
        </div>
        {p.mayChange ? (
          <div class="actions note-actions">
            <a
              href={`/app/notes/${n.id}/edit`}
              hx-get={`/app/notes/${n.id}/edit`}
              hx-target={`#note-${n.id}`}
              hx-swap="outerHTML"
            >
              Edit<span class="visually-hidden"> note by {n.author}</span>
            </a>
            <form
              class="inline-form"
              method="post"
              action={`/app/notes/${n.id}/delete`}
              hx-delete={`/app/notes/${n.id}`}
              hx-target={`#${p.timeline}`}
              hx-swap="outerHTML"
            >
              <button type="submit" class="link">
                Delete<span class="visually-hidden"> note by {n.author}</span>
              </button>
            </form>
          </div>
        ) : null}
      </article>
    </li>
  );
}
