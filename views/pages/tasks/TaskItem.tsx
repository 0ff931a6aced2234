/**
 * One task as a list item: its complete (or reopen) button, title, type, priority, due date and time,
 * assignee and linked record. Completing swaps in the done item with an Undo button for 10 seconds.
 */
import { recordPath } from "../../lib/records";
import { Time } from "../../components/Time";

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

/** The buttons of a task: complete, or (just completed) undo, or reopen. */
function TaskToggle(p: { task: TaskItemView; undo?: boolean; next: string }) {
  const done = p.task.status === "done";
  const action = `/app/tasks/${p.task.id}/${done ? "reopen" : "complete"}`;
  const label = done ? (p.undo ? "Undo" : "Reopen") : "Complete";
  return (
    <form method="post" action={action} hx-post={action} hx-target="closest li" hx-swap="outerHTML" class="inline-form">
      <input type="hidden" name="next" value={p.next} />
      <button
        type="submit"
        class={done ? "secondary task-toggle" : "task-toggle"}
        aria-label={`${label}: ${p.task.title}`}
        data-task-complete={done ? undefined : ""}
      >
        {done ? label : "✓ Done"}
      </button>
    </form>
  );
}

export function TaskItem(p: {
  task: TaskItemView;
  selectable?: boolean;
  showRecord?: boolean;
  undo?: boolean;
  next: string;
}) {
  const t = p.task;
  const done = t.status === "done";
  return (
    <li class={`task${done ? " task-done" : ""}`} id={`task-${t.id}`} data-task-row="">
      {p.selectable && !done ? (
        <input type="checkbox" name="ids" value={String(t.id)} form="tasks-bulk" aria-label={`Select ${t.title}`} />
      ) : null}
      <TaskToggle task={t} undo={p.undo} next={p.next} />
      <div class="task-main">
        <a href={`/app/tasks/${t.id}/edit`} class="task-title">
          {done ? <s>{t.title}</s> : t.title}
        </a>
        <span class="task-meta">
          <span class="chip">{KIND_WORDS[t.kind]}</span>
          {t.priority === "high" ? <span class="chip chip-high">High priority</span> : null}{" "}
          <span>
            Due{" "}
            {t.dueAt !== null ? (
              <Time ms={t.dueAt} precision="minute" />
            ) : (
              <time datetime={t.dueDate}>{t.dueDate}</time>
            )}
          </span>
          {" · "}
          {t.assignee}
          {p.showRecord !== false && t.subjectType && t.subjectId ? (
            <>
              {" · "}
              <a href={recordPath({ type: t.subjectType, id: t.subjectId })}>{t.subjectName ?? "(deleted)"}</a>
            </>
          ) : null}
        </span>
      </div>
      {p.undo ? (
        // After 10 seconds the Undo button gives way to the settled item.
        <span
          hidden
          hx-get={`/app/tasks/${t.id}/item`}
          hx-trigger="load delay:10s"
          hx-target="closest li"
          hx-swap="outerHTML"
        />
      ) : null}
    </li>
  );
}
