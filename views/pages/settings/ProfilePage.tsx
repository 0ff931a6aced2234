import { Card } from "../../components/Card";
import { Checkbox, CompanyNameField, Field, FormAlert, CurrentPasswordField, EmailField } from "../../components/Field";
import { TimeZoneCard } from "./TimeZoneCard";
import { LocaleCard } from "./LocaleCard";
import { CalendarFeedCard, type CalendarFeedCardProps } from "./CalendarFeedCard";
import { Time, TimeCell } from "../../components/Time";
import { SettingsNav } from "./SettingsNav";
import { TableHead } from "../../components/TableHead";

export interface ProfileAuditEntry {
  id: number;
  workspace: string | null;
  description: string;
  by: string;
  target: string | null;
  ip: string | null;
  createdAt: number;
}

export interface ProfileData {
  name: string | null;
  createdAt: number;
  workspaces: { id: string; name: string; role: string; since: number }[];
  sessions: { device: string; ip: string | null; lastActiveAt: number; current: boolean }[];
  audit: ProfileAuditEntry[];
  consent: { analytics: string; policyVersion: string; createdAt: number }[];
  emailPreferences: {
    digest: boolean;
    news: boolean;
    reminders: boolean;
    agenda: boolean;
    mentions: boolean;
    updatedAt: number | null;
  };
}

export interface ProfilePageProps {
  email: string;
  verified: boolean;
  canSeeAudit: boolean;
  canSeeBilling?: boolean;
  values: { email?: string; name?: string; company_name?: string };
  errors: Record<string, string>;
  notice?: string;
  userId: string;
  profile: ProfileData;
  /** The workspace the user is working in: its name, which the owner may correct here. */
  workspace: { name: string; role: string };
  timeZone: { chosen: string | null; workspaceZone: string; zones: string[]; error?: string };
  locale: Parameters<typeof LocaleCard>[0];
  calendarFeed: CalendarFeedCardProps;
}

/**
 * The user's own account: what we hold about them and how to correct it (name, email with
 * confirmation of a new address, the company name for owners), their email preferences, and leaving
 * for good. Everything listed here, and more, is in "Download my data".
 */
