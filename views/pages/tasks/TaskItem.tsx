/**
 * One task as a list item: its complete (or reopen) button, title, type, priority, due date and time,
 * assignee and linked record. Completing swaps in the done item with an Undo button for 10 seconds.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { recordPath } from "../../lib/records";
import { formatCalendarDate, formatInstant, readerLocale, readerTimeZone } from "../../lib/time";

export interface TaskItemView {
  id: number;
  title: string;
  kind: "todo" | "call" | "email" | "meeting";
  priority: "normal" | "high";
  dueDate: string;
  dueTime: string | null;
  dueAt: number | null;
  status: "open" | "done";
  completedAt: number | null;
  assignee: string;
  assigneeId?: string;
  createdBy?: string | null;
  subjectType: "contact" | "company" | "deal" | null;
  subjectId: number | null;
  subjectName: string | null;
}

export const KIND_WORDS: Record<TaskItemView["kind"], string> = {
  todo: "To-do",
  call: "Call",
  email: "Email",
  meeting: "Meeting",
};

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Who reads the list: the buttons show on the tasks they may change; null: nobody may (a viewer). */
export interface TaskActorView {
  userId: string;
  admin: boolean;
}

/**
 * A task's complete (or, done, its Undo or Reopen) button. On the tasks page it belongs to the bulk
 * form (`form`, `formaction`: no form of its own per item); elsewhere it has its own small form. The
 * list (`ul`) gives htmx the target, the item, for both.
 */
function toggleHtml(t: TaskItemView, undo: boolean, next: string, inBulkForm: boolean): Markup {
  const done = t.status === "done";
  const action = `/app/tasks/${t.id}/${done ? "reopen" : "complete"}`;
  // The accessible name starts with the visible word (WCAG 2.5.3, axe's label-content-name-mismatch).
  const label = done ? (undo ? "Undo" : "Reopen") : "Done";
  const button = (attrs: Markup | string) =>
    html`<button${attrs} hx-post="${action}" class="${done ? "secondary task-toggle" : "task-toggle"}" aria-label="${label}: ${t.title}"${done ? "" : raw(" data-task-complete")}>${done ? label : "✓ Done"}</button>`;
  if (inBulkForm) return button(html` form="tasks-bulk" formaction="${action}"`);
  return html`<form method="post" action="${action}" class="inline-form"><input type="hidden" name="next" value="${next}"/>${button(raw(' type="submit"'))}</form>`;
}

/**
 * One task. Lists render up to a hundred of these, so the item goes through hono's `html` template
 * (a fraction of the JSX cost) with only the markup it needs.
 */
export function taskItemHtml(
  t: TaskItemView,
  o: { selectable?: boolean; showRecord?: boolean; undo?: boolean; next: string; actor?: TaskActorView | null },
): Markup {
  const done = t.status === "done";
  // Only who may change it gets the button (its assignee, its creator, an admin); others read.
  const mayChange =
    o.actor === undefined ||
    (o.actor !== null && (o.actor.admin || t.assigneeId === o.actor.userId || t.createdBy === o.actor.userId));
  const select =
    o.selectable && !done
      ? html`<input type="checkbox" name="ids" value="${t.id}" form="tasks-bulk" aria-label="Select ${t.title}"/>`
      : "";
  const due =
    t.dueAt !== null
      ? html`<time datetime="${new Date(t.dueAt).toISOString()}">${formatInstant(t.dueAt, readerTimeZone(), "minute", readerLocale())}</time>`
      : html`<time datetime="${t.dueDate}">${formatCalendarDate(t.dueDate, readerLocale())}</time>`;
  const record =
    o.showRecord !== false && t.subjectType && t.subjectId
      ? html` · <a href="${recordPath({ type: t.subjectType, id: t.subjectId })}">${t.subjectName ?? "(deleted)"}</a>`
      : "";
  const high = t.priority === "high" ? raw(' <span class="chip chip-high">High priority</span>') : "";
  // After 10 seconds the Undo button gives way to the settled item.
  const settle = o.undo
    ? html`<span hidden hx-get="/app/tasks/${t.id}/item" hx-trigger="load delay:10s" hx-target="closest li" hx-swap="outerHTML"></span>`
    : "";
  return html`<li class="task${done ? " task-done" : ""}" id="task-${t.id}" data-task-row>${mayChange ? select : ""}${mayChange ? toggleHtml(t, o.undo ?? false, o.next, (o.selectable ?? false) && !done) : ""}<div class="task-main"><a href="/app/tasks/${t.id}/edit" class="task-title">${done ? html`<s>${t.title}</s>` : t.title}</a><span class="task-meta"><span class="chip">${KIND_WORDS[t.kind]}</span>${high} Due ${due} · ${t.assignee}${record}</span></div>${settle}</li>`;
}

export function TaskItem(p: {
  task: TaskItemView;
  selectable?: boolean;
  showRecord?: boolean;
  undo?: boolean;
  next: string;
  actor?: TaskActorView | null;
}) {
  return <>{taskItemHtml(p.task, p)}</>;
}
