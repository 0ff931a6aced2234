import { Card } from "../../components/Card";
import { FormAlert, NewPasswordField, CurrentPasswordField } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { SettingsNav } from "./SettingsNav";
import { TimeCell } from "../../components/Time";

export interface SessionRow {
  id: string;
  device: string;
  ip: string | null;
  tenantName: string;
  createdAt: number;
  lastActiveAt: number;
  current: boolean;
}

export interface SecurityPageProps {
  sessions: SessionRow[];
  errors: Record<string, string>;
  notice?: string;
  canSeeAudit: boolean;
  canSeeBilling?: boolean;
}

/** Password change and the list of the user's sessions, each of which can be ended. */
export function SecurityPage(p: SecurityPageProps) {
  const others = p.sessions.filter((s) => !s.current).length;
  return (
    <div class="stack">
      <h1>Security</h1>
      <SettingsNav current="security" canSeeAudit={p.canSeeAudit} canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <Card id="password" title="Change your password">
        <p class="muted">Your other sessions are signed out when you change it.</p>
        <form class="stack" method="post" action="/app/settings/security/password" novalidate>
          <CurrentPasswordField name="current_password" error={p.errors.current_password} />
          <NewPasswordField name="new_password" label="New password" error={p.errors.new_password} />
          <button type="submit">Change password</button>
        </form>
      </Card>
      <Card id="sessions" title="Where you are signed in">
        <table>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
              <th scope="col">Workspace</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.sessions.map((s) => (
              <tr id={`session-${s.id}`}>
                <td>
                  {s.device}
                  {s.current ? <strong> (this device)</strong> : null}
                </td>
                <td data-label="IP address">{s.ip ?? "unknown"}</td>
                <td data-label="Workspace">{s.tenantName}</td>
                <TimeCell ms={s.createdAt} precision="minute" label="Signed in" />
                <TimeCell ms={s.lastActiveAt} precision="minute" label="Last active" />
                <td>
                  {s.current ? null : (
                    <InlinePostButton
                      action={`/app/settings/security/sessions/${s.id}/revoke`}
                      label={`Sign out ${s.device}`}
                    >
                      Sign out
                    </InlinePostButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {others > 0 ? (
          <form method="post" action="/app/settings/security/sessions/revoke-others">
            <button type="submit" class="secondary">
              Sign out all other sessions ({others})
            </button>
          </form>
        ) : null}
      </Card>
    </div>
  );
}
