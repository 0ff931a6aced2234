import type { Child } from "hono/jsx";
import { MAIL_LIST_LABELS, MAIL_LISTS, type MailList } from "../../../src/services/account/email-preferences";
import { FieldError, LabelledField, TextareaField, describedBy } from "../../components/Field";
import { TableHead } from "../../components/TableHead";
import { ConsoleNotices } from "./Notices";

const FIND_HINT = "Exactly as in the verified request. There is no list of accounts to browse.";

/** Finding an account: only by its exact address from a support request; no list to browse. */
export function FindAccountPage(p: { email: string; error?: string; notFound?: boolean }) {
  return (
    <div class="stack">
      <h1>Find an account</h1>
      <form class="filters" method="get" action="/staff/accounts">
        <LabelledField id="f-email" label="The account's email address" hint={FIND_HINT} error={p.error}>
          <input
            id="f-email"
            name="email"
            type="email"
            value={p.email}
            maxlength={254}
            required
            aria-invalid={p.error ? "true" : undefined}
            aria-describedby={describedBy("f-email", FIND_HINT, p.error)}
          />
        </LabelledField>
        <button type="submit">Find</button>
      </form>
      {p.notFound ? <p role="status">No account has that address.</p> : null}
    </div>
  );
}

export type AccountForm = "export" | "email" | "preferences" | "erase";

type Pending = { staffName: string; reason: string; createdAt: number };

export interface AccountPageProps {
  account: {
    id: string;
    email: string;
    name: string | null;
    verified: boolean;
    createdAt: number;
    workspaces: { name: string; role: string; closed: boolean }[];
    preferences: Record<MailList, boolean>;
    pendingErasure: Pending | null;
    pendingEmailCorrection: (Pending & { newEmail: string }) | null;
  };
  adminActions: boolean;
  /** The form that was refused, its fields' messages and what was typed in it. */
  refused?: { form: AccountForm; errors: Record<string, string>; values: Record<string, string> };
  notice?: string;
}

// Every list an account can be on (a new one is offered here without a change to this page).
const LISTS = MAIL_LISTS.map((list) => {
  const label = MAIL_LIST_LABELS[list].replace(/^the /, "");
  return [list, label[0]!.toUpperCase() + label.slice(1)] as const;
});

