/**
 * Reads a workspace's deals for an export, a page (one query) at a time: each deal with its pipeline and stage,
 * company, contacts with their roles, tags, owner, custom values, notes and stage history, aggregated in SQL
 * (deals.ts writes them as CSV and JSON).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { EXPORT_PAGE_SIZE, type ExportInteraction, type ExportNote } from "./columns";
import {
  customValuesJson,
  interactionsAggregate,
  keysetPages,
  notesAggregate,
  ownerEmail,
  parseCustom,
  parseInteractions,
  parseNotes,
} from "./read";

export interface ExportDealContact {
  id: number;
  name: string;
  email: string | null;
  role: string | null;
}

export interface ExportDealSpan {
  pipeline: string | null;
  stage: string | null;
  status: string;
  enteredAt: number;
  leftAt: number | null;
  /** Who moved it there, by email; null once their account is gone. */
  by: string | null;
}

export interface ExportDeal {
  id: number;
  name: string;
  amountMinor: number;
  currency: string;
  pipeline: string;
  stage: string;
  status: string;
  lostReason: string | null;
  closeDate: string | null;
  closedOn: string | null;
  company: { id: number; name: string; domain: string | null } | null;
  contacts: ExportDealContact[];
  tags: string[];
  owner: string | null;
  createdBy: string | null;
  custom: Map<number, string>;
  notes: ExportNote[];
  interactions: ExportInteraction[];
  history: ExportDealSpan[];
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

interface DealRow {
  id: number;
  name: string;
  name_sort: string;
  amount_minor: number;
  currency: string;
  pipeline: string;
  stage: string;
  status: string;
  lost_reason: string | null;
  close_date: string | null;
  closed_on: string | null;
  company_id: number | null;
  company_name: string | null;
  company_domain: string | null;
  owner: string | null;
  created_by: string | null;
  contacts: string;
  tags: string;
  custom: string;
  notes: string | null;
  interactions: string | null;
  history: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
}

/**
 * The SQL of one page of deals after `after`: keyset (name_sort, id) on deals_tenant_name_idx, so the
 * file reads A to Z. Everything a deal carries comes from correlated subqueries on primary keys and
 * the deal's own indexes (exported so tests can EXPLAIN it).
 */
export function dealPageSql(
  tenantId: string,
  after: { nameSort: string; id: number } | null,
  opts: { details?: boolean } = {},
): SQL {
  const keyset = after ? sql`AND (d.name_sort, d.id) > (${after.nameSort}, ${after.id})` : sql``;
  const details = opts.details
    ? sql`${notesAggregate("d", "deal")} AS notes, ${interactionsAggregate("d", "deal")} AS interactions,
      (SELECT json_group_array(json_object('pipeline', pipeline, 'stage', stage, 'status', status,
          'entered_at', entered_at, 'left_at', left_at, 'by', actor))
        FROM (SELECT hp.name AS pipeline, hs.name AS stage, h.status AS status, h.entered_at AS entered_at,
                h.left_at AS left_at, hu.email AS actor
              FROM deal_stage_history h
              LEFT JOIN pipelines hp ON hp.id = h.pipeline_id AND hp.tenant_id = h.tenant_id
              LEFT JOIN pipeline_stages hs ON hs.id = h.stage_id AND hs.tenant_id = h.tenant_id
              LEFT JOIN users hu ON hu.id = h.actor_id
              WHERE h.tenant_id = d.tenant_id AND h.deal_id = d.id ORDER BY h.entered_at, h.id)) AS history`
    : sql`NULL AS notes, NULL AS interactions, NULL AS history`;
  return sql`SELECT d.id, d.name, d.name_sort, d.amount_minor, d.currency, p.name AS pipeline, s.name AS stage, d.status,
      d.lost_reason, d.close_date, d.closed_on, d.company_id, co.name AS company_name, co.domain AS company_domain,
      ${ownerEmail("d")} AS owner,
      (SELECT u.email FROM users u WHERE u.id = d.created_by) AS created_by,
      (SELECT json_group_array(json_object('id', id, 'first', first, 'last', last, 'email', email, 'role', role))
        FROM (SELECT c.id AS id, c.first_name AS first, c.last_name AS last, c.primary_email AS email, dc.role AS role
              FROM deal_contacts dc CROSS JOIN contacts c ON c.id = dc.contact_id AND c.tenant_id = dc.tenant_id
              WHERE dc.tenant_id = d.tenant_id AND dc.deal_id = d.id ORDER BY dc.contact_id)) AS contacts,
      (SELECT json_group_array(name) FROM (SELECT t.name AS name FROM deal_tags dt
        CROSS JOIN tags t ON t.id = dt.tag_id AND t.tenant_id = dt.tenant_id
        WHERE dt.tenant_id = d.tenant_id AND dt.deal_id = d.id ORDER BY t.name_key)) AS tags,
      ${customValuesJson("d", "deal")} AS custom,
      ${details},
      d.created_at, d.updated_at, d.last_activity_at
    FROM deals d
    LEFT JOIN pipelines p ON p.id = d.pipeline_id
    LEFT JOIN pipeline_stages s ON s.id = d.stage_id
    LEFT JOIN companies co ON co.id = d.company_id AND co.tenant_id = d.tenant_id
    WHERE d.tenant_id = ${tenantId} ${keyset}
    ORDER BY d.name_sort, d.id LIMIT ${EXPORT_PAGE_SIZE + 1}`;
}

const contactName = (c: { first: string; last: string }) => `${c.first} ${c.last}`.trim();

/** The tenant's deals, one page (one query) at a time. */
export async function* dealPages(
  db: Database,
  tenantId: string,
  opts: { details?: boolean } = {},
): AsyncGenerator<ExportDeal[]> {
  const pages = keysetPages<DealRow>((after) =>
    db.all<DealRow>(dealPageSql(tenantId, after ? { nameSort: after.name_sort, id: after.id } : null, opts)),
  );
  for await (const rows of pages) {
    yield rows.map((r) => ({
      id: r.id,
      name: r.name,
      amountMinor: r.amount_minor,
      currency: r.currency,
      pipeline: r.pipeline,
      stage: r.stage,
      status: r.status,
      lostReason: r.lost_reason,
      closeDate: r.close_date,
      closedOn: r.closed_on,
      company:
        r.company_id === null ? null : { id: r.company_id, name: r.company_name ?? "", domain: r.company_domain },
      contacts: (
        JSON.parse(r.contacts) as {
          id: number;
          first: string;
          last: string;
          email: string | null;
          role: string | null;
        }[]
      ).map((c) => ({ id: c.id, name: contactName(c), email: c.email, role: c.role })),
      tags: JSON.parse(r.tags) as string[],
      owner: r.owner,
      createdBy: r.created_by,
      custom: parseCustom(r.custom),
      notes: parseNotes(r.notes),
      interactions: parseInteractions(r.interactions),
      history: (
        JSON.parse(r.history ?? "[]") as {
          pipeline: string | null;
          stage: string | null;
          status: string;
          entered_at: number;
          left_at: number | null;
          by: string | null;
        }[]
      ).map((h) => ({
        pipeline: h.pipeline,
        stage: h.stage,
        status: h.status,
        enteredAt: h.entered_at,
        leftAt: h.left_at,
        by: h.by,
      })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastActivityAt: r.last_activity_at,
    }));
  }
}
