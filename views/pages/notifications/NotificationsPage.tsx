import { InlinePostButton } from "../../components/InlinePostButton";
import { Time } from "../../components/Time";

export interface NotificationItem {
  id: number;
  title: string;
  createdAt: number;
  read: boolean;
}

/** The badge inside the header's bell: the number, and the same in words for screen readers. */
export function UnreadCount(p: { count: number; cap: number }) {
  if (p.count === 0) return <span class="visually-hidden">no unread reminders</span>;
  const shown = p.count >= p.cap ? `${p.cap - 1}+` : String(p.count);
  return (
    <>
      <span class="bell-count" aria-hidden="true">
        {shown}
      </span>
      <span class="visually-hidden">
        {shown} unread {p.count === 1 ? "reminder" : "reminders"}
      </span>
    </>
  );
}

/** The user's reminders in this workspace, newest first; opening one marks it read and goes to its task's record. */
export function NotificationsPage(p: { entries: NotificationItem[]; unread: number; nextBefore: number | null }) {
  return (
    <section class="card stack" aria-labelledby="notifications-heading">
      <h1 id="notifications-heading">Reminders</h1>
      <p class="muted">
        Your task reminders and mentions in this workspace. {p.unread ? `${p.unread} unread.` : "Nothing unread."}
      </p>
      {p.unread ? <InlinePostButton action="/app/notifications/read-all">Mark all read</InlinePostButton> : null}
      {p.entries.length === 0 ? (
        <p>No reminders yet. A task with a reminder shows up here at its time.</p>
      ) : (
        <ul class="notification-list">
          {p.entries.map((e) => (
            <li class={e.read ? "notification" : "notification unread"}>
              <form class="inline-form" method="post" action={`/app/notifications/${e.id}/open`}>
                <button type="submit" class="link">
                  {e.read ? null : <strong class="unread-mark">Unread: </strong>}
                  {e.title}
                </button>
              </form>{" "}
              <span class="muted">
                <Time ms={e.createdAt} precision="minute" />
              </span>
            </li>
          ))}
        </ul>
      )}
      {p.nextBefore !== null ? <a href={`/app/notifications?before=${p.nextBefore}`}>Older reminders</a> : null}
    </section>
  );
}
