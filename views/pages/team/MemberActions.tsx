import { RoleSelect } from "./RoleSelect";

/** "1 API key" / "3 API keys". */
export const apiKeysText = (n: number) => (n === 1 ? "1 API key" : `${n} API keys`);

/**
 * The box that revokes, in the same change, the working API keys someone made (ticked by default: keys belong to
 * the workspace and outlive their maker, so leaving them working must be a choice). Nothing when there are none.
 */
export function RevokeKeysBox(p: { id: string; count: number; whose: "they" | "you"; when?: string }) {
  if (p.count === 0) return null;
  const keys = p.count === 1 ? "the API key" : `the ${p.count} API keys`;
  return (
    <label class="check" for={p.id}>
      <input id={p.id} type="checkbox" name="revoke_keys" value="on" checked />
      <span>
        {p.when ?? ""}Also revoke {keys} {p.whose} created (<a href="/app/settings/api">Settings → API</a>)
      </span>
    </label>
  );
}

export interface ManagedMember {
  userId: string;
  email: string;
  role: string;
  manageable: boolean;
  /** Working API keys this member made. */
  liveKeys: number;
}

/** An admin's controls for one member: change the role, remove; or why they cannot. */
export function MemberActions(p: { member: ManagedMember; tenantName: string }) {
  const member = p.member;
  if (!member.manageable)
    return (
      <td>
        <span class="muted">
          {member.role === "owner" ? "Owner (change by transfer)" : "Only the owner can change this"}
        </span>
      </td>
    );
  const keys = member.liveKeys;
  const keysWarning =
    keys > 0 ? ` ${apiKeysText(keys)} they made still work unless the box beside Remove is ticked.` : "";
  return (
    <td>
      <div class="actions">
        <form class="inline-form" method="post" action={`/app/settings/team/members/${member.userId}/role`}>
          <RoleSelect id={`role-${member.userId}`} label={`Role of ${member.email}`} value={member.role} compact />{" "}
          {member.role === "admin" ? (
            <RevokeKeysBox id={`demote-keys-${member.userId}`} count={keys} whose="they" when="If no longer admin: " />
          ) : null}
          <button type="submit" class="secondary">
            Change role
          </button>
        </form>
        <form
          class="inline-form"
          method="post"
          action={`/app/settings/team/members/${member.userId}/remove`}
          hx-confirm={`Remove ${member.email} from ${p.tenantName}? They can no longer sign in to it.${keysWarning}`}
        >
          <RevokeKeysBox id={`remove-keys-${member.userId}`} count={keys} whose="they" />
          <button type="submit" class="secondary" aria-label={`Remove ${member.email}`}>
            Remove
          </button>
        </form>
      </div>
    </td>
  );
}

/** Leaving the workspace: anyone but the owner, who is told to hand ownership over first. */
export function LeaveCard(p: { tenantName: string; isOwner: boolean; liveKeys: number }) {
  return (
    <section class="card" aria-labelledby="leave-heading">
      <h2 id="leave-heading">Leave {p.tenantName}</h2>
      {p.isOwner ? (
        <p class="muted">
          You own this workspace, so you cannot leave it. Transfer ownership to another member first; then you can leave
          as an admin.
        </p>
      ) : (
        <>
          <p class="muted">
            You lose access to {p.tenantName} at once; your tasks here pass to its owner. Your account and your other
            workspaces stay as they are.
          </p>
          <form
            class="stack"
            method="post"
            action="/app/settings/team/leave"
            hx-confirm={`Leave ${p.tenantName}? You lose access to it at once, and only an invitation brings you back.`}
          >
            <RevokeKeysBox id="leave-keys" count={p.liveKeys} whose="you" />
            <button type="submit" class="secondary">
              Leave {p.tenantName}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
