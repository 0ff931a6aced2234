/**
 * A change sent from a page of one workspace after this browser moved to another (another tab switched, created a
 * workspace or accepted an invitation): nothing was done. Reload here, or go back to the page's workspace.
 */
export function OtherWorkspacePage(p: {
  /** The page's workspace when the user is a member of it and it is open, else null ("another workspace"). */
  pageWorkspace: { tenantId: string; name: string } | null;
  current: string;
  /** The page the form was on (under /app), to open again in either workspace. */
  back: string;
}) {
  return (
    <section class="card narrow" aria-labelledby="other-workspace-heading">
      <h1 id="other-workspace-heading">This page belongs to another workspace</h1>
      <p role="alert">
        This page was open in <strong>{p.pageWorkspace ? p.pageWorkspace.name : "another workspace"}</strong>; you are
        now working in <strong>{p.current}</strong> (changed in another tab or window). Nothing was changed.
      </p>
      <p>
        <a href={p.back}>Reload this page in {p.current}</a>
      </p>
      {p.pageWorkspace ? (
        <form method="post" action="/app/workspaces/switch">
          <input type="hidden" name="tenant_id" value={p.pageWorkspace.tenantId} />
          <input type="hidden" name="next" value={p.back} />
          <button type="submit" class="secondary">
            Switch back to {p.pageWorkspace.name}
          </button>
        </form>
      ) : null}
    </section>
  );
}
