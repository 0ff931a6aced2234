/** What a change to a workspace answers while the workspace is moved to another database (a minute or so). */
export function WorkspaceMovingPage(p: { tenantName: string }) {
  return (
    <section class="card narrow" aria-labelledby="moving-heading">
      <h1 id="moving-heading">This workspace is being moved</h1>
      <p>
        <strong>{p.tenantName}</strong> is being moved to another of our databases. Nothing was changed: try again in a
        minute. Everything in it can still be read meanwhile.
      </p>
      <p>
        <a href="/app">Back to the dashboard</a>
      </p>
    </section>
  );
}
