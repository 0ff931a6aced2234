import { RichText } from "../../components/RichText";
import { Time } from "../../components/Time";

export type TimelineSubjectType = "contact" | "company";

export interface TimelineNote {
  id: number;
  body: string;
  authorId: string | null;
  author: string;
  createdAt: number;
  updatedAt: number;
}

export interface TimelineActivity {
  id: number;
  kind: string;
  actor: string;
  changes: Record<string, [unknown, unknown]> | null;
  createdAt: number;
}

export interface TimelineProps {
  subject: { type: TimelineSubjectType; id: number };
  notes: TimelineNote[];
  activity: TimelineActivity[];
  canWrite: boolean;
  currentUserId: string;
  canModerate: boolean;
  /** The "Add a note" form after a refused submission: what was typed and why it was refused. */
  noteForm?: { value?: string; error?: string };
}

/** The path of a contact's or company's page. */
export function subjectPath(s: { type: TimelineSubjectType; id: number }): string {
  return `/app/${s.type === "contact" ? "contacts" : "companies"}/${s.id}`;
}

/** The id of the timeline element, which htmx note forms replace with the refreshed timeline. */
export function timelineId(s: { type: TimelineSubjectType; id: number }): string {
  return `timeline-${s.type}-${s.id}`;
}

// Field keys in activity details are the record's property names (jobTitle, company_name, ...);
// people read them as words.
function fieldLabel(key: string): string {
  return key
    .replace(/^cf_\d+$/, "a custom field")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

function valueText(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(empty)";
  if (Array.isArray(v)) return v.length ? v.map(String).join(", ") : "(none)";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

const KIND_TEXT: Record<string, string> = {
  created: "created this record",
  note_added: "added a note",
  note_edited: "edited a note",
  note_deleted: "deleted a note",
  tagged: "changed the tags",
};

/** One activity entry as a sentence: "changed job title from Engineer to CTO". */
function ActivityText(p: { entry: TimelineActivity }) {
  const changes = p.entry.changes ? Object.entries(p.entry.changes) : [];
  if (p.entry.kind === "updated" && changes.length) {
    return (
      <>
        {changes.map(([field, [from, to]], i) => (
          <>
            {i > 0 ? (i === changes.length - 1 ? " and " : ", ") : null}
            changed {fieldLabel(field)} from <q>{valueText(from)}</q> to <q>{valueText(to)}</q>
          </>
        ))}
      </>
    );
  }
  return <>{KIND_TEXT[p.entry.kind] ?? (p.entry.kind === "updated" ? "updated this record" : p.entry.kind.replace(/_/g, " "))}</>;
}

type Item = { at: number; order: number; note?: TimelineNote; entry?: TimelineActivity };

/**
 * A record's timeline: the "Add a note" form for members, then notes and activity merged newest first.
 * Note bodies go through RichText (escaped text, line breaks, safe links): user HTML is never rendered.
 * The note forms use htmx to swap in the refreshed timeline; without JavaScript they post and redirect.
 */
export function Timeline(p: TimelineProps) {
  const id = timelineId(p.subject);
  const base = subjectPath(p.subject);
  // A note and its "added a note" entry share a time; the note (the content) comes first.
  const items: Item[] = [
    ...p.notes.map((n): Item => ({ at: n.createdAt, order: 1, note: n })),
    ...p.activity.map((a): Item => ({ at: a.createdAt, order: 0, entry: a })),
  ].sort((a, b) => b.at - a.at || b.order - a.order || (b.note?.id ?? b.entry?.id ?? 0) - (a.note?.id ?? a.entry?.id ?? 0));
  const bodyId = `${id}-body`;
  const error = p.noteForm?.error;
  return (
    <section class="timeline card" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Timeline</h2>
      {p.canWrite ? (
        <form class="stack note-form" method="post" action={`${base}/notes`} hx-post={`${base}/notes`} hx-target={`#${id}`} hx-swap="outerHTML">
          <div class="field">
            <label for={bodyId}>Add a note</label>
            <textarea
              id={bodyId}
              name="body"
              rows={3}
              required
              maxlength={20000}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? `${bodyId}-error` : undefined}
            >
              {p.noteForm?.value ?? ""}
            </textarea>
            {error ? (
              <p class="field-error" id={`${bodyId}-error`}>
                {error}
              </p>
            ) : null}
          </div>
          <div class="actions">
            <button type="submit">Add note</button>
          </div>
        </form>
      ) : null}
      {items.length === 0 ? (
        <p class="muted">Nothing here yet.</p>
      ) : (
        <ol class="timeline-items">
          {items.map((item) =>
            item.note ? (
              <NoteItem note={item.note} timeline={id} mayChange={p.canWrite && (item.note.authorId === p.currentUserId || p.canModerate)} />
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
          <RichText text={n.body} />
        </div>
        {p.mayChange ? (
          <div class="actions note-actions">
            <a href={`/app/notes/${n.id}/edit`} hx-get={`/app/notes/${n.id}/edit`} hx-target={`#note-${n.id}`} hx-swap="outerHTML">
              Edit<span class="visually-hidden"> note by {n.author}</span>
            </a>
            <form
              class="inline-form"
              method="post"
              action={`/app/notes/${n.id}/delete`}
              hx-delete={`/app/notes/${n.id}`}
              hx-target={`#${p.timeline}`}
              hx-swap="outerHTML"
              hx-confirm="Delete this note? This cannot be undone."
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
