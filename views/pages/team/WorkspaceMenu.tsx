import { InlinePostButton } from "../../components/InlinePostButton";

export interface WorkspaceMenuRow {
  tenantId: string;
  name: string;
  current: boolean;
  closed: boolean;
}

/** The header's workspace switcher (loaded when the account menu first opens): switch, see closed ones, create. */
export function WorkspaceMenu(p: { workspaces: WorkspaceMenuRow[] }) {
  return (
    <>
      <ul class="workspace-menu" aria-label="Your workspaces">
        {p.workspaces.map((w) =>
          w.current ? (
            <li aria-current="true">
              <strong>{w.name}</strong> <span class="muted">(current)</span>
            </li>
          ) : w.closed ? (
            <li>
              <a href="/app/workspaces">{w.name}</a> <span class="muted">(closed)</span>
            </li>
          ) : (
            <li>
              <InlinePostButton
                action="/app/workspaces/switch"
                hidden={{ tenant_id: w.tenantId }}
                buttonClass="link"
                label={`Switch to ${w.name}`}
              >
                {w.name}
              </InlinePostButton>
            </li>
          ),
        )}
      </ul>
      <a href="/app/workspaces">Workspaces</a>
      <a href="/app/workspaces#create-workspace-heading">Create a workspace</a>
    </>
  );
}
