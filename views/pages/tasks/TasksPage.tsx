/**
 * My tasks (/app/tasks): filters, the short form to add one, then Overdue, Today, Upcoming, Later and
 * Done with their counts, each task with its complete button and a checkbox for the bulk actions.
 */
import { FormAlert } from "../../components/Field";
import { FilterBar, type FilterChip } from "../../partials/FilterBar";
import { TaskForm, type TaskFormProps } from "./TaskForm";
import { raw } from "hono/html";
import { TaskItem, taskItemHtml, type TaskActorView, type TaskItemView } from "./TaskItem";

export type SectionKey = "overdue" | "today" | "upcoming" | "later" | "done";

export interface TasksPageProps {
  sections: Record<SectionKey, { rows: TaskItemView[]; count: number }>;
  only: SectionKey | null;
  filter: { assignee: string; kind: string; record: string; recordName: string | null };
  /** Who the assignee filter offers: admins see everyone; others only themselves. */
  people: { userId: string; email: string }[];
  canSeeAll: boolean;
  canWrite: boolean;
  /** Sections are counted up to this; a count that reaches it reads "500+". */
  countCap: number;
  /** A section shown alone: its next page, and (past the first) the way back to its first. */
  nextHref: string | null;
  firstHref: string | null;
  actor: TaskActorView | null;
  /** The new-task form's address (with the filtered record), for those who may add tasks. */
  newTaskHref: string | null;
  notice: string | null;
  /** The page's own URL with its filters, for the forms to come back to. */
  here: string;
  query: (changes: Record<string, string | null>) => string;
}

const TITLES: Record<SectionKey, string> = {
  overdue: "Overdue",
  today: "Today",
  upcoming: "Upcoming (next 7 days)",
  later: "Later",
  done: "Done",
};

const KIND_CHOICES = [
  ["", "Any"],
  ["todo", "To-do"],
  ["call", "Call"],
  ["email", "Email"],
  ["meeting", "Meeting"],
] as const;

/** The active filters as chips: who (when not "me"), the type, the record. */
function taskChips(p: TasksPageProps): FilterChip[] {
  const f = p.filter;
  const chips: FilterChip[] = [];
  if (f.assignee !== "me") {
    const who =
      f.assignee === "all" ? "Everyone" : (p.people.find((m) => m.userId === f.assignee)?.email ?? "a member");
    chips.push({ name: "Assigned to", value: who, removeHref: p.query({ assignee: null }) });
  }
  if (f.kind) {
    const kind = KIND_CHOICES.find(([value]) => value === f.kind)?.[1] ?? f.kind;
    chips.push({ name: "Type", value: kind, removeHref: p.query({ kind: null }) });
  }
  if (f.record) chips.push({ name: "For", value: f.recordName ?? f.record, removeHref: p.query({ record: null }) });
  return chips;
}

function Filters(p: TasksPageProps) {
  const f = p.filter;
  return (
    <FilterBar
      action="/app/tasks"
      label="Filter tasks"
      chips={taskChips(p)}
      hidden={f.record ? <input type="hidden" name="record" value={f.record} /> : null}
    >
      <div class="field">
        <label for="f-task-assignee">Assigned to</label>
        <select id="f-task-assignee" name="assignee">
          <option value="me" selected={f.assignee === "me"}>
            Me
          </option>
          {p.canSeeAll ? (
            <option value="all" selected={f.assignee === "all"}>
              Everyone
            </option>
          ) : null}
          {p.canSeeAll
            ? p.people.map((m) => (
                <option value={m.userId} selected={f.assignee === m.userId}>
                  {m.email}
                </option>
              ))
            : null}
        </select>
      </div>
      <div class="field">
        <label for="f-task-kind">Type</label>
        <select id="f-task-kind" name="kind">
          {KIND_CHOICES.map(([value, text]) => (
            <option value={value} selected={f.kind === value}>
              {text}
            </option>
          ))}
        </select>
      </div>
    </FilterBar>
  );
}

function BulkActions(p: { people: { userId: string; email: string }[]; here: string }) {
  return (
    <form
      id="tasks-bulk"
      method="post"
      action="/app/tasks/bulk"
      class="bulk-bar tasks-bulk"
      aria-label="Selected tasks"
    >
      <input type="hidden" name="next" value={p.here} />
      {/* The form's default button, first in it: Enter in the date field reschedules (without a date, the answer
          asks for one) rather than pressing the first button shown, Complete. Rendered (WebKit passes over a
          default button with display: none), but out of sight, the tab order and the accessibility tree: the
          visible Reschedule button is the one to reach. */}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: tabindex -1, never reached; only Enter's implicit submission presses it. */}
      <button type="submit" name="action" value="date" class="visually-hidden" tabindex={-1} aria-hidden="true">
        Reschedule
      </button>
      <span class="muted">With the selected tasks:</span>{" "}
      <button type="submit" name="action" value="complete" class="secondary">
        Complete
      </button>{" "}
      <button type="submit" name="action" value="plus_day" class="secondary">
        +1 day
      </button>{" "}
      <button type="submit" name="action" value="next_monday" class="secondary">
        Next Monday
      </button>{" "}
      <label>
        Due on <input type="date" name="date" />
      </label>{" "}
      <button type="submit" name="action" value="date" class="secondary">
        Reschedule
      </button>{" "}
      <label>
        Give to{" "}
        <select name="assignee">
          {p.people.map((m) => (
            <option value={m.userId}>{m.email}</option>
          ))}
        </select>
      </label>{" "}
      <button type="submit" name="action" value="reassign" class="secondary">
        Reassign
      </button>
    </form>
  );
}

