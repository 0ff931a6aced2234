import { Card } from "../../components/Card";
import { Field, FormAlert } from "../../components/Field";
import { Time, TimeCell } from "../../components/Time";
import { SettingsNav } from "./SettingsNav";
import { TableHead } from "../../components/TableHead";
import { JobStall, type JobStallView } from "../../components/JobStall";

export interface DataExportRow {
  id: string;
  state: "queued" | "ready" | "failed" | "expired" | "cancelled";
  includesWorkspace: boolean;
  createdAt: number;
  expiresAt: number | null;
  size: number | null;
  /** Why a failed build stopped. */
  message: string | null;
  /** Set while it is being prepared when it has not moved for a while. */
  stall: JobStallView | null;
}

export interface PrivacyPageProps {
  canSeeAudit: boolean;
  canSeeBilling?: boolean;
  /** Owners and admins get the workspace's records in their download, and manage the suppression list. */
  isAdmin: boolean;
  exports: DataExportRow[];
  linkHours: number;
  perDay: number;
  notice?: { kind: "ok" | "error" | "warn"; text: string };
  suppression: { available: boolean; count: number; error?: string; value?: string } | null;
}

const STATE_LABELS: Record<DataExportRow["state"], string> = {
  queued: "Being prepared",
  ready: "Ready",
  failed: "Failed",
  expired: "Expired",
  cancelled: "Cancelled",
};

