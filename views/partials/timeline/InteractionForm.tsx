import type { Child } from "hono/jsx";
import { Breadcrumb } from "../../components/Breadcrumb";
import { describedBy, FieldError, Hint } from "../../components/Field";
import { CALL_OUTCOME_WORDS, KIND_NOUN, type InteractionKindName } from "../../lib/interactions";
import { readerTimeZone } from "../../lib/time";
import { interactionElementId } from "./InteractionItem";
import { subjectPath, timelineId, type TimelineSubjectType } from "./Timeline";

type Subject = { type: TimelineSubjectType; id: number };

/** What the form shows: the values as typed (or as stored, for an edit) and the refusals by field. */
export interface InteractionFormState {
  values?: Partial<Record<"kind" | "occurred_at" | "duration_minutes" | "outcome" | "notes", string>>;
  errors?: Partial<Record<"kind" | "occurred_at" | "duration_minutes" | "outcome" | "notes", string>>;
}

const KINDS: InteractionKindName[] = ["call", "meeting", "email"];

/** One control in its field box, its hint and error tied to it. */
function Box(p: { id: string; label: string; hint?: string; error?: string; children: Child }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <Hint id={p.id} hint={p.hint} />
      {p.children}
      <FieldError id={p.id} error={p.error} />
    </div>
  );
}

/** The fields of the log and edit forms; `prefix` keeps their ids unique on the page. */
function InteractionFields(p: { prefix: string; state: InteractionFormState }) {
  const v = p.state.values ?? {};
  const e = p.state.errors ?? {};
  const id = (name: string) => `${p.prefix}-${name}`;
  const aria = (name: keyof NonNullable<InteractionFormState["errors"]>, hint?: string) => ({
    "aria-invalid": e[name] ? "true" : undefined,
    "aria-describedby": describedBy(id(name), hint, e[name]),
  });
  const kind = v.kind || "call";
  const whenHint = `Empty: now. In your time zone (${readerTimeZone()}).`;
  const outcomeHint = "A call: connected, no answer, left voicemail, busy or wrong number. Otherwise optional.";
  return (
    <>
      <Box id={id("kind")} label="Kind" error={e.kind}>
        <select id={id("kind")} name="kind" required {...aria("kind")}>
          {KINDS.map((k) => (
            <option value={k} selected={k === kind}>
              {KIND_NOUN[k]}
            </option>
          ))}
        </select>
      </Box>
      <Box id={id("occurred_at")} label="When" hint={whenHint} error={e.occurred_at}>
        <input
          id={id("occurred_at")}
          type="datetime-local"
          name="occurred_at"
          value={v.occurred_at ?? ""}
          {...aria("occurred_at", whenHint)}
        />
      </Box>
      <Box id={id("duration_minutes")} label="Duration in minutes (optional)" error={e.duration_minutes}>
        <input
          id={id("duration_minutes")}
          type="number"
          name="duration_minutes"
          min={0}
          max={1440}
          step={1}
          inputmode="numeric"
          value={v.duration_minutes ?? ""}
          {...aria("duration_minutes")}
        />
      </Box>
      <Box id={id("outcome")} label="Outcome" hint={outcomeHint} error={e.outcome}>
        <input
          id={id("outcome")}
          type="text"
          name="outcome"
          list={`${p.prefix}-outcomes`}
          maxlength={200}
          autocomplete="off"
          value={v.outcome ?? ""}
          {...aria("outcome", outcomeHint)}
        />
        <datalist id={`${p.prefix}-outcomes`}>
          {Object.values(CALL_OUTCOME_WORDS).map((w) => (
            <option value={w} />
          ))}
        </datalist>
      </Box>
      <Box id={id("notes")} label="Notes (optional)" error={e.notes}>
        <textarea id={id("notes")} name="notes" rows={3} maxlength={20000} {...aria("notes")}>
          {v.notes ?? ""}
        </textarea>
      </Box>
    </>
  );
}

/**
 * "Log activity" beside "Add a note" in a record's timeline: a disclosure (open after a refusal), posting
 * with htmx to swap the refreshed timeline in; without JavaScript it posts and the answer redirects back.
 */
export function InteractionLogForm(p: { subject: Subject; state?: InteractionFormState }) {
  const timeline = timelineId(p.subject);
  const action = `${subjectPath(p.subject)}/interactions`;
  const refused = Boolean(p.state?.errors && Object.keys(p.state.errors).length);
  return (
    <details class="interaction-log" open={refused}>
      <summary>Log activity</summary>
      <form
        class="stack note-form"
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${timeline}`}
        hx-swap="outerHTML"
      >
        <InteractionFields prefix={`${timeline}-log`} state={p.state ?? {}} />
        <div class="actions">
          <button type="submit">Add to timeline</button>
        </div>
      </form>
    </details>
  );
}

/**
 * The form that edits a logged interaction. Inline (htmx) it takes the item's place in the timeline and
 * the answer is the refreshed timeline (or this form again with its errors); alone, it is a page's body.
 */
export function InteractionEditForm(p: { id: number; subject: Subject; state: InteractionFormState; inline: boolean }) {
  const action = `/app/interactions/${p.id}`;
  const target = interactionElementId(p.id);
  const form = (
    <form
      class="stack note-form"
      method="post"
      action={action}
      hx-post={p.inline ? action : undefined}
      hx-target={p.inline ? `#${target}` : undefined}
      hx-swap={p.inline ? "outerHTML" : undefined}
    >
      <InteractionFields prefix={`interaction-${p.id}`} state={p.state} />
      <div class="actions">
        <button type="submit">Save</button>
        <a class="button secondary" href={`${subjectPath(p.subject)}#${timelineId(p.subject)}`}>
          Cancel
        </a>
      </div>
    </form>
  );
  return p.inline ? (
    <li class="timeline-note editing" id={target}>
      {form}
    </li>
  ) : (
    form
  );
}

/** The log form on its own page (a refused submission without JavaScript), or the edit form's page. */
export function InteractionPage(p: { title: string; subject: Subject; children: Child }) {
  return (
    <div class="stack narrow">
      <Breadcrumb href={subjectPath(p.subject)}>Back to the {p.subject.type}</Breadcrumb>
      <h1>{p.title}</h1>
      {p.children}
    </div>
  );
}

/** The log form alone on a page: the same fields, posting without htmx. */
export function InteractionLogPageForm(p: { subject: Subject; state: InteractionFormState }) {
  const base = subjectPath(p.subject);
  return (
    <form class="stack note-form" method="post" action={`${base}/interactions`}>
      <InteractionFields prefix="interaction-new" state={p.state} />
      <div class="actions">
        <button type="submit">Add to timeline</button>
        <a class="button secondary" href={base}>
          Cancel
        </a>
      </div>
    </form>
  );
}
