/**
 * Deleting a deal: ONE batch that copies it to the trash and takes it out of the totals, the counter and the
 * tables that point at it.
 */
import { eq, sql } from "drizzle-orm";
import { runRawBatchRows } from "../../db/raw-batch";
import type { TenantDb } from "../../db/scoped";
import { activities, deals, importRecords, recentViews } from "../../db/schema";
import type { KeyActor } from "../../lib/actor";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { deleteNotesOfStatements } from "../records/notes";
import { deleteTasksOfStatements } from "../tasks/statements";
import { trashStatements } from "../trash/snapshot";
import { webhookEventInsert } from "../webhooks/events";
import { dealData } from "../webhooks/payloads";
import { dealAudit, dealCounter, totalsOut } from "./statements";

/**
 * Deletes a deal with its notes, custom values, timeline and recent views (contacts, tags and
 * history go by foreign-key cascade), taking it out of the totals and the counter, audited, with its
 * deal.deleted event; all of it is copied to the trash first, in the same batch (src/services/trash/).
 * Returns false when the workspace has no such deal.
 */
export async function deleteDeal(t: TenantDb, actor: KeyActor, id: number): Promise<boolean> {
  const results = await runRawBatchRows(t.db, [
    ...trashStatements(t, "deal", [id], actor),
    totalsOut(t, id),
    dealCounter(t, sql`-(SELECT count(*) FROM deals WHERE tenant_id = ${t.tenantId} AND id = ${id})`),
    ...deleteNotesOfStatements(t, "deal", [id]),
    ...deleteTasksOfStatements(t, "deal", [id]),
    ...deleteInteractionsOfStatements(t, "deal", [id]),
    sql`DELETE FROM custom_field_values WHERE tenant_id = ${t.tenantId} AND entity_id = ${id}
      AND field_id IN (SELECT id FROM custom_fields WHERE tenant_id = ${t.tenantId} AND entity = 'deal')`,
    t.delete(activities, eq(activities.subjectType, "deal"), eq(activities.subjectId, id)),
    t.delete(recentViews, eq(recentViews.subjectType, "deal"), eq(recentViews.subjectId, id)),
    // What an import wrote about the deal (for undo) goes with it, as for contacts.
    t.delete(importRecords, eq(importRecords.entityType, "deal"), eq(importRecords.entityId, id)),
    dealAudit(t, id, actor, "record.deleted"),
    // Before the row goes: the deal as it was (its notes go with it, without a note.deleted each).
    webhookEventInsert(
      t,
      "deal.deleted",
      dealData(),
      sql`FROM deals d WHERE d.tenant_id = ${t.tenantId} AND d.id = ${id}`,
      actor.now,
    ),
    t.delete(deals, eq(deals.id, id)).returning({ id: deals.id }),
  ]);
  return results[results.length - 1]!.length > 0;
}