function size(bytes: number | null): string {
  if (bytes === null) return "";
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The request button and the recent requests: the part that polls while a copy is being prepared, so its
 * Download link, a failure or the words of a stalled build appear without a reload.
 */
export function DataExports(p: { exports: DataExportRow[]; perDay: number }) {
  const pending = p.exports.some((e) => e.state === "queued");
  return (
    <div
      id="data-exports"
      class="stack"
      hx-get={pending ? "/app/settings/privacy?part=exports" : undefined}
      hx-trigger={pending ? "every 3s" : undefined}
      hx-swap={pending ? "outerHTML" : undefined}
    >
      {/* Ids on the buttons: htmx gives the focus back to the same id after each swap. */}
      <form method="post" action="/app/settings/privacy/export">
        <button id="export-request" type="submit" disabled={pending}>
          {pending ? "Being prepared…" : "Download my data"}
        </button>
      </form>
      <p class="muted">At most {p.perDay} requests a day.</p>
      {pending ? (
        <noscript>
          <p>
            <a href="/app/settings/privacy">Reload to see when it is ready.</a>
          </p>
        </noscript>
      ) : null}
      {p.exports.length ? (
        <table>
          <caption class="muted">Your recent requests in this workspace</caption>
          <TableHead columns={["Asked", "Contents", "Status", "Download"]} />
          <tbody>
            {p.exports.map((e) => (
              <tr>
                <TimeCell ms={e.createdAt} precision="minute" />
                <td data-label="Contents">{e.includesWorkspace ? "Account and workspace records" : "Account"}</td>
                <td data-label="Status">
                  {STATE_LABELS[e.state]}
                  {e.message ? <p class="muted">{e.message}</p> : null}
                  <JobStall stall={e.stall} />
                </td>
                <td>
                  {e.state === "queued" ? (
                    <form method="post" action={`/app/settings/privacy/exports/${e.id}/cancel`}>
                      <button id={`cancel-export-${e.id}`} type="submit" class="secondary">
                        Cancel
                      </button>
                    </form>
                  ) : null}
                  {e.state === "failed" ? (
                    <form method="post" action={`/app/settings/privacy/exports/${e.id}/retry`}>
                      <button type="submit">Retry</button>
                    </form>
                  ) : null}
                  {e.state === "ready" && e.expiresAt ? (
                    <>
                      <a href={`/app/settings/privacy/exports/${e.id}`} download>
                        Download ZIP{e.size ? ` (${size(e.size)})` : ""}
                      </a>{" "}
                      <span class="muted">
                        until <Time ms={e.expiresAt} precision="minute" />
                      </span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** Your privacy rights in the app: a copy of your data (access, portability, the CCPA's right to know), and where the others are. */
export function PrivacyPage(p: PrivacyPageProps) {
  return (
    <div class="stack">
      <h1>Privacy</h1>
      <SettingsNav current="privacy" canSeeAudit={p.canSeeAudit} canSeeBilling={p.canSeeBilling} />
      {p.notice ? <FormAlert kind={p.notice.kind}>{p.notice.text}</FormAlert> : null}

      <Card id="download" title="Download my data">
        <p>
          One ZIP file with the personal information we hold about you, in files a computer can read: your account, your
          workspaces and role, your sessions, your cookie choices, your email preferences and the audit entries about
          you, as JSON
          {p.isAdmin
            ? ", and, because you manage this workspace, all of its contacts, companies and notes as JSON and CSV"
            : ""}
          . A file called <code>manifest.json</code> lists every file with what it holds and how many records.
        </p>
        <p>
          This answers your right to know what personal information we collect about you under the California Consumer
          Privacy Act (CCPA), and your rights of access and portability. We prepare the file in the background and email
          you a link; the link works for you only, while you are signed in, for {p.linkHours} hours.
        </p>
        <DataExports exports={p.exports} perDay={p.perDay} />
      </Card>

      <Card id="rights" title="Your other choices">
        <ul>
          <li>
            <a href="/app/settings/profile">Profile</a>: see and correct your name, email address and company name; see
            your sessions, the audit entries about you, your cookie choices; delete your account.
          </li>
          <li>
            <a href="/app/settings/profile#email-preferences">Email preferences</a>: the weekly digest and product news.
            Every such email also has a one-click unsubscribe link.
          </li>
          <li>
            <a href="/cookies#cookie-settings">Cookie settings</a>: accept or reject analytics cookies on our public
            pages.
          </li>
          <li>
            Anything else, or a request you cannot make here: our <a href="/contact">contact page</a>. The{" "}
            <a href="/privacy">privacy policy</a> says what we collect and why. We do not sell personal information.
          </li>
        </ul>
      </Card>

      {p.suppression ? (
        <Card id="suppression" title="Suppression list">
          <p>
            When someone asks this workspace to erase them, erase their contact (Erase on the contact's page, or in bulk
            from the contacts list) and tick the suppression box: later imports then skip anyone with their email
            address. The list keeps only a keyed one-way hash of each address, never the address itself.
          </p>
          {p.suppression.available ? (
            <>
              <p>
                The list holds{" "}
                <strong>{p.suppression.count === 1 ? "1 address" : `${p.suppression.count} addresses`}</strong>.
              </p>
              <form class="stack" method="post" action="/app/settings/privacy/suppressions/remove" novalidate>
                <Field
                  name="email"
                  label="Take an address off the list"
                  type="email"
                  maxlength={254}
                  value={p.suppression.value}
                  error={p.suppression.error}
                  hint="For someone who asked to be kept again. Imports will no longer skip them."
                />
                <button type="submit" class="secondary">
                  Take off the list
                </button>
              </form>
            </>
          ) : (
            <p class="muted">
              The suppression list is not available on this server (SUPPRESSION_KEY is not configured).
            </p>
          )}
        </Card>
      ) : null}
    </div>
  );
}

/** A download link that can no longer be used, or not yet: why, and what to do. */
export function DataExportUnavailablePage(p: {
  reason: "expired" | "not_ready" | "failed" | "role";
  linkHours: number;
}) {
  const text = {
    expired: `This download link has expired: links work for ${p.linkHours} hours, and the file has been deleted. Ask for a new copy below.`,
    not_ready: "This copy is still being prepared. We email you as soon as it is ready.",
    failed: "This copy was not prepared: it failed or was cancelled. Ask for a new one below.",
    role: "This copy holds the workspace's records, and you no longer manage this workspace, so it cannot be downloaded. Ask for a new copy of your own data below.",
  }[p.reason];
  const title = {
    expired: "This download link has expired",
    not_ready: "Not ready yet",
    failed: "This copy failed",
    role: "Not available to you",
  }[p.reason];
  return (
    <div class="stack narrow">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <a href="/app/settings/privacy">Back to Privacy</a>
      </p>
    </div>
  );
}
