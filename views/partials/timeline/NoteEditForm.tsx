import { Breadcrumb } from "../../components/Breadcrumb";
import type { Child } from "hono/jsx";
import { MENTION_SOURCE, subjectPath, timelineId, type TimelineSubjectType } from "./Timeline";
import { TextareaField } from "../../components/Field";

export interface NoteEditFormProps {
  note: { id: number };
  subject: { type: TimelineSubjectType; id: number };
  value: string;
  error?: string;
  /** Inside the timeline (htmx): the form replaces the note's list item. */
  inline: boolean;
}

/**
 * The form that edits a note. Inline, it takes the note's place in the timeline and posts with htmx;
 * the answer is the refreshed timeline (or this form again with its error). Alone, it is a page.
 */
export function NoteEditForm(p: NoteEditFormProps) {
  const id = `note-${p.note.id}-body`;
  const form = (
    <form
      class="stack note-form"
      method="post"
      action={`/app/notes/${p.note.id}`}
      hx-post={p.inline ? `/app/notes/${p.note.id}` : undefined}
      hx-target={p.inline ? `#note-${p.note.id}` : undefined}
      hx-swap={p.inline ? "outerHTML" : undefined}
    >
      <TextareaField
        id={id}
        name="body"
        label="Edit note"
        value={p.value}
        error={p.error}
        required
        maxlength={20000}
        mentionSource={MENTION_SOURCE}
        autofocus={p.inline}
      />
      <div class="actions">
        <button type="submit">Save note</button>
        <a class="button secondary" href={`${subjectPath(p.subject)}#${timelineId(p.subject)}`}>
          Cancel
        </a>
      </div>
    </form>
  );
  return p.inline ? (
    <li class="timeline-note editing" id={`note-${p.note.id}`}>
      {form}
    </li>
  ) : (
    form
  );
}

/** A page for the note forms when JavaScript is off: editing, or adding after a refused submission. */
export function NotePage(p: { title: string; subject: { type: TimelineSubjectType; id: number }; children: Child }) {
  return (
    <div class="stack narrow">
      <Breadcrumb href={subjectPath(p.subject)}>Back to the {p.subject.type}</Breadcrumb>
      <h1>{p.title}</h1>
      {p.children}
    </div>
  );
}

/** The "add a note" form on its own page (after a refused submission without JavaScript). */
export function NoteAddForm(p: { subject: { type: TimelineSubjectType; id: number }; value: string; error?: string }) {
  const base = subjectPath(p.subject);
  const id = "note-new-body";
  return (
    <form class="stack note-form" method="post" action={`${base}/notes`}>
      <TextareaField
        id={id}
        name="body"
        label="Add a note"
        value={p.value}
        error={p.error}
        required
        maxlength={20000}
      />
      <div class="actions">
        <button type="submit">Add note</button>
        <a class="button secondary" href={base}>
          Cancel
        </a>
      </div>
    </form>
  );
}