/** One account: its workspaces by name and role (never their records) and the actions a request may ask for. */
export function AccountPage(p: AccountPageProps) {
  const a = p.account;
  const base = `/staff/accounts/${a.id}`;
  const refused = (form: AccountForm) => (p.refused?.form === form ? p.refused : undefined);
  return (
    <div class="stack">
      <h1>{a.email}</h1>
      <ConsoleNotices notice={p.notice} />
      <p>
        {a.name ?? "No name given"} · {a.verified ? "address confirmed" : "address not confirmed"}
      </p>
      <section class="card" aria-labelledby="workspaces-h">
        <h2 id="workspaces-h">Workspaces</h2>
        <p class="muted">Every action below is written to each of these workspaces' audit trails, with your name.</p>
        {a.workspaces.length === 0 ? (
          <p>None.</p>
        ) : (
          <table>
            <TableHead columns={["Workspace", "Role", "Status"]} />
            <tbody>
              {a.workspaces.map((w) => (
                <tr>
                  <td data-label="Workspace">{w.name}</td>
                  <td data-label="Role">{w.role}</td>
                  <td data-label="Status">{w.closed ? "closed" : "open"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ActionCard
        id="export"
        title="Export the account's data"
        action={`${base}/export`}
        refused={refused("export")}
        submit="Download the export"
        fields={
          <p class="muted">
            The account, its sessions, choices and audit entries, and the records of the workspaces it owns, as one JSON
            file (the same document as an access request by mail gets).
          </p>
        }
      />

      {p.adminActions ? (
        <ActionCard
          id="email"
          title="Correct the email address"
          action={`${base}/email`}
          refused={refused("email")}
          pending={a.pendingEmailCorrection}
          pendingWhat={a.pendingEmailCorrection ? `to ${a.pendingEmailCorrection.newEmail}` : undefined}
          submit="Ask a second admin"
          fields={<NewAddressField refused={refused("email")} />}
        />
      ) : null}

      <ActionCard
        id="preferences"
        title="Email preferences"
        action={`${base}/preferences`}
        refused={refused("preferences")}
        submit="Save the preferences"
        fields={<ListChoices current={a.preferences} typed={refused("preferences")?.values} />}
      />

      {p.adminActions ? (
        <ActionCard
          id="erase"
          title="Erase the account now"
          action={`${base}/erase`}
          refused={refused("erase")}
          pending={a.pendingErasure}
          submit="Ask a second admin"
          fields={
            <p class="muted">
              Its own workspaces are closed and erased, its data goes; workspaces where it is a member keep what it
              wrote. Runs only when a second admin approves under Requests waiting for a second admin.
            </p>
          }
        />
      ) : null}
    </div>
  );
}

type Refused = { errors: Record<string, string>; values: Record<string, string> };

function NewAddressField(p: { refused?: Refused }) {
  const error = p.refused?.errors.new_email;
  return (
    <>
      <LabelledField id="email-new" label="New address" error={error}>
        <input
          id="email-new"
          name="new_email"
          type="email"
          maxlength={254}
          required
          value={p.refused?.values.new_email ?? ""}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy("email-new", undefined, error)}
        />
      </LabelledField>
      <p class="muted">
        Nothing changes until a different staff admin approves it (whoever holds the new address could reset the
        password). Then the new address must be confirmed from the link sent to it, and the old one is told.
      </p>
    </>
  );
}

/** The four lists as checkboxes: what was typed when the form was refused, else the account's choices. */
function ListChoices(p: { current: Record<MailList, boolean>; typed?: Record<string, string> }) {
  return (
    <fieldset>
      <legend>Lists the account receives</legend>
      {LISTS.map(([name, label]) => (
        <div class="field">
          <label class="check" for={`preferences-${name}`}>
            <input
              id={`preferences-${name}`}
              type="checkbox"
              name={name}
              value="on"
              checked={p.typed ? p.typed[name] === "on" : p.current[name]}
            />
            <span>{label}</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A form for one action: its own fields (children), then the reason and ticket every action requires. */
function ActionCard(p: {
  id: AccountForm;
  title: string;
  action: string;
  refused?: Refused;
  pending?: Pending | null;
  /** What the waiting request asks for, after "asked by …". */
  pendingWhat?: string;
  fields: Child;
  submit: string;
}) {
  const errors = p.refused?.errors ?? {};
  return (
    <section class="card" aria-labelledby={`${p.id}-h`}>
      <h2 id={`${p.id}-h`}>{p.title}</h2>
      {p.pending ? (
        <p role="status">
          Waiting for a second admin: asked by {p.pending.staffName}
          {p.pendingWhat ? ` ${p.pendingWhat}` : ""} ("{p.pending.reason}").
        </p>
      ) : (
        <form class="stack" method="post" action={p.action}>
          {errors.form ? <FieldError id={`${p.id}-form`} error={errors.form} /> : null}
          {p.fields}
          <TextareaField
            id={`${p.id}-reason`}
            name="reason"
            label="Reason (the request it answers; written to the customer's trail)"
            value={p.refused?.values.reason ?? ""}
            required
            maxlength={1000}
            rows={2}
            error={errors.reason}
          />
          <LabelledField id={`${p.id}-ticket`} label="Ticket (optional)" error={errors.ticket}>
            <input
              id={`${p.id}-ticket`}
              name="ticket"
              type="text"
              maxlength={100}
              value={p.refused?.values.ticket ?? ""}
              aria-invalid={errors.ticket ? "true" : undefined}
              aria-describedby={describedBy(`${p.id}-ticket`, undefined, errors.ticket)}
            />
          </LabelledField>
          <button type="submit">{p.submit}</button>
        </form>
      )}
    </section>
  );
}
