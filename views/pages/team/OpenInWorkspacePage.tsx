/**
 * A link from a mail (a mention, a reminder) to a record of a workspace this browser is not working in: say
 * where the record is, and switch there with one button (a POST, so another site cannot switch it for you).
 */
export function OpenInWorkspacePage(p: { workspace: string; current: string; tenantId: string; to: string }) {
  return (
    <section class="card" aria-labelledby="open-heading">
      <h1 id="open-heading">Open in {p.workspace}</h1>
      <p>
        This link leads to a page of <strong>{p.workspace}</strong>. This browser is working in{" "}
        <strong>{p.current}</strong>.
      </p>
      <form method="post" action="/app/workspaces/switch">
        <input type="hidden" name="tenant_id" value={p.tenantId} />
        <input type="hidden" name="next" value={p.to} />
        <button type="submit">Switch to {p.workspace} and open it</button>
      </form>
      <p>
        <a href="/app">Stay in {p.current}</a>
      </p>
    </section>
  );
}
