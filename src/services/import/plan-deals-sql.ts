/**
 * The batch of a deals chunk, set-based from the chunk's JSON (alias `j`) like the contacts' batch: new
 * deals with their contacts, tags, stage span, timeline and import record; matched deals upserted with
 * their share of deal_stage_totals taken out before and put back after (read inside the batch), their
 * spans closed and opened when they move; tenant_counters.deals and the job's progress.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { dealCounter } from "../deals/statements";
import { boundParts, type ChunkContext, type RowExtras } from "./chunk";
import { chunkSql, claimChunk, insertedRecords, namedRecords, type RowSource } from "./chunk-sql";

const json = (v: unknown) => JSON.stringify(v);

/** A deal's columns an import writes on a matched deal (import_records before/after spell these). */
export interface DealFields {
  /** On a matched deal, only set when it had no company and the row names one of the workspace's. */
  companyId: number | null;
  amountMinor: number;
  currency: string;
  stageId: number;
  status: "open" | "won" | "lost";
  lostReason: string | null;
  closeDate: string | null;
  closeKey: string;
  closedOn: string | null;
}

export interface NewDealRow extends RowExtras, DealFields {
  name: string;
  nameSort: string;
  ownerId: string | null;
  pipelineId: number;
  contacts: { id: number; role: string | null }[];
}

export interface DealUpdateRow {
  id: number;
  rowNo: number;
  set: Partial<DealFields>;
  before: Partial<DealFields> & { updatedAt: number; lastActivityAt: number };
  after: Partial<DealFields>;
  changes: Record<string, [unknown, unknown]>;
  /** The stage or status changes: the deal's span closes and a new one opens. */
  moves: boolean;
}

/** Open deals among `ids` (a SELECT of deal ids) out of, or into, deal_stage_totals, per stage and currency. */
export function totalsOutOf(t: TenantDb, ids: SQL): SQL {
  const mine = sql`d.tenant_id = ${t.tenantId} AND d.status = 'open' AND d.id IN (${ids})`;
  const same = sql`d.stage_id = deal_stage_totals.stage_id AND d.currency = deal_stage_totals.currency`;
  return sql`UPDATE deal_stage_totals
    SET deals = deals - (SELECT count(*) FROM deals d WHERE ${mine} AND ${same}),
      amount_minor = amount_minor - (SELECT coalesce(sum(d.amount_minor), 0) FROM deals d WHERE ${mine} AND ${same})
    WHERE tenant_id = ${t.tenantId} AND (stage_id, currency) IN (SELECT d.stage_id, d.currency FROM deals d WHERE ${mine})`;
}

export function totalsInto(t: TenantDb, ids: SQL): SQL {
  return sql`INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
    SELECT d.tenant_id, d.stage_id, d.currency, count(*), sum(d.amount_minor) FROM deals d
    WHERE d.tenant_id = ${t.tenantId} AND d.status = 'open' AND d.id IN (${ids}) GROUP BY d.stage_id, d.currency
    ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
      SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor`;
}

