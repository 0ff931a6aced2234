import { InlinePostButton } from "../../components/InlinePostButton";
import { TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { ASKED_BY_YOU, ConsoleNotices } from "./Notices";

/** The kinds of account_actions (ACCOUNT_ACTION_KINDS; a view does not import the schema). */
export type AccountActionKind = "erase" | "correct_email";

export interface PendingAccountActionRow {
  id: string;
  kind: AccountActionKind;
  email: string;
  /** A correction's new address. */
  newEmail: string | null;
  staffName: string;
  reason: string;
  ticket: string | null;
  createdAt: number;
  mine: boolean;
}

const WHAT: Record<
  AccountActionKind,
  (r: PendingAccountActionRow) => { asked: string; button: string; confirm: string }
> = {
  erase: (r) => ({
    asked: "Erase the account",
    button: "Approve and erase",
    confirm: `Erase ${r.email} now? This cannot be undone.`,
  }),
  correct_email: (r) => ({
    asked: `Correct the address to ${r.newEmail}`,
    button: "Approve the correction",
    confirm: `Move ${r.email} to ${r.newEmail}? Its password can then be reset from that address.`,
  }),
};

/**
 * Account actions waiting for a second admin (erasures, address corrections); the one who asked cannot approve
 * their own. Each says what approving does, since a correction hands the account to whoever holds the new address.
 */
export function SecondAdminQueuePage(p: { pending: PendingAccountActionRow[]; notice?: string; error?: string }) {
  return (
    <div class="stack">
      <h1>Requests waiting for a second admin</h1>
      <ConsoleNotices notice={p.notice} error={p.error} />
      {p.pending.length === 0 ? (
        <p>No request is waiting.</p>
      ) : (
        <table>
          <TableHead columns={["Asked", "Account", "Request", "By", "Reason", "Ticket", { hidden: "Actions" }]} />
          <tbody>
            {p.pending.map((r) => {
              const what = WHAT[r.kind](r);
              return (
                <tr>
                  <TimeCell ms={r.createdAt} />
                  <td data-label="Account">{r.email}</td>
                  <td data-label="Request">{what.asked}</td>
                  <td data-label="By">{r.staffName}</td>
                  <td data-label="Reason">{r.reason}</td>
                  <td data-label="Ticket">{r.ticket ?? ""}</td>
                  <td>
                    {r.mine ? (
                      ASKED_BY_YOU
                    ) : (
                      <InlinePostButton
                        action={`/staff/accounts/erasures/${r.id}/approve`}
                        label={`${what.button}: ${r.email}`}
                        confirm={what.confirm}
                      >
                        {what.button}
                      </InlinePostButton>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
