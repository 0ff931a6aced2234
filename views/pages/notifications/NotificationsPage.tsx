import { InlinePostButton } from "../../components/InlinePostButton";
import { Time } from "../../components/Time";

export interface NotificationItem {
  id: number;
  title: string;
  createdAt: number;
  read: boolean;
}

/** How many unread, as shown: a count at the cap means that many or more ("99+" at a cap of 100). */
function shownCount(count: number, cap: number): string {
  return count >= cap ? `${cap - 1}+` : String(count);
}

/** The badge inside the header's bell: the number, and the same in words for screen readers. */
export function UnreadCount(p: { count: number; cap: number }) {
  if (p.count === 0) return <span class="visually-hidden">no unread notifications</span>;
  const words = p.count >= p.cap ? `more than ${p.cap - 1}` : String(p.count);
  return (
    <>
      <span class="bell-count" aria-hidden="true">
        {shownCount(p.count, p.cap)}
      </span>
      <span class="visually-hidden">
        {words} unread {p.count === 1 ? "notification" : "notifications"}
      </span>
    </>
  );
}

/**
 * The user's bell in this workspace (task reminders and mentions), newest first; opening one marks it read and goes to
 * its record. `unread` is counted up to `cap`, as the badge is.
 */
export function NotificationsPage(p: {
  entries: NotificationItem[];
  unread: number;
  cap: number;
  nextBefore: number | null;
}) {
  return (
    <section class="card stack" aria-labelledby="notifications-heading">
      <h1 id="notifications-heading">Notifications</h1>
      <p class="muted">
        Your task reminders and mentions in this workspace.{" "}
        {p.unread ? `${shownCount(p.unread, p.cap)} unread.` : "Nothing unread."}
      </p>
      {p.unread ? <InlinePostButton action="/app/notifications/read-all">Mark all read</InlinePostButton> : null}
      {p.entries.length === 0 ? (
        <p>Nothing here yet. A task with a reminder shows up here at its time, and so does a note that mentions you.</p>
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
      {p.nextBefore !== null ? <a href={`/app/notifications?before=${p.nextBefore}`}>Older notifications</a> : null}
    </section>
  );
}
