import { FormMessage } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { Time, TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { SelectField } from "../companies/FormFields";
import { Field } from "../../components/Field";
import { SettingsNav } from "./SettingsNav";

export interface SupportGrantView {
  id: string;
  who: string;
  access: string;
  duration: string;
  ticket: string | null;
  reason: string | null;
  state: "live" | "pending" | "ended" | "ran out" | "declined" | "expired request" | "waiting";
  kind: string;
  createdAt: number;
  expiresAt: number | null;
  seen: { at: number; what: string }[];
}

export interface SupportAccessPageProps {
  grants: SupportGrantView[];
  durations: { value: string; label: string }[];
  errors?: Record<string, string>;
  values?: { access?: string; duration?: string; ticket?: string };
  notice?: string;
  /** An action that found nothing to do (already ended, no longer waiting). */
  problem?: string;
  canSeeBilling?: boolean;
}

/** Settings → Support access: give, approve, end, and see every past grant with what support saw. */
export function SupportAccessPage(p: SupportAccessPageProps) {
  const live = p.grants.filter((g) => g.state === "live");
  const pending = p.grants.filter((g) => g.state === "pending");
  const past = p.grants.filter((g) => g.state !== "live" && g.state !== "pending" && g.state !== "waiting");
  return (
    <div class="stack">
      <h1>Support access</h1>
      <SettingsNav current="support" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <FormMessage message={p.notice} kind="ok" />
      <FormMessage message={p.problem} />
      <p>
        CustomerTrackr staff can open this workspace only while you give them access, and only as you choose. Everything
        they view or change is written to the audit trail and listed below. You are emailed when access starts and ends.
      </p>
      <section class="card" aria-labelledby="live-h">
        <h2 id="live-h">Now</h2>
        {live.length === 0 ? <p>Support has no access.</p> : <GrantTable grants={live} action="end" />}
      </section>
      {pending.length ? (
        <section class="card" aria-labelledby="pending-h">
          <h2 id="pending-h">Requests from support</h2>
          <GrantTable grants={pending} action="answer" />
        </section>
      ) : null}
      <section class="card" aria-labelledby="give-h">
        <h2 id="give-h">Give support access</h2>
        <form class="stack" method="post" action="/app/settings/support">
          <SelectField
            name="access"
            label="Access"
            value={p.values?.access ?? "read"}
            options={[
              { value: "read", label: "Read-only: support can look, not change" },
              { value: "write", label: "Read and write: support can also fix records" },
            ]}
            error={p.errors?.access}
          />
          <SelectField
            name="duration"
            label="For"
            value={p.values?.duration ?? "1h"}
            options={p.durations}
            error={p.errors?.duration}
          />
          <Field
            name="ticket"
            label="Ticket reference (optional)"
            value={p.values?.ticket}
            maxlength={100}
            error={p.errors?.ticket}
          />
          <button type="submit">Give access</button>
        </form>
      </section>
      <section class="card" aria-labelledby="past-h">
        <h2 id="past-h">Past access</h2>
        {past.length === 0 ? <p>None.</p> : <GrantTable grants={past} />}
      </section>
    </div>
  );
}

function GrantTable(p: { grants: SupportGrantView[]; action?: "end" | "answer" }) {
  return (
    <table>
      <TableHead columns={["Given", "To", "Access", "State", "What support saw", { hidden: "Actions" }]} />
      <tbody>
        {p.grants.map((g) => (
          <tr id={`grant-${g.id}`}>
            <TimeCell ms={g.createdAt} />
            <td data-label="To">
              {g.who}
              {g.ticket ? <span class="muted"> · ticket {g.ticket}</span> : null}
              {g.reason ? <p class="muted">{g.reason}</p> : null}
            </td>
            <td data-label="Access">
              {g.access}, {g.duration}
            </td>
            <td data-label="State">{g.state}</td>
            <td data-label="What support saw">
              {g.seen.length === 0 ? (
                <span class="muted">Nothing</span>
              ) : (
                <details>
                  <summary>{g.seen.length === 1 ? "1 entry" : `${g.seen.length} entries`}</summary>
                  <ul class="support-seen">
                    {g.seen.map((s) => (
                      <li>
                        <Time ms={s.at} precision="minute" /> · {s.what}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </td>
            <td>
              {p.action === "end" ? (
                <InlinePostButton action={`/app/settings/support/${g.id}/end`} label={`End now: ${g.who}, ${g.access}`}>
                  End now
                </InlinePostButton>
              ) : p.action === "answer" ? (
                <>
                  <InlinePostButton action={`/app/settings/support/${g.id}/approve`} label={`Approve ${g.who}`}>
                    Approve
                  </InlinePostButton>
                  <InlinePostButton action={`/app/settings/support/${g.id}/decline`} label={`Decline ${g.who}`}>
                    Decline
                  </InlinePostButton>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
