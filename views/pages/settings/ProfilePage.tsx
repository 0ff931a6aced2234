import { Checkbox, Field, FormAlert } from "../../components/Field";
import { SettingsNav } from "./SettingsNav";

export interface ProfilePageProps {
  email: string;
  verified: boolean;
  canSeeAudit: boolean;
  canSeeBilling?: boolean;
  values: { email?: string };
  errors: Record<string, string>;
  notice?: string;
}

/** The user's own account: email (with confirmation of a new address) and leaving for good. */
export function ProfilePage(p: ProfilePageProps) {
  return (
    <div class="stack">
      <h1>Profile</h1>
      <SettingsNav current="profile" canSeeAudit={p.canSeeAudit} canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <section class="card" aria-labelledby="email-heading">
        <h2 id="email-heading">Email address</h2>
        <p>
          Your address is <strong>{p.email}</strong> ({p.verified ? "confirmed" : "not confirmed yet"}).
        </p>
        <p class="muted">To change it, we send a link to the new address; the change happens when you open it. We also tell your current address.</p>
        <form class="stack" method="post" action="/app/settings/profile/email" novalidate>
          <Field name="email" label="New email address" type="email" autocomplete="email" required maxlength={254} value={p.values.email} error={p.errors.email} />
          <Field name="password" label="Current password" type="password" autocomplete="current-password" required maxlength={256} error={p.errors.password} />
          <button type="submit">Send confirmation link</button>
        </form>
      </section>
      <section class="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p>
          This deletes your login, your sessions and your personal details. What you wrote in your workspaces stays there,
          shown as written by a former member. Owners must transfer ownership first.
        </p>
        {p.errors.delete_form ? <FormAlert>{p.errors.delete_form}</FormAlert> : null}
        <form class="stack" method="post" action="/app/settings/profile/delete" novalidate>
          <Field name="delete_password" label="Current password" type="password" autocomplete="current-password" required maxlength={256} error={p.errors.delete_password} />
          <Checkbox name="confirm_delete" error={p.errors.confirm_delete}>
            I understand that this cannot be undone.
          </Checkbox>
          <button type="submit" class="danger">
            Delete my account
          </button>
        </form>
      </section>
    </div>
  );
}
