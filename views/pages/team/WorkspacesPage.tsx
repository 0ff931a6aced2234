export interface WorkspaceRow {
  tenantId: string;
  name: string;
  role: string;
  current: boolean;
}

/** The workspaces the user belongs to, with a switch for each one they are not in right now. */
export function WorkspacesPage(p: { workspaces: WorkspaceRow[] }) {
  return (
    <section class="card" aria-labelledby="workspaces-heading">
      <h1 id="workspaces-heading">Workspaces</h1>
      <p class="muted">You can belong to several workspaces. Switching changes which one this browser works in.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Workspace</th>
            <th scope="col">Your role</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.workspaces.map((w) => (
            <tr>
              <td>{w.name}</td>
              <td>{w.role}</td>
              <td>
                {w.current ? (
                  <strong aria-current="true">Current workspace</strong>
                ) : (
                  <form class="inline-form" method="post" action="/app/workspaces/switch">
                    <input type="hidden" name="tenant_id" value={w.tenantId} />
                    <button type="submit" class="secondary" aria-label={`Switch to ${w.name}`}>
                      Switch
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
