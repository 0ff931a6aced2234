/** Pages around a closed workspace: the page /app shows while it is closed, the confirmation, reopening. */

/** What every /app page of a closed workspace answers: nothing of the workspace but its closure. */
export function WorkspaceClosedPage(p: {
  tenantName: string;
  isOwner: boolean;
  eraseOn: string | null;
  erasing: boolean;
}) {
  return (
    <section class="card narrow" aria-labelledby="closed-heading">
      <h1 id="closed-heading">This workspace is closed</h1>
      <p>
        <strong>{p.tenantName}</strong> was closed by its owner.{" "}
        {p.erasing
          ? "Its data is being erased."
          : p.eraseOn
            ? `Unless it is reopened before ${p.eraseOn}, everything in it is erased.`
            : null}
      </p>
      {p.erasing ? null : p.isOwner ? (
        <p>
          To reopen it, use the link we emailed you when you closed it, or have a new one sent from{" "}
          <a href="/app/workspaces">your workspaces</a>.
        </p>
      ) : (
        <p>
          Only its owner can reopen it. You belong to no other open workspace, so unless it is reopened your account is
          erased with it; an invitation to another workspace keeps your account.
        </p>
      )}
      <form method="post" action="/logout">
        <button type="submit">Log out</button>
      </form>
    </section>
  );
}

/** Shown to the owner right after closing (they are signed out already). */
export function WorkspaceClosedDonePage(p: { tenantName: string; email: string; eraseOn: string }) {
  return (
    <section class="card narrow" aria-labelledby="closed-done-heading">
      <h1 id="closed-done-heading">{p.tenantName} is closed</h1>
      <p>
        Everyone has been signed out of it. We have sent a link that reopens it to {p.email}; it works once, until{" "}
        {p.eraseOn}.
      </p>
      <p>After that, everything in the workspace is erased.</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}

/** The reopen link lands here; only the button (a POST) reopens, so link scanners change nothing. */
export function ReopenPage(p: { action: string; tenantName: string; eraseOn: string }) {
  return (
    <section class="card narrow" aria-labelledby="reopen-heading">
      <h1 id="reopen-heading">Reopen {p.tenantName}</h1>
      <p>
        The workspace is closed, and unless it is reopened before {p.eraseOn} everything in it is erased. Reopen it to
        bring back everything in it and let its members sign in again. It will be on the Free plan.
      </p>
      <form method="post" action={p.action}>
        <button type="submit">Reopen the workspace</button>
      </form>
    </section>
  );
}

/** After reopening. */
export function ReopenedPage(p: { tenantName: string }) {
  return (
    <section class="card narrow" aria-labelledby="reopened-heading">
      <h1 id="reopened-heading">{p.tenantName} is open again</h1>
      <p>
        Its members can sign in again. It is on the Free plan: choose a plan in Settings, Billing, if you need more.
      </p>
      <p>
        <a class="button" href="/login">
          Log in
        </a>
      </p>
    </section>
  );
}