export function ProfilePage(p: ProfilePageProps) {
  const d = p.profile;
  const isOwner = p.workspace.role === "owner";
  const current = d.sessions.find((s) => s.current);
  return (
    <div class="stack">
      <h1>Profile</h1>
      <SettingsNav current="profile" canSeeAudit={p.canSeeAudit} canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind="ok">{p.notice}</FormAlert> : null}
      <p class="muted">
        This page shows the personal information we hold about you, and lets you correct it. A copy of all of it, in
        files you can keep, is one click away in <a href="/app/settings/privacy">Privacy, Download my data</a>.
      </p>

      <Card id="name" title="Your name">
        <p class="muted">Optional. Shown to you; you can leave it empty.</p>
        <form class="stack" method="post" action="/app/settings/profile/name" novalidate>
          <Field
            name="name"
            label="Name"
            autocomplete="name"
            maxlength={100}
            value={p.values.name ?? d.name ?? ""}
            error={p.errors.name}
          />
          <button type="submit">Save name</button>
        </form>
      </Card>
      <TimeZoneCard {...p.timeZone} />
      <LocaleCard {...p.locale} />
      <CalendarFeedCard {...p.calendarFeed} />

      <Card id="email" title="Email address">
        <p>
          Your address is <strong>{p.email}</strong> ({p.verified ? "confirmed" : "not confirmed yet"}).
        </p>
        <p class="muted">
          To change it, we send a link to the new address; the change happens when you open it. We also tell your
          current address.
        </p>
        <form class="stack" method="post" action="/app/settings/profile/email" novalidate>
          <EmailField label="New email address" value={p.values.email} error={p.errors.email} />
          <CurrentPasswordField error={p.errors.password} />
          <button type="submit">Send confirmation link</button>
        </form>
      </Card>

      <Card id="company" title="Company">
        {isOwner ? (
          <form class="stack" method="post" action="/app/settings/profile/company" novalidate>
            <CompanyNameField value={p.values.company_name ?? p.workspace.name} error={p.errors.company_name} />
            <button type="submit">Save company name</button>
          </form>
        ) : (
          <p>
            You work in <strong>{p.workspace.name}</strong> as {p.workspace.role === "admin" ? "an" : "a"}{" "}
            {p.workspace.role}. Its owner can correct its name.
          </p>
        )}
      </Card>

      <section class="card" aria-labelledby="email-preferences-heading" id="email-preferences">
        <h2 id="email-preferences-heading">Email preferences</h2>
        <p class="muted">
          Essential email about your account (security, sign-in and confirmation links, invitations, billing) is always
          sent and says so. These are the optional ones; each also has a one-click unsubscribe link.
        </p>
        {p.verified ? null : (
          <p class="flash warn" id="email-preferences-paused">
            Paused until you confirm your address: we send none of these to {p.email} before you open the link we
            emailed you. Your choices here are kept and apply from then on.
          </p>
        )}
        <form class="stack" method="post" action="/app/settings/profile/email-preferences">
          <div class="field">
            <label class="check" for="f-digest">
              <input id="f-digest" type="checkbox" name="digest" value="on" checked={d.emailPreferences.digest} />
              <span>
                Weekly activity digest: on Mondays, how many contacts, companies and notes your workspaces added the
                week before (counts only)
              </span>
            </label>
          </div>
          <div class="field">
            <label class="check" for="f-news">
              <input id="f-news" type="checkbox" name="news" value="on" checked={d.emailPreferences.news} />
              <span>Product news: new features, now and then</span>
            </label>
          </div>
          <div class="field">
            <label class="check" for="f-reminders">
              <input
                id="f-reminders"
                type="checkbox"
                name="reminders"
                value="on"
                checked={d.emailPreferences.reminders}
              />
              <span>Task reminders by email (the bell in the app shows them either way)</span>
            </label>
          </div>
          <div class="field">
            <label class="check" for="f-agenda">
              <input id="f-agenda" type="checkbox" name="agenda" value="on" checked={d.emailPreferences.agenda} />
              <span>Daily agenda at 07:00: your tasks due that day and the overdue ones, in each workspace</span>
            </label>
          </div>
          <div class="field">
            <label class="check" for="f-mentions">
              <input id="f-mentions" type="checkbox" name="mentions" value="on" checked={d.emailPreferences.mentions} />
              <span>When a colleague @mentions you in a note (the bell in the app shows it either way)</span>
            </label>
          </div>
          <button type="submit">Save email preferences</button>
        </form>
      </section>

      <Card id="held" title="What else we hold about you">
        <h3>Your account</h3>
        <p>
          Created <Time ms={d.createdAt} />. Your password is kept only as a hash nobody can read.
        </p>
        <h3>Workspaces</h3>
        <ul>
          {d.workspaces.map((w) => (
            <li>
              {w.name}: {w.role}, since <Time ms={w.since} />
            </li>
          ))}
        </ul>
        <h3>Sessions</h3>
        <p>
          {d.sessions.length === 1 ? "1 signed-in session" : `${d.sessions.length} signed-in sessions`}
          {current ? (
            <>
              {" "}
              (this one: {current.device}
              {current.ip ? `, ${current.ip}` : ""}).
            </>
          ) : (
            "."
          )}{" "}
          For each we keep when it began and was last active, its IP address and browser.{" "}
          <a href="/app/settings/security">See and end your sessions</a>.
        </p>
        <h3>Audit entries about you</h3>
        {d.audit.length ? (
          <table>
            <caption class="muted">The {d.audit.length} most recent</caption>
            <TableHead columns={["When", "Workspace", "What", "By", "IP address"]} />
            <tbody>
              {d.audit.map((e) => (
                <tr>
                  <TimeCell ms={e.createdAt} precision="minute" />
                  <td data-label="Workspace">{e.workspace ?? ""}</td>
                  <td data-label="What">
                    {e.description}
                    {e.target ? <span class="muted"> ({e.target})</span> : null}
                  </td>
                  <td data-label="By">{e.by}</td>
                  <td data-label="IP address">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>None yet.</p>
        )}
        <p class="muted">
          Every entry about you is in <a href="/app/settings/privacy">Download my data</a>
          {p.canSeeAudit ? (
            <>
              ; your own actions are also in the workspace's{" "}
              <a href={`/app/settings/audit?actor=${encodeURIComponent(p.userId)}`}>audit trail</a>
            </>
          ) : null}
          .
        </p>
        <h3>Cookie choices</h3>
        {d.consent.length ? (
          <ul>
            {d.consent.map((r) => (
              <li>
                Analytics cookies {r.analytics} on <Time ms={r.createdAt} precision="minute" /> (cookie policy of{" "}
                {r.policyVersion})
              </li>
            ))}
          </ul>
        ) : (
          <p>You have made no cookie choice while signed in.</p>
        )}
        <p class="muted">
          Change your choice under <a href="/cookies#cookie-settings">Cookie settings</a>.
        </p>
        <h3>Email preferences</h3>
        <p>
          Weekly digest {d.emailPreferences.digest ? "on" : "off"}, product news{" "}
          {d.emailPreferences.news ? "on" : "off"}, task reminders by email{" "}
          {d.emailPreferences.reminders ? "on" : "off"}, daily agenda {d.emailPreferences.agenda ? "on" : "off"},
          mentions by email {d.emailPreferences.mentions ? "on" : "off"}
          {d.emailPreferences.updatedAt ? (
            <>
              {" "}
              (last changed <Time ms={d.emailPreferences.updatedAt} precision="minute" />)
            </>
          ) : (
            " (as they were when you signed up)"
          )}
          .
        </p>
        <h3>Calendar feed of this workspace</h3>
        <p>
          {p.calendarFeed.feed ? (
            <>
              On since <Time ms={p.calendarFeed.feed.createdAt} precision="minute" />. We keep only a fingerprint of its
              address and when a calendar last read it (at most hourly).
            </>
          ) : (
            "Off."
          )}
        </p>
      </Card>

      <Card id="delete" title="Delete your account">
        <p>
          This deletes your login, your sessions and your personal details. What you wrote in your workspaces stays
          there, shown as written by a former member. Owners must transfer ownership first.
        </p>
        {p.errors.delete_form ? <FormAlert>{p.errors.delete_form}</FormAlert> : null}
        <form class="stack" method="post" action="/app/settings/profile/delete" novalidate>
          <CurrentPasswordField name="delete_password" error={p.errors.delete_password} />
          <Checkbox name="confirm_delete" error={p.errors.confirm_delete}>
            I understand that this cannot be undone.
          </Checkbox>
          <button type="submit" class="danger">
            Delete my account
          </button>
        </form>
      </Card>
    </div>
  );
}
