import type { Child } from "hono/jsx";
import { recordPath, type RecordKind } from "../../lib/records";
import { Card } from "../../components/Card";
import { Facts } from "../../components/Facts";
import { CalendarDate, Time } from "../../components/Time";
import { durationWords, outcomeWords } from "../../lib/interactions";
import { DashboardCharts, type DashboardChartsProps } from "./DashboardCharts";
import { formatCount } from "../../lib/page-range";
import { readerLocale } from "../../lib/time";

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
  /** Timeline entries and logged calls, meetings and emails (`interaction`), newest first. */
  activity: {
    id: number;
    kind: string;
    actor: string;
    createdAt: number;
    record: DashboardRecordRef;
    interaction?: { kind: string; durationMinutes: number | null; outcome: string | null };
  }[];
  recent: { viewedAt: number; record: DashboardRecordRef }[];
  canWrite: boolean;
  charts: DashboardChartsProps;
}

const recordHref = (r: DashboardRecordRef) => recordPath(r);

const ACTIVITY_VERBS: Record<string, string> = {
  created: "created",
  updated: "updated",
  note_added: "added a note to",
  note_edited: "edited a note on",
  note_deleted: "deleted a note on",
  tagged: "tagged",
  call_edited: "edited a logged call on",
  call_deleted: "deleted a logged call on",
  meeting_edited: "edited a logged meeting on",
  meeting_deleted: "deleted a logged meeting on",
  email_edited: "edited a logged email on",
  email_deleted: "deleted a logged email on",
};

type LoggedInteraction = NonNullable<DashboardPageProps["activity"][number]["interaction"]>;

/** "logged a call with" a contact or company, "logged a meeting on" a deal. */
const loggedVerb = (i: LoggedInteraction, type: string) =>
  `logged ${i.kind === "email" ? "an" : "a"} ${i.kind} ${type === "deal" ? "on" : "with"}`;

/** A logged interaction's duration and outcome after its record: " · 30 min · connected". */
function loggedDetails(i: LoggedInteraction): string {
  const outcome = outcomeWords(i.kind, i.outcome);
  return `${i.durationMinutes !== null ? ` · ${durationWords(i.durationMinutes)}` : ""}${outcome ? ` · ${outcome}` : ""}`;
}

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

/** A dashboard card whose list is a plain one, an item a line (or the muted line when there is none). */
function PlainListCard<T>(p: {
  id: string;
  title: string;
  empty: string;
  items: T[];
  item: (item: T) => Child;
  listAttributes?: Record<string, string>;
}) {
  return (
    <ListCard id={p.id} title={p.title} count={p.items.length} empty={p.empty}>
      <ul class="plain-list" {...p.listAttributes}>
        {p.items.map((item) => (
          <li>{p.item(item)}</li>
        ))}
      </ul>
    </ListCard>
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
        {formatCount(p.count, readerLocale())}
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
      <DashboardCharts {...p.charts} />
      <div class="grid">
        <ListCard id="pipeline" title="Open pipeline" count={p.deals.openValue.length} empty="No open deals.">
          <ul class="stat-list" data-open-value="">
            {p.deals.openValue.map((v) => (
              <li data-currency={v.currency}>
                <span class="stat">{v.amount}</span> in {formatCount(v.deals, readerLocale())} open{" "}
                {v.deals === 1 ? "deal" : "deals"}
              </li>
            ))}
          </ul>
        </ListCard>
        <PlainListCard
          id="closing"
          title="Closing this month"
          empty="No open deal is expected to close this month."
          items={p.deals.closingThisMonth}
          listAttributes={{ "data-closing": "" }}
          item={(d) => (
            <>
              <a href={`/app/deals/${d.id}`}>{d.name}</a> <span class="muted">· {d.amount}</span>{" "}
              <span class="muted">
                · {d.stage} · <CalendarDate date={d.closeDate} />
              </span>
            </>
          )}
        />
      </div>
      <div class="grid">
        <PlainListCard
          id="recent"
          title="Recently viewed"
          empty="Records you open show up here."
          items={p.recent}
          item={(r) => <RecordLink record={r.record} />}
        />
        <PlainListCard
          id="activity"
          title="Recent activity"
          empty="Nothing has happened yet."
          items={p.activity}
          item={(a) => (
            <>
              {a.actor}{" "}
              {a.interaction
                ? loggedVerb(a.interaction, a.record.type)
                : (ACTIVITY_VERBS[a.kind] ?? a.kind.replace(/_/g, " "))}{" "}
              <RecordLink record={a.record} />
              {a.interaction ? loggedDetails(a.interaction) : null}{" "}
              <span class="muted">
                · <Time ms={a.createdAt} precision="minute" />
              </span>
            </>
          )}
        />
      </div>
      <div class="grid">
        <Card id="you" title="You">
          <Facts
            facts={[
              ["Email", p.email],
              ["Role", p.role],
            ]}
          />
        </Card>
        <Card id="workspace" title="Workspace">
          <Facts
            facts={[
              ["Company", p.tenantName],
              ["Members", p.memberCount],
              ["Created", <Time ms={p.createdAt} />],
            ]}
          />
        </Card>
      </div>
    </div>
  );
}
