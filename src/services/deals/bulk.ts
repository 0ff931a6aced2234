/**
 * Actions on many deals at once (the deal list's selection): move to a stage of the same pipeline,
 * change the owner, add a tag, delete. Each is one batch of set-based statements driven by the id list
 * (json_each), with the stage totals, counters and timeline changed in the same batch. Ids that are not
 * the workspace's are ignored, as in the contacts' bulk actions.
 */
import { deleteTasksOfStatements } from "../tasks/statements";
import { trashStatements } from "../trash/snapshot";
import { eq, sql, type SQL } from "drizzle-orm";
import { rawBatchResults } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { activities, importRecords, recentViews, tenantCounters } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditInsert } from "../audit/audit";
import { deleteValuesStatement, listCustomFields } from "../records/custom-fields";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { deleteNotesOfStatements } from "../records/notes";
import { listTags } from "../records/tags";
import { getStage } from "./stages";
import { isoSql, webhookEventSql } from "../webhooks/events";
import { dealData, dealUpdatedData, stageChangedData } from "../webhooks/payloads";

/** Bulk actions take at most this many ids: one bounded batch. */
export const DEAL_BULK_MAX_IDS = 500;

/** The workspace's deals among `ids` (alias d), looked up by primary key from the id list. */
function selected(t: TenantDb, ids: number[], extra: SQL = sql``) {
  const list = JSON.stringify([...new Set(ids)].slice(0, DEAL_BULK_MAX_IDS));
  return sql`json_each(${list}) j CROSS JOIN deals d ON d.id = j.value WHERE d.tenant_id = ${t.tenantId}${extra}`;
}

/** Of the given ids, the workspace's deals with their names, in the order given. */
export async function ownedDeals(t: TenantDb, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  return t.db.all<{ id: number; name: string }>(sql`SELECT d.id, d.name FROM ${selected(t, ids)} ORDER BY j.key`);
}

/**
 * Moves the selected deals to a stage. Only deals of that stage's pipeline move (a stage of another
 * pipeline is not a place for them); those already there stay. Null when the stage is not the
 * workspace's; otherwise how many moved.
 */
export async function moveDealsToStage(t: TenantDb, actor: Actor, ids: number[], stageId: number) {
  const stage = await getStage(t, stageId);
  if (!stage) return null;
  const { tenantId } = t;
  const now = actor.now;
  const moving = selected(t, ids, sql` AND d.pipeline_id = ${stage.pipelineId} AND d.stage_id <> ${stageId}`);
  const movingIds = sql`SELECT d.id FROM ${moving}`;
  const [, , , , , , changed] = await rawBatchResults(t.db, [
    sql`UPDATE deal_stage_history SET left_at = ${now}
      WHERE tenant_id = ${tenantId} AND left_at IS NULL AND deal_id IN (${movingIds})`,
    sql`INSERT INTO deal_stage_history (tenant_id, deal_id, pipeline_id, stage_id, status, entered_at, left_at,
        actor_id)
      SELECT d.tenant_id, d.id, d.pipeline_id, ${stageId}, d.status, ${now}, NULL, ${actor.userId} FROM ${moving}`,
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT d.tenant_id, 'deal', d.id, ${actor.userId}, 'updated', json_object('stage', json_array(
          (SELECT s.name FROM pipeline_stages s WHERE s.id = d.stage_id AND s.tenant_id = d.tenant_id), ${stage.name})),
        ${now} FROM ${moving}`,
    // Open deals leave their stages' totals and join the target's, counted from the deals in the batch.
    sql`UPDATE deal_stage_totals SET deals = deal_stage_totals.deals - x.n,
        amount_minor = deal_stage_totals.amount_minor - x.amount
      FROM (SELECT d.stage_id, d.currency, count(*) AS n, sum(d.amount_minor) AS amount FROM ${moving}
        AND d.status = 'open' GROUP BY d.stage_id, d.currency) x
      WHERE deal_stage_totals.tenant_id = ${tenantId} AND deal_stage_totals.stage_id = x.stage_id
        AND deal_stage_totals.currency = x.currency`,
    sql`INSERT INTO deal_stage_totals (tenant_id, stage_id, currency, deals, amount_minor)
      SELECT d.tenant_id, ${stageId}, d.currency, count(*), sum(d.amount_minor) FROM ${moving} AND d.status = 'open'
      GROUP BY d.tenant_id, d.currency
      ON CONFLICT (tenant_id, stage_id, currency) DO UPDATE
        SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor`,
    // Before the rows move: each deal as it lands, and where it was.
    webhookEventSql(
      t,
      "deal.stage_changed",
      stageChangedData(stageId, sql`${stage.name}`, now),
      sql`FROM ${moving}`,
      now,
    ),
    sql`UPDATE deals SET stage_id = ${stageId}, updated_at = ${now}, last_activity_at = ${now}
      WHERE tenant_id = ${tenantId} AND id IN (${movingIds}) RETURNING id`,
  ]);
  return changed!.results.length;
}

/** Gives the selected deals to a member. Null when `ownerId` is not a member of the workspace. */
export async function changeDealsOwner(t: TenantDb, actor: Actor, ids: number[], ownerId: string) {
  const [member] = await t.db.all<{
    email: string;
  }>(sql`SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = ${t.tenantId} AND m.user_id = ${ownerId}`);
  if (!member) return null;
  const changing = selected(t, ids, sql` AND d.owner_id IS NOT ${ownerId}`);
  const ownerEmail = sql`CASE WHEN d.owner_id IS NULL THEN NULL ELSE coalesce((SELECT u.email FROM memberships m
    JOIN users u ON u.id = m.user_id WHERE m.tenant_id = d.tenant_id AND m.user_id = d.owner_id), 'former member') END`;
  const [, , changed] = await rawBatchResults(t.db, [
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT d.tenant_id, 'deal', d.id, ${actor.userId}, 'updated',
        json_object('owner', json_array(${ownerEmail}, ${member.email})), ${actor.now} FROM ${changing}`,
    // Before the rows change (after it `changing` selects none): each deal as it will be.
    webhookEventSql(
      t,
      "deal.updated",
      sql`json_set(${dealUpdatedData(["owner_id"])}, '$.owner_id', ${ownerId},
        '$.updated_at', ${isoSql(sql`${actor.now}`)})`,
      sql`FROM ${changing}`,
      actor.now,
    ),
    sql`UPDATE deals SET owner_id = ${ownerId}, updated_at = ${actor.now},
        last_activity_at = ${actor.now}
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT d.id FROM ${changing}) RETURNING id`,
  ]);
  return changed!.results.length;
}

