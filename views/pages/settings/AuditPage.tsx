import { SettingsNav } from "./SettingsNav";
import { TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { SelectField } from "../companies/FormFields";

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
        <SelectField name="action" label="Action" value={p.filter.action} empty="All actions" options={p.actions} />
        <SelectField
          name="actor"
          label="Member"
          value={p.filter.actor}
          empty="Anyone"
          options={p.members.map((m) => ({ value: m.id, label: m.email }))}
        />
        <button type="submit">Filter</button>
      </form>
      <section class="card" aria-label="Entries">
        {p.entries.length === 0 ? (
          <p>No entries match.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <TableHead columns={["When", "Who", "What", "Details", "From"]} />
              <tbody>
                {p.entries.map((e) => (
                  <tr>
                    <TimeCell ms={e.createdAt} precision="second" />
                    <td data-label="Who">{e.actor}</td>
                    <td data-label="What">{e.actionLabel}</td>
                    <td data-label="Details">{e.target ?? ""}</td>
                    <td data-label="From">
                      {e.ip ?? ""}
                      {e.ip ? <br /> : null}
                      <span class="muted">{e.device}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
