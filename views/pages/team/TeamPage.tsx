import type { Child } from "hono/jsx";
import { Field, FormAlert, EmailField } from "../../components/Field";
import { RoleSelect } from "./RoleSelect";
import { Time } from "../../components/Time";

export interface TeamMemberRow {
  userId: string;
  email: string;
  role: string;
  joinedAt: number;
  /** Whether the viewer may change this member's role or remove them (decided by the service's rule). */
  manageable: boolean;
}

export interface TeamInvitationRow {
  id: string;
  email: string;
  role: string;
  expiresAt: number;
  invitedByEmail: string | null;
}

/** Confirmations after a redirect, by key, so no user input is echoed from the URL. */
export const TEAM_NOTICES = {
  invited: "Invitation sent.",
  resent: "Invitation sent again. The earlier link no longer works.",
  revoked: "Invitation revoked. Its link no longer works.",
  role_changed: "Role changed.",
  removed: "Member removed. They lost access to this workspace at once.",
  transferred: "Ownership transferred. You are now an admin of this workspace.",
} as const;
export type TeamNotice = keyof typeof TEAM_NOTICES;

export interface TeamPageProps {
  tenantName: string;
  me: { userId: string; isAdmin: boolean; isOwner: boolean; verified: boolean };
  members: TeamMemberRow[];
  invitations: TeamInvitationRow[];
  now: number;
  notice?: TeamNotice | null;
  /** A page-level refusal (a rule, not a field); may carry a link, e.g. to upgrade. */
  alert?: Child | null;
  invite?: { values: { email?: string; role?: string }; errors: Record<string, string> };
  transfer?: { userId?: string; errors: Record<string, string> };
}

/** The team settings page: members, pending invitations, and for admins the forms that manage them. */
export function TeamPage(p: TeamPageProps) {
  const invite = p.invite ?? { values: {}, errors: {} };
  const transfer = p.transfer ?? { errors: {} };
  const others = p.members.filter((m) => m.userId !== p.me.userId);
  return (
    <div class="stack">
      <h1>Team</h1>
      <p class="muted">Who can use {p.tenantName}, and what they may do.</p>
      {p.notice ? <FormAlert kind="ok">{TEAM_NOTICES[p.notice]}</FormAlert> : null}
      {p.alert ? <FormAlert>{p.alert}</FormAlert> : null}

      <section class="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {p.me.isAdmin ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <tr>
                <td>
                  {m.email}
                  {m.userId === p.me.userId ? <span class="muted"> (you)</span> : null}
                </td>
                <td data-label="Role">{m.role}</td>
                <td data-label="Joined">
                  <Time ms={m.joinedAt} />
                </td>
                {p.me.isAdmin ? (
                  <td>
                    {m.manageable ? (
                      <div class="actions">
                        <form class="inline-form" method="post" action={`/app/settings/team/members/${m.userId}/role`}>
                          <RoleSelect id={`role-${m.userId}`} label={`Role of ${m.email}`} value={m.role} compact />{" "}
                          <button type="submit" class="secondary">
                            Change role
                          </button>
                        </form>
                        <form
                          class="inline-form"
                          method="post"
                          action={`/app/settings/team/members/${m.userId}/remove`}
                          hx-confirm={`Remove ${m.email} from ${p.tenantName}? They lose access at once.`}
                        >
                          <button type="submit" class="secondary" aria-label={`Remove ${m.email}`}>
                            Remove
                          </button>
                        </form>
                      </div>
                    ) : (
                      <span class="muted">
                        {m.role === "owner" ? "Owner (change by transfer)" : "Only the owner can change this"}
                      </span>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Pending invitations</h2>
        {p.invitations.length === 0 ? (
          <p class="muted">No pending invitations.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">Invited by</th>
                {p.me.isAdmin ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {p.invitations.map((i) => (
                <tr>
                  <td>{i.email}</td>
                  <td data-label="Role">{i.role}</td>
                  <td data-label="Expires">
                    {i.expiresAt <= p.now ? <strong>Expired</strong> : <Time ms={i.expiresAt} />}
                  </td>
                  <td data-label="Invited by">{i.invitedByEmail ?? <span class="muted">a former member</span>}</td>
                  {p.me.isAdmin ? (
                    <td>
                      <div class="actions">
                        <form
                          class="inline-form"
                          method="post"
                          action={`/app/settings/team/invitations/${i.id}/resend`}
                        >
                          <button type="submit" class="secondary" aria-label={`Resend the invitation to ${i.email}`}>
                            Resend
                          </button>
                        </form>
                        <form
                          class="inline-form"
                          method="post"
                          action={`/app/settings/team/invitations/${i.id}/revoke`}
                        >
                          <button type="submit" class="secondary" aria-label={`Revoke the invitation to ${i.email}`}>
                            Revoke
                          </button>
                        </form>
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {p.me.isAdmin ? (
        <section class="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite someone</h2>
          {p.me.verified ? null : (
            <FormAlert kind="warn">
              <p>Confirm your email address before inviting anyone: we sent you a link when you signed up.</p>
            </FormAlert>
          )}
          <p class="muted">They get an email with a link that works for 7 days.</p>
          <form class="stack" method="post" action="/app/settings/team/invitations" novalidate>
            <EmailField
              label="Email address"
              autocomplete="off"
              value={invite.values.email}
              error={invite.errors.email}
            />
            <RoleSelect id="f-role" label="Role" value={invite.values.role ?? "member"} error={invite.errors.role} />
            <button type="submit">Send invitation</button>
          </form>
        </section>
      ) : null}

      {p.me.isOwner && others.length > 0 ? (
        <section class="card" aria-labelledby="transfer-heading">
          <h2 id="transfer-heading">Transfer ownership</h2>
          <p class="muted">
            The new owner gets full control, including billing and this form. You stay on as an admin. A workspace
            always has exactly one owner.
          </p>
          <form
            class="stack"
            method="post"
            action="/app/settings/team/transfer"
            novalidate
            hx-confirm={`Hand ownership of ${p.tenantName} to another member? You will become an admin.`}
          >
            <div class="field">
              <label for="f-user_id">New owner</label>
              <select
                id="f-user_id"
                name="user_id"
                aria-invalid={transfer.errors.user_id ? "true" : undefined}
                aria-describedby={transfer.errors.user_id ? "f-user_id-error" : undefined}
              >
                {others.map((m) => (
                  <option value={m.userId} selected={transfer.userId === m.userId}>
                    {m.email} ({m.role})
                  </option>
                ))}
              </select>
              {transfer.errors.user_id ? (
                <p class="field-error" id="f-user_id-error">
                  {transfer.errors.user_id}
                </p>
              ) : null}
            </div>
            <Field
              name="password"
              label="Your password"
              type="password"
              autocomplete="current-password"
              required
              maxlength={256}
              hint="To make sure it is really you."
              error={transfer.errors.password}
            />
            <button type="submit">Transfer ownership</button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
