/** The follow-up mails: a task's reminder and the daily agenda. Both are non-essential (one-click unsubscribe). */
import type { RenderedMail } from "../services/mail/outbox";
import { EmailButton } from "../../views/emails/EmailLayout";
import { compose } from "./messages";

/** A task's title on one line: it goes into a subject header. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

/** "Call Ada — due 3/29/2026, 2:00 PM GMT+2" (in the assignee's locale): what the bell says. */
export function bellTitle(title: string, when: string): string {
  return `${oneLine(title)} — due ${when}`.slice(0, 200);
}

/** A task's reminder to its assignee, with a link to the task's record (or the tasks page). */
export function taskReminderMail(p: {
  title: string;
  when: string;
  workspace: string;
  link: string;
  late: boolean;
  unsubscribeUrl: string;
}): RenderedMail {
  const headline = `Reminder: ${bellTitle(p.title, p.when)}`;
  const late = p.late ? "\n\n(This reminder is late: we could not send it at its time.)" : "";
  return compose(
    "task_reminder",
    false,
    headline.slice(0, 150),
    `${headline}\nWorkspace: ${p.workspace}${late}\n\nOpen it: ${p.link}`,
    <>
      <p style="font-weight:600">{headline}</p>
      <p>Workspace: {p.workspace}</p>
      {p.late ? <p>This reminder is late: we could not send it at its time.</p> : null}
      <EmailButton href={p.link} label="Open the task" />
    </>,
    p.unsubscribeUrl,
  );
}

export interface AgendaTask {
  title: string;
  /** "2:00 PM" or "14:00" for a task with a time (the reader's zone and locale), null for one due on the day. */
  time: string | null;
  /** The due date in the reader's locale, for overdue tasks. */
  dueDate: string;
  overdue: boolean;
}

export interface AgendaWorkspace {
  name: string;
  /** The tasks listed (the day's first, then the latest overdue, at most a page). */
  tasks: AgendaTask[];
  /** All the reader's tasks of the agenda there, listed or not. */
  total: number;
  /** The reader's tasks page in that workspace (through /app/workspaces/open). */
  link: string;
}

const agendaLine = (t: AgendaTask) =>
  `${oneLine(t.title)}${t.overdue ? ` (overdue, due ${t.dueDate})` : t.time ? ` at ${t.time}` : ""}`;

/** "and 6 more" under a workspace's list, or nothing when every task is listed. */
const moreLine = (w: AgendaWorkspace) => (w.total > w.tasks.length ? `and ${w.total - w.tasks.length} more` : null);

/** The daily agenda: per workspace, the reader's open tasks due that day and the overdue ones. */
export function dailyAgendaMail(p: {
  date: string;
  workspaces: AgendaWorkspace[];
  unsubscribeUrl: string;
}): RenderedMail {
  const count = p.workspaces.reduce((n, w) => n + w.total, 0);
  const text = p.workspaces
    .map((w) =>
      [
        w.name,
        ...w.tasks.map((t) => `  - ${agendaLine(t)}`),
        ...(moreLine(w) ? [`  ${moreLine(w)}`] : []),
        `  Your tasks in ${w.name}: ${w.link}`,
      ].join("\n"),
    )
    .join("\n\n");
  return compose(
    "daily_agenda",
    false,
    `Your agenda for ${p.date}: ${count} ${count === 1 ? "task" : "tasks"}`,
    `Your open tasks due ${p.date} and the overdue ones:\n\n${text}`,
    <>
      <p>Your open tasks due {p.date} and the overdue ones:</p>
      {p.workspaces.map((w) => (
        <>
          <p style="margin:16px 0 4px;font-weight:600">{w.name}</p>
          <ul style="margin:0;padding-left:20px">
            {w.tasks.map((t) => (
              <li>{agendaLine(t)}</li>
            ))}
          </ul>
          {moreLine(w) ? <p style="margin:4px 0">{moreLine(w)}</p> : null}
          <EmailButton href={w.link} label={`Open your tasks in ${w.name}`} />
        </>
      ))}
    </>,
    p.unsubscribeUrl,
  );
}