/** Adds a tag to the selected deals (those that have it stay as they are). Null when the tag is not the workspace's. */
export async function tagDeals(t: TenantDb, actor: Actor, ids: number[], tagId: number) {
  const tag = (await listTags(t)).find((x) => x.id === tagId);
  if (!tag) return null;
  const lacking = selected(
    t,
    ids,
    sql` AND NOT EXISTS (SELECT 1 FROM deal_tags dt WHERE dt.tenant_id = d.tenant_id AND dt.deal_id = d.id
      AND dt.tag_id = ${tagId})`,
  );
  const [, , , added] = await rawBatchResults(t.db, [
    sql`INSERT INTO activities (tenant_id, subject_type, subject_id, actor_id, kind, detail, created_at)
      SELECT d.tenant_id, 'deal', d.id, ${actor.userId}, 'tagged', ${JSON.stringify({ tags: [null, tag.name] })},
        ${actor.now} FROM ${lacking}`,
    sql`UPDATE deals SET updated_at = ${actor.now}, last_activity_at = ${actor.now}
      WHERE tenant_id = ${t.tenantId} AND id IN (SELECT d.id FROM ${lacking})`,
    // Before the tag is attached (after it `lacking` selects none): each deal with the tag it is getting.
    webhookEventSql(
      t,
      "deal.updated",
      dealUpdatedData(["tags"], "d", { addTagId: tagId }),
      sql`FROM ${lacking}`,
      actor.now,
    ),
    sql`INSERT INTO deal_tags (tenant_id, deal_id, tag_id)
      SELECT d.tenant_id, d.id, ${tagId} FROM ${selected(t, ids)} ON CONFLICT DO NOTHING RETURNING deal_id`,
  ]);
  return added!.results.length;
}

/**
 * Deletes the selected deals with what refers to them (notes, custom values, timeline, recent views;
 * contacts, tags and stage history by cascade), lowering the open totals and the deal counter by what
 * the batch itself finds, with one audit entry naming them by id and a deal.deleted event each; each goes to
 * the trash first, in the same batch. Returns how many were deleted.
 */
export async function deleteDeals(t: TenantDb, actor: Actor, ids: number[]): Promise<number> {
  const owned = (await ownedDeals(t, ids)).map((d) => d.id);
  if (owned.length === 0) return 0;
  const fields = await listCustomFields(t, "deal");
  const { tenantId } = t;
  const results = await rawBatchResults(t.db, [
    ...trashStatements(t, "deal", owned, actor),
    t.update(tenantCounters, {
      deals: sql`max(0, ${tenantCounters.deals} - (SELECT count(*) FROM ${selected(t, owned)}))`,
    }),
    sql`UPDATE deal_stage_totals SET deals = deal_stage_totals.deals - x.n,
        amount_minor = deal_stage_totals.amount_minor - x.amount
      FROM (SELECT d.stage_id, d.currency, count(*) AS n, sum(d.amount_minor) AS amount FROM ${selected(t, owned)}
        AND d.status = 'open' GROUP BY d.stage_id, d.currency) x
      WHERE deal_stage_totals.tenant_id = ${tenantId} AND deal_stage_totals.stage_id = x.stage_id
        AND deal_stage_totals.currency = x.currency`,
    ...deleteNotesOfStatements(t, "deal", owned),
    ...deleteTasksOfStatements(t, "deal", owned),
    ...deleteInteractionsOfStatements(t, "deal", owned),
    ...(fields.length ? [deleteValuesStatement(t, fields, owned)] : []),
    t.delete(activities, eq(activities.subjectType, "deal"), inJsonList(activities.subjectId, owned)),
    t.delete(recentViews, eq(recentViews.subjectType, "deal"), inJsonList(recentViews.subjectId, owned)),
    // What an import wrote about these deals (for undo) goes with them, as for contacts.
    t.delete(importRecords, eq(importRecords.entityType, "deal"), inJsonList(importRecords.entityId, owned)),
    auditInsert(t.db, {
      tenantId,
      actorUserId: actor.userId,
      action: "record.deleted",
      targetType: "deal",
      targetLabel: `${owned.length} deals (bulk)`,
      detail: { bulk: true, count: owned.length, ids: owned.join(" ") },
      ...actor,
    }),
    // Before the rows go: each deal as it was, as deleting one does.
    webhookEventSql(t, "deal.deleted", dealData(), sql`FROM ${selected(t, owned)}`, actor.now),
    sql`DELETE FROM deals WHERE tenant_id = ${tenantId}
      AND id IN (SELECT d.id FROM ${selected(t, owned)}) RETURNING id`,
  ]);
  return results.at(-1)!.results.length;
}
