import { FormAlert } from "../../components/Field";
import { Time } from "../../components/Time";

export interface CalendarFeedCardProps {
  /** Null while the feed is off. */
  feed: { createdAt: number; lastReadAt: number | null } | null;
  /** The address, only in the answer that just made it: it is never stored and cannot be shown again. */
  newUrl?: string;
  /** The workspace whose tasks and deals this feed carries. */
  workspace: string;
  /** Why turning it on was refused. */
  error?: string;
}

/**
 * The profile's private calendar feed of this workspace: turn it on, see its address once, give it a new one,
 * turn it off. One per workspace: a member of several subscribes to each they want (each its own calendar).
 */
export function CalendarFeedCard(p: CalendarFeedCardProps) {
  return (
    <section class="card" aria-labelledby="calendar-feed-heading" id="calendar-feed">
      <h2 id="calendar-feed-heading">Calendar feed</h2>
      <p class="muted">
        A private address your calendar app can subscribe to: your open tasks in <strong>{p.workspace}</strong>, with
        their times, and the expected close dates of your open deals there. It carries their titles and the names of the
        records they belong to, nothing else. Each of your workspaces has its own feed, turned on from this page while
        you are in it. Anyone who has the address can read it, so keep it to yourself; if you shared it by mistake, give
        it a new address.
      </p>
      {p.newUrl ? (
        <div class="stack">
          <FormAlert kind="ok">
            <p>
              Your feed's address is below. Copy it now: we keep only a fingerprint of it, so this page cannot show it
              again (you can always make a new one).
            </p>
          </FormAlert>
          <label for="calendar-feed-url">Feed address</label>
          <input id="calendar-feed-url" type="text" readonly value={p.newUrl} class="feed-url" />
          <h3>Adding it to your calendar</h3>
          <ul>
            <li>
              <strong>Google Calendar</strong> (on a computer): Other calendars, +, From URL; paste the address, then
              Add calendar. Google refreshes it every few hours.
            </li>
            <li>
              <strong>Outlook</strong>: Add calendar, Subscribe from web; paste the address and Import.
            </li>
            <li>
              <strong>Apple Calendar</strong>: File, New Calendar Subscription; paste the address, then choose how often
              it refreshes.
            </li>
          </ul>
        </div>
      ) : null}
      {p.feed ? (
        <>
          <p>
            Your feed is on since <Time ms={p.feed.createdAt} precision="minute" />
            {p.feed.lastReadAt ? (
              <>
                ; a calendar last read it around <Time ms={p.feed.lastReadAt} precision="minute" />
              </>
            ) : (
              "; no calendar has read it yet"
            )}
            .
          </p>
          <form class="inline-form" method="post" action="/app/settings/profile/calendar-feed/rotate">
            <button type="submit">Give it a new address</button>
          </form>
          <p class="muted">The old address stops working at once.</p>
          <form class="inline-form" method="post" action="/app/settings/profile/calendar-feed/off">
            <button type="submit" class="danger">
              Turn off the feed
            </button>
          </form>
        </>
      ) : (
        <form method="post" action="/app/settings/profile/calendar-feed">
          {p.error ? <FormAlert>{p.error}</FormAlert> : null}
          <button type="submit">Turn on the calendar feed</button>
        </form>
      )}
    </section>
  );
}
