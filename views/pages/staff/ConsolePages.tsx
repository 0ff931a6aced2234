import { Field, TextareaField } from "../../components/Field";
import { TimeCell } from "../../components/Time";
import { TableHead } from "../../components/TableHead";
import { SelectField } from "../companies/FormFields";
import { DatabaseSection, type WorkspaceDatabase } from "./DatabaseSection";
import { ConsoleNotices } from "./Notices";

export interface DirectoryRow {
  id: string;
  name: string;
  createdAt: number;
  closed: boolean;
  billingState: string;
  contacts: number;
  companies: number;
  deals: number;
  /** The database holding its records (the staff console reads each workspace's counts there). */
  database: string;
}

/** Finding a workspace: only by an exact id or owner address from a support request; no list to browse. */
export function FindWorkspacePage(p: { query: string; results: DirectoryRow[] | null }) {
  return (
    <div class="stack">
      <h1>Find a workspace</h1>
      <form class="filters" method="get" action="/staff">
        <Field
          name="q"
          label="Workspace id or owner's email"
          type="search"
          value={p.query}
          hint="Exactly as in the support request. There is no list of customers to browse."
          maxlength={254}
        />
        <button type="submit">Find</button>
      </form>
      {p.results === null ? null : p.results.length === 0 ? (
        <p role="status">No workspace has that id or owner.</p>
      ) : (
        <DirectoryTable rows={p.results} />
      )}
    </div>
  );
}

