/**
 * The search box in the header: contacts, companies, deals and tasks together, a few of each, as one
 * batch of reads. Contacts go through their search index (a prefix of any word of a name, email, phone,
 * company or note, and from 3 characters a part inside a word of a name or email); companies match part
 * of their name or domain; deals part of their name; tasks part of their title. Nothing typed is ever SQL, a LIKE wildcard or FTS5 syntax: values are bound and compared
 * with instr (D1 also refuses LIKE patterns over 50 bytes); the FTS expression comes from ftsQuery.
 */
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { companies, contacts, deals, pipelineStages, type TASK_STATUSES, tasks } from "../../db/schema";
import { asciiDomainSearch } from "../../lib/domain";
import { ftsQuery, searchTerms } from "../records/search";

/** How many of each kind the box shows and the search page shows; one more is read to know of others. */
export const HITS_IN_BOX = 6;
export const HITS_ON_PAGE = 25;

/** What the user typed, trimmed and bounded: null when there is nothing to look for. */
export function searchText(raw: string | undefined): string | null {
  const text = (raw ?? "").trim().slice(0, 100);
  return searchTerms(text).length ? text : null;
}

/** A contact `contactMatches` finds. */
export type ContactMatch = Awaited<ReturnType<typeof contactMatches>>[number];

/** The contacts `text` finds through their search index, newest first (also the deal form's contact picker). */
export function contactMatches(t: TenantDb, text: string, limit: number) {
  const match = ftsQuery(t.tenantId, searchTerms(text));
  return (
    t.db
      .select({
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        email: contacts.primaryEmail,
        companyName: contacts.companyName,
      })
      .from(sql`contacts_fts`)
      .crossJoin(contacts)
      // The index drives, as in the contacts list: the MATCH names the tenant's token.
      .where(t.where(contacts, sql`contacts_fts MATCH ${match}`, sql`${contacts.id} = contacts_fts.rowid`))
      .orderBy(sql`contacts_fts.rowid DESC`)
      .limit(limit)
  );
}

/**
 * The companies whose name or domain contains `text`, by name (also the task form's record picker). Domains are
 * stored in ASCII: "münchen" is also looked for as "xn--mnchen-3ya", so whole labels in any script are found.
 */
export function companyMatches(t: TenantDb, text: string, limit: number) {
  const lower = text.toLowerCase();
  const ascii = asciiDomainSearch(text);
  return t.db
    .select({ id: companies.id, name: companies.name, domain: companies.domain })
    .from(companies)
    .where(
      t.where(
        companies,
        sql`(instr(${companies.nameSort}, ${lower}) > 0 OR instr(${companies.domain}, ${lower}) > 0${
          ascii ? sql` OR instr(${companies.domain}, ${ascii}) > 0` : sql``
        })`,
      ),
    )
    .orderBy(companies.nameSort, companies.id)
    .limit(limit);
}

/** The deals whose name contains `text`, by name, with their stage (also the task form's record picker). */
export function dealMatches(t: TenantDb, text: string, limit: number) {
  return (
    t.db
      .select({
        id: deals.id,
        name: deals.name,
        status: deals.status,
        amountMinor: deals.amountMinor,
        currency: deals.currency,
        stage: sql<string | null>`${pipelineStages.name}`.as("stage_name"),
      })
      .from(deals)
      .leftJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(t.where(deals, sql`instr(${deals.nameSort}, ${text.toLowerCase()}) > 0`))
      // In the index's order, so the scan stops at the last hit shown.
      .orderBy(deals.nameSort, deals.id)
      .limit(limit)
  );
}

/**
 * The tasks of one status whose title contains `text`, by due date. Every member reads every task of the workspace
 * (the task page is the viewer's too). title_sort is the title lower-cased in JavaScript: SQLite's lower() folds
 * ASCII only, so "ölwechsel" would miss "Ölwechsel". One status at a time walks tasks_tenant_status_idx in order,
 * and the scan stops at the last hit shown instead of sorting the workspace's tasks.
 */
function taskMatches(t: TenantDb, text: string, status: (typeof TASK_STATUSES)[number], limit: number) {
  return t.db
    .select({ id: tasks.id, title: tasks.title, status: tasks.status, dueDate: tasks.dueDate, dueAt: tasks.dueAt })
    .from(tasks)
    .where(t.where(tasks, eq(tasks.status, status), sql`instr(${tasks.titleSort}, ${text.toLowerCase()}) > 0`))
    .orderBy(tasks.dueDate, tasks.id)
    .limit(limit);
}

/** The reads of a search, for the page's batch; read them with searchFromRows. */
export function searchStatements(t: TenantDb, text: string, limit: number) {
  return [
    contactMatches(t, text, limit + 1),
    companyMatches(t, text, limit + 1),
    dealMatches(t, text, limit + 1),
    // Open tasks first, then done ones.
    taskMatches(t, text, "open", limit + 1),
    taskMatches(t, text, "done", limit + 1),
  ] as const;
}

export interface SearchGroup<Hit> {
  hits: Hit[];
  /** More matched than are shown. */
  more: boolean;
}

export interface SearchResults {
  contacts: SearchGroup<{ id: number; name: string; email: string | null; companyName: string | null }>;
  companies: SearchGroup<{ id: number; name: string; domain: string | null }>;
  deals: SearchGroup<{
    id: number;
    name: string;
    status: string;
    amountMinor: number;
    currency: string;
    stage: string | null;
  }>;
  tasks: SearchGroup<{ id: number; title: string; status: string; dueDate: string; dueAt: number | null }>;
}

function group<T>(rows: T[], limit: number): SearchGroup<T> {
  return { hits: rows.slice(0, limit), more: rows.length > limit };
}

export function searchFromRows(results: readonly unknown[], limit: number): SearchResults {
  const [people, firms, sales, open, done] = results as [
    { id: number; firstName: string; lastName: string; email: string | null; companyName: string | null }[],
    SearchResults["companies"]["hits"],
    SearchResults["deals"]["hits"],
    SearchResults["tasks"]["hits"],
    SearchResults["tasks"]["hits"],
  ];
  return {
    contacts: group(
      people.map((p) => ({
        id: p.id,
        name: `${p.firstName} ${p.lastName}`.trim() || p.email || "(no name)",
        email: p.email,
        companyName: p.companyName,
      })),
      limit,
    ),
    companies: group(firms, limit),
    deals: group(sales, limit),
    tasks: group([...open, ...done], limit),
  };
}
