/**
 * The task form: on its own page (new, edit) and as the short form on a record's page and the tasks
 * page (title, type, due date and time, assignee; the rest on the full form). Errors sit by their fields.
 */
import { assets } from "../../../src/generated/assets";
import { FieldError, FormAlert, LabelledField, describedBy } from "../../components/Field";

export interface TaskFormValues {
  title?: string;
  description?: string;
  kind?: string;
  priority?: string;
  due_date?: string;
  due_time?: string;
  remind?: string;
  assignee?: string;
  record?: string;
  repeat?: string;
  repeat_every?: string;
}

export interface TaskFormProps {
  action: string;
  values: TaskFormValues;
  errors: Record<string, string>;
  members: { userId: string; email: string }[];
  currentUserId: string;
  /** The linked record's name, when the task is linked to one. */
  recordName?: string | null;
  submit: string;
  /** htmx: post and put the answer into this element. */
  hxTarget?: string;
  compact?: boolean;
  idPrefix?: string;
  /** The title is where focus goes after htmx swapped the form in (a task just added from a record's panel). */
  focusTitle?: boolean;
}

function Select(p: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
  error?: string;
}) {
  return (
    <LabelledField id={p.id} label={p.label} error={p.error}>
      <select
        id={p.id}
        name={p.name}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(p.id, undefined, p.error)}
      >
        {p.options.map(([value, text]) => (
          <option value={value} selected={(p.value ?? "") === value}>
            {text}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

const KINDS: [string, string][] = [
  ["todo", "To-do"],
  ["call", "Call"],
  ["email", "Email"],
  ["meeting", "Meeting"],
];

const REMINDERS: [string, string][] = [
  ["", "No reminder"],
  ["0", "At the time (08:00 on the day for a task without a time)"],
  ["15", "15 minutes before"],
  ["60", "1 hour before"],
  ["1440", "1 day before (08:00 the day before for a task without a time)"],
];

const REPEATS: [string, string][] = [
  ["", "Does not repeat"],
  ["day", "Every N days"],
  ["week", "Every N weeks"],
  ["month", "Every N months"],
  ["weekday", "Every week on a weekday (N: 1 Monday … 7 Sunday)"],
];

function Input(p: {
  id: string;
  name: string;
  label: string;
  type: string;
  value?: string;
  error?: string;
  required?: boolean;
  hint?: string;
  keyShortcut?: boolean;
  focusAfter?: boolean;
}) {
  return (
    <LabelledField id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={p.id}
        name={p.name}
        type={p.type}
        value={p.value ?? ""}
        required={p.required}
        maxlength={p.type === "text" ? 200 : undefined}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        data-task-title={p.keyShortcut ? "" : undefined}
        data-focus-after={p.focusAfter ? "" : undefined}
      />
    </LabelledField>
  );
}

export function TaskForm(p: TaskFormProps) {
  const v = p.values;
  const e = p.errors;
  const id = (name: string) => `${p.idPrefix ?? "task"}-${name}`;
  const people: [string, string][] = p.members.map((m) => [
    m.userId,
    m.userId === p.currentUserId ? `${m.email} (me)` : m.email,
  ]);
  return (
    <form
      class={p.compact ? "stack task-form compact" : "stack task-form"}
      method="post"
      action={p.action}
      hx-post={p.hxTarget ? p.action : undefined}
      hx-target={p.hxTarget}
      hx-swap={p.hxTarget ? "outerHTML" : undefined}
      novalidate
    >
      {Object.keys(e).length ? <FormAlert>Please correct the fields marked below.</FormAlert> : null}
      <Input
        id={id("title")}
        name="title"
        label="Task"
        type="text"
        value={v.title}
        error={e.title}
        required
        keyShortcut
        focusAfter={p.focusTitle}
      />
      <div class="field-row">
        <Select id={id("kind")} name="kind" label="Type" value={v.kind} options={KINDS} error={e.kind} />
        <Input
          id={id("due_date")}
          name="due_date"
          label="Due date"
          type="date"
          value={v.due_date}
          error={e.due_date}
          required
        />
        <Input
          id={id("due_time")}
          name="due_time"
          label="Time (optional)"
          type="time"
          value={v.due_time}
          error={e.due_time}
        />
        <Select
          id={id("assignee")}
          name="assignee"
          label="Assigned to"
          value={v.assignee || p.currentUserId}
          options={people}
          error={e.assignee}
        />
      </div>
      {p.compact ? null : (
        <>
          <div class="field-row">
            <Select
              id={id("priority")}
              name="priority"
              label="Priority"
              value={v.priority}
              options={[
                ["normal", "Normal"],
                ["high", "High"],
              ]}
              error={e.priority}
            />
            <Select
              id={id("remind")}
              name="remind"
              label="Reminder"
              value={v.remind}
              options={REMINDERS}
              error={e.remind}
            />
            <Select
              id={id("repeat")}
              name="repeat"
              label="Repeats"
              value={v.repeat}
              options={REPEATS}
              error={e.repeat}
            />
            <Input
              id={id("repeat_every")}
              name="repeat_every"
              label="Every N"
              type="number"
              value={v.repeat_every || "1"}
              error={e.repeat_every}
            />
          </div>
          <LabelledField id={id("description")} label="Description (optional)" error={e.description}>
            <textarea
              id={id("description")}
              name="description"
              rows={3}
              maxlength={5000}
              aria-invalid={e.description ? "true" : undefined}
              aria-describedby={e.description ? `${id("description")}-error` : undefined}
            >
              {v.description ?? ""}
            </textarea>
          </LabelledField>
        </>
      )}
      {p.compact ? (
        <>
          {v.record ? (
            <p class="muted">
              <input type="hidden" name="record" value={v.record} />
              Linked to {p.recordName ?? v.record}
            </p>
          ) : null}
          <FieldError id={id("record")} error={e.record} />
        </>
      ) : (
        // With JavaScript, assets-src/combobox.js makes the select a search of the workspace's records.
        <div
          class="record-combobox"
          data-options="/app/tasks/record-options"
          data-one="record"
          data-many="records"
          data-scripts={JSON.stringify([assets.combobox])}
        >
          <Select
            id={id("record")}
            name="record"
            label="Linked to (optional)"
            value={v.record}
            options={[
              ["", "Not linked"],
              ...(v.record ? [[v.record, p.recordName ?? v.record] as [string, string]] : []),
            ]}
            error={e.record}
          />
        </div>
      )}
      <div class="actions">
        <button type="submit">{p.submit}</button>
      </div>
    </form>
  );
}

/** A form page: the heading, then the form. */
export function TaskFormPage(p: TaskFormProps & { heading: string; cancelHref: string }) {
  return (
    <section class="stack narrow">
      <h1>{p.heading}</h1>
      <TaskForm {...p} />
      <p>
        <a href={p.cancelHref}>Cancel</a>
      </p>
    </section>
  );
}