/** Opens a stage span for each deal `rows` reach, where it is now. */
function spansOpen(rows: RowSource, actorId: string | null, now: number, when: SQL = sql`true`): SQL {
  return sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, actor_id)
    SELECT r.tenant_id, r.id, r.pipeline_id, r.stage_id, r.status, ${now}, ${actorId} ${rows.from} WHERE ${when}`;
}

/** `column` from the row's `set` when it has the field (even null), else as it is. */
const setOr = (field: keyof DealFields, column: string) =>
  sql.raw(
    `CASE WHEN json_type(j.value, '$.set.${field}') IS NOT NULL THEN j.value ->> '$.set.${field}' ELSE r.${column} END`,
  );

export function dealChunkStatements(
  t: TenantDb,
  ctx: ChunkContext,
  chunkNo: number,
  now: number,
  plan: { creates: NewDealRow[]; updates: DealUpdateRow[]; tagNames: Map<string, string> },
): SQL[] {
  const tenant = t.tenantId;
  const shared = chunkSql(t, ctx, now);
  const { creates, updates } = plan;
  const s: SQL[] = [claimChunk(t, ctx.importId, "commit", chunkNo, now), ...shared.tags(plan.tagNames)];
  if (creates.length) {
    const list = json(creates);
    // Company and stage checked again here: only the workspace's own (a stage removed since fails the batch).
    s.push(sql`INSERT INTO deals (tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id,
        company_id, pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at,
        last_activity_at)
      SELECT ${tenant}, j.value ->> 'name', j.value ->> 'nameSort', j.value ->> 'amountMinor', j.value ->> 'currency',
        j.value ->> 'closeDate', j.value ->> 'closeKey', j.value ->> 'ownerId',
        (SELECT id FROM companies WHERE tenant_id = ${tenant} AND id = j.value ->> 'companyId'),
        j.value ->> 'pipelineId',
        (SELECT id FROM pipeline_stages WHERE tenant_id = ${tenant} AND id = j.value ->> 'stageId'
          AND pipeline_id = j.value ->> 'pipelineId'),
        j.value ->> 'status', j.value ->> 'lostReason', j.value ->> 'closedOn', ${ctx.actorId}, ${now}, ${now}, ${now}
      FROM json_each(${list}) j ORDER BY j.key`);
    const inserted = insertedRecords(t, "deal", list, creates.length, now);
    s.push(
      sql`INSERT INTO deal_contacts (tenant_id, deal_id, contact_id, role)
        SELECT ${tenant}, r.id, c.id, k.value ->> 'role' ${inserted.from} CROSS JOIN json_each(j.value, '$.contacts') k
        JOIN contacts c ON c.tenant_id = ${tenant} AND c.id = k.value ->> 'id' WHERE true ON CONFLICT DO NOTHING`,
      ...shared.extras("deal", inserted),
      sql`INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
        SELECT ${tenant}, r.stage_id, r.currency, count(*), sum(r.amount_minor) ${inserted.from}
        WHERE r.status = 'open' GROUP BY r.stage_id, r.currency
        ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
          SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor`,
      spansOpen(inserted, ctx.actorId, now),
      ...shared.history("deal", inserted, "created"),
      dealCounter(t, creates.length),
    );
  }
  // In parts only when the values the updates replace push their JSON past D1's limit (chunk.ts).
  for (const part of boundParts(updates)) {
    const list = json(part);
    const ids = sql`SELECT j.value ->> 'id' FROM json_each(${list}) j`;
    const matched = namedRecords(t, "deal", list);
    s.push(
      totalsOutOf(t, ids),
      sql`UPDATE deal_stage_history SET left_at = ${now} WHERE tenant_id = ${tenant} AND left_at IS NULL
        AND deal_id IN (SELECT j.value ->> 'id' FROM json_each(${list}) j WHERE j.value ->> 'moves')`,
      // An upsert onto the rows themselves, driven by the JSON (see plan-contacts-sql.ts).
      sql`INSERT INTO deals (id, tenant_id, name, name_sort, amount_minor, currency, close_date, close_key, owner_id,
          company_id, pipeline_id, stage_id, status, lost_reason, closed_on, created_by, created_at, updated_at,
          last_activity_at)
        SELECT r.id, r.tenant_id, r.name, r.name_sort, ${setOr("amountMinor", "amount_minor")}, ${setOr("currency", "currency")},
          ${setOr("closeDate", "close_date")}, ${setOr("closeKey", "close_key")}, r.owner_id,
          CASE WHEN json_type(j.value, '$.set.companyId') IS NOT NULL THEN (SELECT id FROM companies
            WHERE tenant_id = ${tenant} AND id = j.value ->> '$.set.companyId') ELSE r.company_id END, r.pipeline_id,
          ${setOr("stageId", "stage_id")}, ${setOr("status", "status")}, ${setOr("lostReason", "lost_reason")},
          ${setOr("closedOn", "closed_on")}, r.created_by, r.created_at, ${now}, ${now}
        ${matched.from} WHERE true
        ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
          company_id = excluded.company_id, close_date = excluded.close_date, close_key = excluded.close_key,
          stage_id = excluded.stage_id,
          status = excluded.status, lost_reason = excluded.lost_reason, closed_on = excluded.closed_on,
          updated_at = excluded.updated_at, last_activity_at = excluded.last_activity_at`,
      totalsInto(t, ids),
      spansOpen(matched, ctx.actorId, now, sql`j.value ->> 'moves'`),
      ...shared.history("deal", matched, "updated"),
    );
  }
  s.push(
    ...shared.finish(
      chunkNo,
      { contacts: 0, companies: 0, notes: 0 },
      { created: creates.length, updated: updates.length },
    ),
  );
  return s;
}