const countText = (n: number, cap: number) => (n >= cap ? `${cap}+` : String(n));

export function TasksPage(p: TasksPageProps) {
  const keys = (p.only ? [p.only] : (Object.keys(TITLES) as SectionKey[])) as SectionKey[];
  return (
    <section class="stack tasks-page list-page">
      <div class="page-head">
        <h1>Tasks</h1>
        {p.newTaskHref ? (
          <p class="actions">
            <span class="muted keyboard-hint">
              Press <kbd>t</kbd> or
            </span>{" "}
            <a class="button" href={p.newTaskHref} data-shortcut="new-task">
              New task
            </a>
          </p>
        ) : null}
      </div>
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <Filters {...p} />
      {p.canWrite ? <BulkActions people={p.people} here={p.here} /> : null}
      {p.only ? <a href={p.query({ section: null })}>← All sections</a> : null}
      {keys.map((key) => {
        const s = p.sections[key];
        return (
          <section class="task-section" aria-labelledby={`tasks-${key}`}>
            <h2 id={`tasks-${key}`}>
              {TITLES[key]} <span class="count">({countText(s.count, p.countCap)})</span>
            </h2>
            {s.rows.length ? (
              <ul class="task-list" hx-target="closest li" hx-swap="outerHTML">
                {raw(
                  s.rows
                    .map((task) => taskItemHtml(task, { selectable: p.canWrite, next: p.here, actor: p.actor }))
                    .join(""),
                )}
              </ul>
            ) : (
              <p class="muted">{key === "done" ? "Nothing done yet." : "Nothing here."}</p>
            )}
            {!p.only && s.count > s.rows.length ? (
              <a href={p.query({ section: key })}>
                Show all {countText(s.count, p.countCap)} {TITLES[key].toLowerCase()}
              </a>
            ) : null}
            {p.only && (p.nextHref || p.firstHref) ? (
              <nav class="pager" aria-label={`${TITLES[key]} pages`}>
                {p.firstHref ? <a href={p.firstHref}>← First page</a> : null}{" "}
                {p.nextHref ? (
                  <a href={p.nextHref} rel="next">
                    Next page →
                  </a>
                ) : null}
              </nav>
            ) : null}
          </section>
        );
      })}
    </section>
  );
}

/** A record's tasks, on its page: loaded by htmx, and refreshed after adding one. */
export function RecordTasks(p: {
  id: string;
  actor: TaskActorView | null;
  tasks: TaskItemView[];
  form: TaskFormProps | null;
  here: string;
  listHref: string;
  /** A task was just added here (htmx swapped the panel in): say so, and keep the form open for the next one. */
  added?: boolean;
}) {
  return (
    <section class="card record-tasks" id={p.id} aria-labelledby={`${p.id}-heading`}>
      <h2 id={`${p.id}-heading`}>Tasks</h2>
      {/* Read out through the page's live region (app.js); the new task in the list shows it. */}
      {p.added ? (
        <p class="visually-hidden" data-announce="">
          Task added.
        </p>
      ) : null}
      {p.tasks.length ? (
        <ul class="task-list" hx-target="closest li" hx-swap="outerHTML">
          {p.tasks.map((task) => (
            <TaskItem task={task} showRecord={false} next={p.here} actor={p.actor} />
          ))}
        </ul>
      ) : (
        <p class="muted">No tasks yet.</p>
      )}
      {p.form ? (
        <details open={p.added || Object.keys(p.form.errors).length > 0}>
          <summary>
            Add a task <kbd class="keyboard-hint">t</kbd>
          </summary>
          <TaskForm {...p.form} compact focusTitle={p.added} />
        </details>
      ) : null}
      <a href={p.listHref}>All tasks for this record</a>
    </section>
  );
}

/** Where a record page's tasks arrive (htmx loads them); without JavaScript, a link to them. */
export function RecordTasksSlot(p: { record: string }) {
  const id = "record-tasks";
  return (
    <section
      class="card record-tasks"
      id={id}
      aria-labelledby={`${id}-heading`}
      hx-get={`/app/tasks/panel?record=${p.record}`}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <h2 id={`${id}-heading`}>Tasks</h2>
      <a href={`/app/tasks?record=${p.record}&assignee=all`}>Tasks for this record</a>
    </section>
  );
}
