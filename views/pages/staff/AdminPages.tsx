import { Field } from "../../components/Field";
import { InlinePostButton } from "../../components/InlinePostButton";
import { TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { SelectField } from "../companies/FormFields";
import { ASKED_BY_YOU, ConsoleNotices } from "./Notices";

export interface PendingGlass {
  id: string;
  tenantId: string;
  tenantName: string;
  staffName: string | null;
  access: string;
  duration: string;
  reason: string | null;
  createdAt: number;
  mine: boolean;
}

/** Break-glass requests waiting for a second admin; the one who asked cannot approve their own. */
export function BreakGlassPage(p: { pending: PendingGlass[]; notice?: string; error?: string }) {
  return (
    <div class="stack">
      <h1>Break-glass requests</h1>
      <ConsoleNotices notice={p.notice} error={p.error} />
      {p.pending.length === 0 ? (
        <p>No request is waiting.</p>
      ) : (
        <table>
          <TableHead columns={["Asked", "Workspace", "By", "Access", "Reason", { hidden: "Actions" }]} />
          <tbody>
            {p.pending.map((g) => (
              <tr>
                <TimeCell ms={g.createdAt} />
                <td data-label="Workspace">{g.tenantName}</td>
                <td data-label="By">{g.staffName ?? ""}</td>
                <td data-label="Access">
                  {g.access}, {g.duration}
                </td>
                <td data-label="Reason">{g.reason ?? ""}</td>
                <td>
                  {g.mine ? (
                    ASKED_BY_YOU
                  ) : (
                    <InlinePostButton
                      action={`/staff/break-glass/${g.id}/approve`}
                      label={`Approve for ${g.tenantName}`}
                    >
                      Approve
                    </InlinePostButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export interface StaffMemberRow {
  id: string;
  name: string;
  email: string;
  role: string;
  enrolled: boolean;
  disabled: boolean;
}

/** Staff admins manage staff: add (an enrolment link, mailed), disable. */
export function StaffTeamPage(p: {
  members: StaffMemberRow[];
  values?: { name?: string; email?: string; role?: string };
  errors?: Record<string, string>;
  notice?: string;
}) {
  return (
    <div class="stack">
      <h1>Staff</h1>
      <ConsoleNotices notice={p.notice} />
      <table>
        <TableHead columns={["Name", "Email", "Role", "State", { hidden: "Actions" }]} />
        <tbody>
          {p.members.map((m) => (
            <tr>
              <td data-label="Name">{m.name}</td>
              <td data-label="Email">{m.email}</td>
              <td data-label="Role">{m.role}</td>
              <td data-label="State">{m.disabled ? "disabled" : m.enrolled ? "active" : "invited"}</td>
              <td>
                {m.disabled ? null : (
                  <InlinePostButton action={`/staff/team/${m.id}/disable`} label={`Disable ${m.name}`}>
                    Disable
                  </InlinePostButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card" aria-labelledby="add-h">
        <h2 id="add-h">Add a staff member</h2>
        <form class="stack" method="post" action="/staff/team">
          <Field name="name" label="Name" value={p.values?.name} required maxlength={100} error={p.errors?.name} />
          <Field name="email" label="Email" type="email" value={p.values?.email} required error={p.errors?.email} />
          <SelectField
            name="role"
            label="Role"
            value={p.values?.role ?? "support"}
            options={[
              { value: "support", label: "Support: workspaces' pages, with their grant" },
              { value: "billing", label: "Billing: plans and invoice metadata only" },
            ]}
            error={p.errors?.role}
          />
          <p class="muted">
            Admins are added by an operator with the operator token (<code>npm run ops -- create-staff</code>), so no
            admin can make a second one to approve their own break-glass or erasure.
          </p>
          <button type="submit">Send the enrolment link</button>
        </form>
      </section>
    </div>
  );
}
