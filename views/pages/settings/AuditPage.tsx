import { SettingsNav } from "./SettingsNav";
import { Time } from "../../components/Time";
import { TableHead } from "../../components/TableHead";

export interface AuditRow {
  id: number;
  action: string;
  actionLabel: string;
  actor: string;
  target: string | null;
  ip: string | null;
  device: string;
  createdAt: number;
}

export interface AuditPageProps {
  entries: AuditRow[];
  actions: { value: string; label: string }[];
  members: { id: string; email: string }[];
  filter: { action?: string; actor?: string };
  olderHref: string | null;
  canSeeBilling?: boolean;
}

/** The workspace's audit trail, newest first, filterable by action and by member. */
export function AuditPage(p: AuditPageProps) {
  return (
    <div class="stack">
      <h1>Audit trail</h1>
      <SettingsNav current="audit" canSeeAudit canSeeBilling={p.canSeeBilling} />
      <form class="filters" method="get" action="/app/settings/audit">
        <div class="field">
          <label for="f-action">Action</label>
          <select id="f-action" name="action">
            <option value="">All actions</option>
            {p.actions.map((a) => (
              <option value={a.value} selected={a.value === p.filter.action}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-actor">Member</label>
          <select id="f-actor" name="actor">
            <option value="">Anyone</option>
            {p.members.map((m) => (
              <option value={m.id} selected={m.id === p.filter.actor}>
                {m.email}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <section class="card" aria-label="Entries">
        {p.entries.length === 0 ? (
          <p>No entries match.</p>
        ) : (
          <table>
            <TableHead columns={["When", "Who", "What", "Details", "From"]} />
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td>
                    <Time ms={e.createdAt} precision="second" />
                  </td>
                  <td data-label="Who">{e.actor}</td>
                  <td data-label="What">{e.actionLabel}</td>
                  <td data-label="Details">{e.target ?? ""}</td>
                  <td>
                    {e.ip ?? ""}
                    {e.ip ? <br /> : null}
                    <span class="muted">{e.device}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {p.olderHref ? (
          <p>
            <a href={p.olderHref}>Older entries</a>
          </p>
        ) : null}
      </section>
    </div>
  );
}
