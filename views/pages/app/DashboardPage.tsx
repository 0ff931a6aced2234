import type { Child } from "hono/jsx";
import { recordPath, type RecordKind } from "../../lib/records";
import { Card } from "../../components/Card";
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

/** A dashboard card: its list, or when there is nothing to list, a muted line saying what will show there. */
function ListCard(p: { id: string; title: string; count: number; empty: string; children: Child }) {
  return (
    <Card id={p.id} title={p.title}>
      {p.count === 0 ? <p class="muted">{p.empty}</p> : p.children}
    </Card>
  );
}

/** The record counts the home page shows, in order; those with a list link to it. The kind is the plural. */
const RECORD_COUNTS = [
  { kind: "contacts", one: "contact", href: "/app/contacts" },
  { kind: "companies", one: "company", href: "/app/companies" },
  { kind: "deals", one: "deal", href: "/app/deals" },
  { kind: "notes", one: "note" },
] as const;

function RecordCount(p: { count: number; kind: keyof DashboardPageProps["counts"]; one: string; href?: string }) {
  const stat = (
    <>
      <span class="stat" data-count={p.kind}>
        {p.count.toLocaleString("en-US")}
      </span>{" "}
      {p.count === 1 ? p.one : p.kind}
    </>
  );
  return <li>{p.href ? <a href={p.href}>{stat}</a> : stat}</li>;
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
      <Card id="counts" title="Records">
        <ul class="stat-list">
          {RECORD_COUNTS.map((r) => (
            <RecordCount count={p.counts[r.kind]} {...r} />
          ))}
        </ul>
      </Card>
      <div class="grid">
        <ListCard id="pipeline" title="Open pipeline" count={p.deals.openValue.length} empty="No open deals.">
          <ul class="stat-list" data-open-value="">
            {p.deals.openValue.map((v) => (
              <li data-currency={v.currency}>
                <span class="stat">{v.amount}</span> in {v.deals.toLocaleString("en-US")} open{" "}
                {v.deals === 1 ? "deal" : "deals"}
              </li>
            ))}
          </ul>
        </ListCard>
        <ListCard
          id="closing"
          title="Closing this month"
          count={p.deals.closingThisMonth.length}
          empty="No open deal is expected to close this month."
        >
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
        </ListCard>
      </div>
      <div class="grid">
        <ListCard id="recent" title="Recently viewed" count={p.recent.length} empty="Records you open show up here.">
          <ul class="plain-list">
            {p.recent.map((r) => (
              <li>
                <RecordLink record={r.record} />
              </li>
            ))}
          </ul>
        </ListCard>
        <ListCard id="activity" title="Recent activity" count={p.activity.length} empty="Nothing has happened yet.">
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
        </ListCard>
      </div>
      <div class="grid">
        <Card id="you" title="You">
          <dl class="facts">
            <dt>Email</dt>
            <dd>{p.email}</dd>
            <dt>Role</dt>
            <dd>{p.role}</dd>
          </dl>
        </Card>
        <Card id="workspace" title="Workspace">
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
        </Card>
      </div>
    </div>
  );
}
