import { Card } from "../../components/Card";
import type { Child } from "hono/jsx";
import { CurrentPasswordField, FormAlert, EmailField } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { SelectField } from "../companies/FormFields";
import { RoleSelect } from "./RoleSelect";
import { apiKeysText, LeaveCard, MemberActions } from "./MemberActions";
import { Time, TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { SettingsNav } from "../settings/SettingsNav";

export interface TeamMemberRow {
  userId: string;
  email: string;
  role: string;
  joinedAt: number;
  /** Whether the viewer may change this member's role or remove them (decided by the service's rule). */
  manageable: boolean;
  /** Working API keys this member made (shown to admins, with the box that revokes them). */
  liveKeys: number;
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
  removed: "Member removed. They can no longer sign in to this workspace.",
  transferred: "Ownership transferred. You are now an admin of this workspace.",
} as const;
export type TeamNotice = keyof typeof TEAM_NOTICES;

/** What an admin can do to a pending invitation: the last path segment and the button's word. */
const INVITATION_ACTIONS = [
  { path: "resend", button: "Resend" },
  { path: "revoke", button: "Revoke" },
] as const;

export interface TeamPageProps {
  tenantName: string;
  me: { userId: string; isAdmin: boolean; isOwner: boolean; verified: boolean; liveKeys: number };
  members: TeamMemberRow[];
  invitations: TeamInvitationRow[];
  now: number;
  notice?: TeamNotice | null;
  /** After a removal or demotion: the API keys the person made that were revoked with it, or that still work. */
  keysNotice?: { live: number; revoked: number } | null;
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
  const actionsColumn = p.me.isAdmin ? ["Actions"] : [];
  return (
    <div class="stack">
      <h1>Team</h1>
      <SettingsNav current="team" canSeeAudit={p.me.isAdmin || p.me.isOwner} canSeeBilling={p.me.isOwner} />
      <p class="muted">Who can use {p.tenantName}, and what they may do.</p>
      {p.notice ? (
        <FormAlert kind="ok">
          {TEAM_NOTICES[p.notice]}
          {p.keysNotice ? <KeysNotice {...p.keysNotice} /> : null}
        </FormAlert>
      ) : null}
      {p.alert ? <FormAlert>{p.alert}</FormAlert> : null}

      <Card id="members" title="Members">
        <table>
          <TableHead columns={["Email", "Role", "Joined", ...actionsColumn]} />
          <tbody>
            {p.members.map((m) => (
              <tr>
                <td>
                  {m.email}
                  {m.userId === p.me.userId ? <span class="muted"> (you)</span> : null}
                </td>
                <td data-label="Role">{m.role}</td>
                <TimeCell ms={m.joinedAt} label="Joined" />
                {p.me.isAdmin ? <MemberActions member={m} tenantName={p.tenantName} /> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card id="invitations" title="Pending invitations">
        {p.invitations.length === 0 ? (
          <p class="muted">No pending invitations.</p>
        ) : (
          <table>
            <TableHead columns={["Email", "Role", "Expires", "Invited by", ...actionsColumn]} />
            <tbody>
              {p.invitations.map((i) => (
                <tr>
                  <td>{i.email}</td>
                  <td data-label="Role">{i.role}</td>
                  <td data-label="Expires">
                    {i.expiresAt <= p.now ? <strong>Expired</strong> : <Time ms={i.expiresAt} />}
                  </td>
                  <td data-label="Invited by">{i.invitedByEmail ?? <span class="muted">a former member</span>}</td>
                  {p.me.isAdmin ? <InvitationActions invitation={i} /> : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      {p.me.isAdmin ? (
        <Card id="invite" title="Invite someone">
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
        </Card>
      ) : null}

      {p.me.isOwner && others.length > 0 ? (
        <Card id="transfer" title="Transfer ownership">
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
            <SelectField
              name="user_id"
              label="New owner"
              value={transfer.userId}
              options={others.map((m) => ({ value: m.userId, label: `${m.email} (${m.role})` }))}
              error={transfer.errors.user_id}
            />
            <CurrentPasswordField
              label="Your password"
              hint="To make sure it is really you."
              error={transfer.errors.password}
            />
            <button type="submit">Transfer ownership</button>
          </form>
        </Card>
      ) : null}

      <LeaveCard tenantName={p.tenantName} isOwner={p.me.isOwner} liveKeys={p.me.liveKeys} />
    </div>
  );
}

/** What became of the API keys of the person just removed or demoted: revoked, or still working (and where to go). */
function KeysNotice(p: { live: number; revoked: number }) {
  if (p.live > 0)
    return (
      <>
        {" "}
        {apiKeysText(p.live)} they created still {p.live === 1 ? "works" : "work"}: review or revoke{" "}
        {p.live === 1 ? "it" : "them"} in <a href="/app/settings/api">Settings → API</a>.
      </>
    );
  return (
    <>
      {" "}
      {p.revoked === 1
        ? "The API key they created was revoked."
        : `The ${p.revoked} API keys they created were revoked.`}
    </>
  );
}

/** An admin's buttons for one pending invitation. */
function InvitationActions(p: { invitation: TeamInvitationRow }) {
  return (
    <td>
      <div class="actions">
        {INVITATION_ACTIONS.map((a) => (
          <InlinePostButton
            action={`/app/settings/team/invitations/${p.invitation.id}/${a.path}`}
            label={`${a.button} the invitation to ${p.invitation.email}`}
          >
            {a.button}
          </InlinePostButton>
        ))}
      </div>
    </td>
  );
}
