/** The signed-in header's parts: the bell, the account menu, and who is signed in (views/layouts/Layout.tsx). */
import { InlinePostButton } from "../components/InlinePostButton";

/**
 * The bell: a link to the user's notifications (reminders and mentions) with the unread count, fetched after the page by app.js (so
 * pages stay fast) and again when the window regains focus. Not on a timer: a forgotten tab would keep its session
 * alive for ever.
 */
export function Bell() {
  return (
    <a href="/app/notifications" class="bell">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor">
        <path stroke-width="2" d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
      </svg>
      <span class="visually-hidden">Notifications: </span>
      <span data-fill="/app/notifications/count" data-fill-on-focus></span>
    </a>
  );
}

/**
 * The workspace and the account, folded into one menu so the desktop header keeps to one row: who is signed
 * in, the team, the workspaces (switch, create), settings, and the way out. A native <details>, so it opens by
 * keyboard and without a script.
 */
export function AccountMenu(p: { email: string; tenantName: string }) {
  return (
    <details class="account-menu">
      <summary>
        <span class="visually-hidden">Account and workspace: </span>
        {p.tenantName}
      </summary>
      <div class="account-panel">
        <span class="who">{p.email}</span>
        {/* The switcher, fetched the first time the menu opens: no query on pages nobody opens it on. */}
        <div class="workspace-switcher" hx-get="/app/workspaces/menu" hx-trigger="toggle once from:closest details">
          <a href="/app/workspaces">Workspaces</a>
        </div>
        <a href="/app/settings/team">Team</a>
        <a href="/app/settings/profile">Settings</a>
        <InlinePostButton action="/logout" buttonClass="link">
          Log out
        </InlinePostButton>
      </div>
    </details>
  );
}

/** Who is signed in, to which workspace, and the way out. */
export function SignedInAs(p: { email: string; tenantName: string; closed?: boolean }) {
  return (
    <>
      <span class="who">
        {p.email} · {p.tenantName}
        {p.closed ? " (closed)" : null}
      </span>
      <InlinePostButton action="/logout" buttonClass="link">
        Log out
      </InlinePostButton>
    </>
  );
}
