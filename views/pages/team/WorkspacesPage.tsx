import { Field, FormAlert } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";

export interface WorkspaceRow {
  tenantId: string;
  name: string;
  role: string;
  current: boolean;
  /** Set for a closed workspace: when it is erased, whether that has begun, and whether this user may reopen it. */
  closed: { eraseOn: string | null; erasing: boolean; canReopen: boolean } | null;
}

export type WorkspacesNotice =
  | { kind: "moved"; to: string }
  | { kind: "left"; to: string }
  | { kind: "closed" }
  | { kind: "not_reopenable" }
  | { kind: "rate_limited"; minutes: number }
  | { kind: "link_sent"; email: string };

function noticeText(n: WorkspacesNotice): string {
  switch (n.kind) {
    case "moved":
      return `The workspace you were in is closed, so you are now working in ${n.to}.`;
    case "left":
      return `You have left that workspace. You are now working in ${n.to}.`;
    case "closed":
      return "That workspace is closed: nothing in it can be opened until its owner reopens it.";
    case "not_reopenable":
      return "That workspace can no longer be reopened: its erasure has begun.";
    case "rate_limited":
      return `We have sent several links already. Try again in ${n.minutes} minute${n.minutes === 1 ? "" : "s"}, or use the last link we sent.`;
    case "link_sent":
      return `We have emailed a new reopen link to ${n.email}. Links sent before no longer work.`;
  }
}

function ClosedState(p: { w: WorkspaceRow }) {
  const closed = p.w.closed!;
  if (closed.erasing) return <span>Closed; its data is being erased.</span>;
  return (
    <>
      <span>
        Closed. {closed.eraseOn ? `Erased unless reopened before ${closed.eraseOn}.` : null}{" "}
        {closed.canReopen ? null : "Only its owner can reopen it."}
      </span>
      {closed.canReopen ? (
        <InlinePostButton
          action={`/app/workspaces/${p.w.tenantId}/reopen-link`}
          label={`Email me a link to reopen ${p.w.name}`}
        >
          Email me a reopen link
        </InlinePostButton>
      ) : null}
    </>
  );
}

/** The workspaces the user belongs to: a switch for each open one they are not in, what to do about a closed one. */
export function WorkspacesPage(p: {
  workspaces: WorkspaceRow[];
  notice?: WorkspacesNotice | null;
  /** The create form's value and error, when it was sent back. */
  create?: { name?: string; error?: string };
}) {
  const good = p.notice?.kind === "link_sent" || p.notice?.kind === "moved" || p.notice?.kind === "left";
  return (
    <section class="card" aria-labelledby="workspaces-heading">
      <h1 id="workspaces-heading">Workspaces</h1>
      {p.notice ? <FormAlert kind={good ? "ok" : "error"}>{noticeText(p.notice)}</FormAlert> : null}
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
              <td data-label="Your role">{w.role}</td>
              <td>
                {w.closed ? (
                  <ClosedState w={w} />
                ) : w.current ? (
                  <strong aria-current="true">Current workspace</strong>
                ) : (
                  <InlinePostButton
                    action="/app/workspaces/switch"
                    hidden={{ tenant_id: w.tenantId }}
                    label={`Switch to ${w.name}`}
                  >
                    Switch
                  </InlinePostButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="create-workspace-heading">Create a workspace</h2>
      <p class="muted">A new, empty workspace on the Free plan, with you as its owner. This browser moves into it.</p>
      <form class="stack" method="post" action="/app/workspaces" aria-labelledby="create-workspace-heading">
        <Field
          name="name"
          label="Workspace name"
          hint="Usually your company's or team's name."
          required
          maxlength={100}
          value={p.create?.name}
          error={p.create?.error}
        />
        <button type="submit">Create workspace</button>
      </form>
    </section>
  );
}