/** The directory: what staff see of a workspace without a grant. */
export function DirectoryTable(p: { rows: DirectoryRow[] }) {
  return (
    <table>
      <TableHead columns={["Workspace", "Plan", "Status", "Database", "Contacts", "Companies", "Deals", "Created"]} />
      <tbody>
        {p.rows.map((r) => (
          <tr>
            <td data-label="Workspace">
              <a href={`/staff/workspaces/${r.id}`}>{r.name}</a>
              <br />
              <code class="muted">{r.id}</code>
            </td>
            <td data-label="Plan">{r.billingState}</td>
            <td data-label="Status">{r.closed ? "closed" : "open"}</td>
            <td data-label="Database">{r.database}</td>
            <td data-label="Contacts">{r.contacts}</td>
            <td data-label="Companies">{r.companies}</td>
            <td data-label="Deals">{r.deals}</td>
            <TimeCell ms={r.createdAt} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface GrantRow {
  id: string;
  kind: string;
  access: string;
  state: string;
  ticket: string | null;
  expiresAt: number | null;
}

export interface BillingFacts {
  state: string;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  priceId: string | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  firstSubscribedAt: number | null;
}

export interface WorkspaceEntryProps {
  entry: DirectoryRow;
  /** For billing staff and admins: the subscription's metadata. */
  billing?: BillingFacts | null;
  grants: GrantRow[];
  live: { access: string; expiresAt: number } | null;
  canRequest: boolean;
  canBreakGlass: boolean;
  durations: { value: string; label: string }[];
  errors?: Record<string, string>;
  notice?: string;
  database: WorkspaceDatabase;
}

/** One workspace in the console: its directory facts, this staff member's grants, and the ways in. */
export function WorkspaceEntryPage(p: WorkspaceEntryProps) {
  const base = `/staff/workspaces/${p.entry.id}`;
  return (
    <div class="stack">
      <h1>{p.entry.name}</h1>
      <ConsoleNotices notice={p.notice} />
      <DirectoryTable rows={[p.entry]} />
      {p.billing ? <BillingSection billing={p.billing} /> : null}
      <DatabaseSection {...p.database} action={`${base}/move`} />
      {p.live ? (
        <p>
          <a class="button" href={`/staff/support/${p.entry.id}/app`}>
            Open the support view ({p.live.access === "read" ? "read-only" : "read and write"})
          </a>
        </p>
      ) : (
        <p>No live grant: the support view is closed. Ask the workspace, or wait for its owner to give access.</p>
      )}
      <section class="card" aria-labelledby="grants-h">
        <h2 id="grants-h">Grants you can use</h2>
        {p.grants.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <TableHead columns={["Kind", "Access", "State", "Ticket", "Ends"]} />
            <tbody>
              {p.grants.map((g) => (
                <tr>
                  <td data-label="Kind">{g.kind}</td>
                  <td data-label="Access">{g.access}</td>
                  <td data-label="State">{g.state}</td>
                  <td data-label="Ticket">{g.ticket ?? ""}</td>
                  {g.expiresAt ? <TimeCell ms={g.expiresAt} /> : <td></td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {p.canRequest ? (
        <section class="card" aria-labelledby="ask-h">
          <h2 id="ask-h">Ask for access</h2>
          <p class="muted">The owner is emailed and approves in Settings → Support access. Nothing opens before.</p>
          <form class="stack" method="post" action={`${base}/requests`}>
            <AccessFields durations={p.durations} errors={p.errors} />
            <Field name="ticket" label="Ticket (optional)" maxlength={100} error={p.errors?.ticket} />
            <TextareaField
              id="f-message"
              name="message"
              label="Message to the owner (optional)"
              value=""
              maxlength={1000}
              error={p.errors?.message}
            />
            <button type="submit">Send the request</button>
          </form>
        </section>
      ) : null}
      {p.canBreakGlass ? (
        <section class="card" aria-labelledby="glass-h">
          <h2 id="glass-h">Break-glass (legal or security emergency)</h2>
          <p class="muted">
            Opens access without the customer's grant, only once a second admin approves. The workspace is told in its
            audit trail and by email.
          </p>
          <form class="stack" method="post" action={`${base}/break-glass`}>
            <AccessFields durations={p.durations.slice(0, 2)} errors={p.errors} prefix="glass-" />
            <TextareaField
              id="f-reason"
              name="reason"
              label="Reason (written to the trail)"
              value=""
              required
              maxlength={1000}
              error={p.errors?.reason}
            />
            <button type="submit" class="secondary">
              Ask a second admin
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}

function AccessFields(p: {
  durations: { value: string; label: string }[];
  errors?: Record<string, string>;
  prefix?: string;
}) {
  return (
    <>
      <SelectField
        id={`${p.prefix ?? ""}access`}
        name="access"
        label="Access"
        value="read"
        options={[
          { value: "read", label: "Read-only" },
          { value: "write", label: "Read and write" },
        ]}
        error={p.errors?.access}
      />
      <SelectField
        id={`${p.prefix ?? ""}duration`}
        name="duration"
        label="For"
        value="1h"
        options={p.durations}
        error={p.errors?.duration}
      />
    </>
  );
}

function BillingSection(p: { billing: BillingFacts }) {
  const b = p.billing;
  const date = (ms: number | null) => (ms ? new Date(ms).toISOString().slice(0, 10) : "—");
  return (
    <section class="card" aria-labelledby="billing-h">
      <h2 id="billing-h">Billing</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd>{b.state}</dd>
        <dt>Price</dt>
        <dd>{b.priceId ?? "—"}</dd>
        <dt>Current period ends</dt>
        <dd>
          {date(b.currentPeriodEnd)}
          {b.cancelAtPeriodEnd ? " (cancels then)" : ""}
        </dd>
        <dt>Trial ends</dt>
        <dd>{date(b.trialEnd)}</dd>
        <dt>First subscribed</dt>
        <dd>{date(b.firstSubscribedAt)}</dd>
        <dt>Stripe customer</dt>
        <dd>
          <code>{b.stripeCustomerId ?? "—"}</code>
        </dd>
        <dt>Stripe subscription</dt>
        <dd>
          <code>{b.stripeSubscriptionId ?? "—"}</code>
        </dd>
      </dl>
      <p class="muted">Invoices and payment methods are in Stripe's dashboard under the customer.</p>
    </section>
  );
}
