import { recordPath, type RecordKind } from "../../lib/records";
import { Time } from "../../components/Time";

export interface DashboardRecordRef {
  type: RecordKind;
  id: number;
  name: string | null;
}

export interface DashboardPageProps {
  tenantName: string;
  email: string;
  role: string;
  memberCount: number;
  createdAt: number;
  counts: { contacts: number; companies: number; notes: number; deals: number };
  deals: {
    /** Amounts already formatted in the workspace's locale. */
    openValue: { currency: string; deals: number; amount: string }[];
    closingThisMonth: { id: number; name: string; amount: string; stage: string; closeDate: string }[];
  };
  activity: { id: number; kind: string; actor: string; createdAt: number; record: DashboardRecordRef }[];
  recent: { viewedAt: number; record: DashboardRecordRef }[];
  canWrite: boolean;
}

const recordHref = (r: DashboardRecordRef) => recordPath(r);

const ACTIVITY_VERBS: Record<string, string> = {
  created: "created",
  updated: "updated",
  note_added: "added a note to",
  note_edited: "edited a note on",
  note_deleted: "deleted a note on",
  tagged: "tagged",
};

function RecordLink(p: { record: DashboardRecordRef }) {
  if (p.record.name === null) return <span class="muted">a deleted {p.record.type}</span>;
  return (
    <>
      <span class="muted">{p.record.type}</span> <a href={recordHref(p.record)}>{p.record.name || "(no name)"}</a>
    </>
  );
}

/** The signed-in home page: counts, quick links, recent activity and recently viewed records. */
export function DashboardPage(p: DashboardPageProps) {
  return (
    <div class="stack">
      <h1>{p.tenantName}</h1>
      {p.canWrite ? (
        <nav class="actions" aria-label="Quick links">
          <a class="button" href="/app/contacts/new">
            New contact
          </a>
          <a class="button" href="/app/companies/new">
            New company
          </a>
        </nav>
      ) : null}
      <section class="card" aria-labelledby="counts-heading">
        <h2 id="counts-heading">Records</h2>
        <ul class="stat-list">
          <li>
            <a href="/app/contacts">
              <span class="stat" data-count="contacts">
                {p.counts.contacts.toLocaleString("en-US")}
              </span>{" "}
              {p.counts.contacts === 1 ? "contact" : "contacts"}
            </a>
          </li>
          <li>
            <a href="/app/companies">
              <span class="stat" data-count="companies">
                {p.counts.companies.toLocaleString("en-US")}
              </span>{" "}
              {p.counts.companies === 1 ? "company" : "companies"}
            </a>
          </li>
          <li>
            <a href="/app/deals">
              <span class="stat" data-count="deals">
                {p.counts.deals.toLocaleString("en-US")}
              </span>{" "}
              {p.counts.deals === 1 ? "deal" : "deals"}
            </a>
          </li>
          <li>
            <span class="stat" data-count="notes">
              {p.counts.notes.toLocaleString("en-US")}
            </span>{" "}
            {p.counts.notes === 1 ? "note" : "notes"}
          </li>
        </ul>
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="pipeline-heading">
          <h2 id="pipeline-heading">Open pipeline</h2>
          {p.deals.openValue.length === 0 ? (
            <p class="muted">No open deals.</p>
          ) : (
            <ul class="stat-list" data-open-value="">
              {p.deals.openValue.map((v) => (
                <li data-currency={v.currency}>
                  <span class="stat">{v.amount}</span> in {v.deals.toLocaleString("en-US")} open{" "}
                  {v.deals === 1 ? "deal" : "deals"}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="closing-heading">
          <h2 id="closing-heading">Closing this month</h2>
          {p.deals.closingThisMonth.length === 0 ? (
            <p class="muted">No open deal is expected to close this month.</p>
          ) : (
            <ul class="plain-list" data-closing="">
              {p.deals.closingThisMonth.map((d) => (
                <li>
                  <a href={`/app/deals/${d.id}`}>{d.name}</a> <span class="muted">· {d.amount}</span>{" "}
                  <span class="muted">
                    · {d.stage} · <time datetime={d.closeDate}>{d.closeDate}</time>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recently viewed</h2>
          {p.recent.length === 0 ? (
            <p class="muted">Records you open show up here.</p>
          ) : (
            <ul class="plain-list">
              {p.recent.map((r) => (
                <li>
                  <RecordLink record={r.record} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="activity-heading">
          <h2 id="activity-heading">Recent activity</h2>
          {p.activity.length === 0 ? (
            <p class="muted">Nothing has happened yet.</p>
          ) : (
            <ul class="plain-list">
              {p.activity.map((a) => (
                <li>
                  {a.actor} {ACTIVITY_VERBS[a.kind] ?? a.kind.replace(/_/g, " ")} <RecordLink record={a.record} />{" "}
                  <span class="muted">
                    · <Time ms={a.createdAt} precision="minute" />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="you-heading">
          <h2 id="you-heading">You</h2>
          <dl class="facts">
            <dt>Email</dt>
            <dd>{p.email}</dd>
            <dt>Role</dt>
            <dd>{p.role}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="workspace-heading">
          <h2 id="workspace-heading">Workspace</h2>
          <dl class="facts">
            <dt>Company</dt>
            <dd>{p.tenantName}</dd>
            <dt>Members</dt>
            <dd>{p.memberCount}</dd>
            <dt>Created</dt>
            <dd>
              <Time ms={p.createdAt} />
            </dd>
          </dl>
        </section>
      </div>
    </div>
  );
}
