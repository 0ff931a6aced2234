import { Card } from "../../components/Card";
import { Checkbox, CurrentPasswordField, FormAlert } from "../../components/Field";
import { SettingsNav } from "./SettingsNav";

export interface CloseWorkspacePageProps {
  tenantName: string;
  graceDays: number;
  /** The date erasure would begin if closed now, as text. */
  eraseOn: string;
  /** The workspace pays for a plan that closing cancels. */
  paid: boolean;
  memberCount: number;
  ledgerYears: number;
  errors: Record<string, string>;
  /** A page-level problem (Stripe unreachable, too many attempts). */
  alert?: string | null;
}

/** The owner's confirmation page: what closing does, then their password and an explicit tick. */
export function CloseWorkspacePage(p: CloseWorkspacePageProps) {
  const others = p.memberCount - 1;
  return (
    <div class="stack">
      <h1>Close this workspace</h1>
      <SettingsNav current="workspace" canSeeAudit canSeeBilling />
      {p.alert ? <FormAlert>{p.alert}</FormAlert> : null}
      <Card id="close" title={`Closing ${p.tenantName}`}>
        <p>When you close the workspace:</p>
        <ul>
          <li>
            everyone is signed out of it at once
            {others > 0 ? ` (you and ${others} other ${others === 1 ? "member" : "members"})` : ""}, and nobody can open
            it any more. Members who belong to other workspaces keep those;
          </li>
          <li>
            {p.paid
              ? "the subscription is cancelled at Stripe, with no further payments;"
              : "there is no subscription to cancel; the workspace is on the Free plan;"}
          </li>
          <li>
            we email you a link that reopens it. It works once, until <strong>{p.eraseOn}</strong> ({p.graceDays} days).
            A reopened workspace is on the Free plan;
          </li>
          <li>
            after that, everything in it is erased for good: contacts, companies, notes, files, the audit trail, and the
            accounts of members who belong to no other workspace. We keep only a billing ledger the law requires
            (invoice references, amounts and dates; no contact data) for {p.ledgerYears} years.
          </li>
        </ul>
        <p>
          If you want a copy of your data, export it first: <a href="/app/export">Export</a>.
        </p>
        <form class="stack" method="post" action="/app/settings/close">
          <CurrentPasswordField
            label="Your password"
            maxlength={1024}
            error={p.errors.password}
            hint="Enter it again to confirm that it is you."
          />
          <Checkbox name="confirm_close" error={p.errors.confirm_close}>
            I understand that {p.tenantName} will be closed now and erased unless I reopen it before {p.eraseOn}.
          </Checkbox>
          <div class="actions">
            <button type="submit" class="danger">
              Close the workspace
            </button>
            <a href="/app/settings/workspace">Keep it open</a>
          </div>
        </form>
      </Card>
    </div>
  );
}
