/**
 * Deleting contacts, one or a selection, and erasing them (a privacy request): everything that refers
 * to them goes in the same batch as the rows, with the counters and the audit entry.
 */
import { deleteTasksOfStatements } from "../tasks/statements";
import { eq, sql } from "drizzle-orm";
import type { TenantDb } from "../../db/scoped";
import { inJsonList } from "../../db/sql";
import { activities, contactEmails, contacts, importRecords, recentViews, tenantCounters } from "../../db/schema";
import type { Actor } from "../../lib/actor";
import { auditInsert } from "../audit/audit";
import { suppressStatements } from "../privacy/suppression";
import { deleteInteractionsOfStatements } from "../interactions/interactions";
import { deleteValuesStatement, listCustomFields } from "../records/custom-fields";
import { deleteNotesOfStatements } from "../records/notes";
import { BULK_MAX_IDS, ownedContacts, ownedIdsSql } from "./bulk";
import { rawBatchResults } from "../../db/raw-batch";
import { eraseFromTrashStatements, trashedRecordIds } from "../trash/items";
import { trashStatements } from "../trash/snapshot";
import { erasedFromWebhookEvents, webhookEventInsert } from "../webhooks/events";
import { erasedFromApiAnswers } from "../api/idempotency";
import { erasedFromDealTimelines, withMergedIds } from "./erase-names";

/** Erasing (a privacy request) rather than deleting: audited as such, optionally suppressing future imports. */
export interface EraseOptions {
  /** SUPPRESSION_KEY: the contacts' email addresses go onto the tenant's suppression list (as keyed hashes). */
  suppressKey?: string;
}

/**
 * Deletes contacts of the tenant with everything that refers to them: notes, logged interactions, custom
 * values, activity, recent views and the import history's rows about them (emails, phones and tags go by
 * foreign-key cascade, the search index by trigger), adjusts the counters and writes the audit entry, all in one
 * batch, after copying them all to the trash (src/services/trash/). With `erase`, nothing goes to the trash,
 * the contacts already there (and their notes and tasks trashed alone) are erased from it too, the entry says
 * "erased" and the addresses may be suppressed in the same batch.
 * Ids that are not the tenant's are ignored. Returns how many were deleted (or erased).
 */
export async function deleteContacts(
  t: TenantDb,
  // userId null: an API key whose maker's account is gone (src/services/api/).
  actor: Omit<Actor, "userId"> & { userId: string | null },
  ids: number[],
  opts: { bulk: boolean; erase?: EraseOptions },
): Promise<number> {
  const { db, tenantId } = t;
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const owned = (await ownedContacts(t, unique)).map((c) => c.id);
  // An erasure reaches the trash too: a person deleted yesterday and erased today is gone from both.
  const trashed = opts.erase ? await trashedRecordIds(t, "contact", unique) : [];
  if (owned.length === 0 && trashed.length === 0) return 0;
  const fields = await listCustomFields(t, "contact");
  const valueStatements = fields.length ? [deleteValuesStatement(t, fields, owned)] : [];
  const suppressKey = opts.erase?.suppressKey;
  const suppression = suppressKey
    ? await suppressStatements(
        db,
        tenantId,
        suppressKey,
        [
          ...(
            await db
              .select({ email: contactEmails.email })
              .from(contactEmails)
              .where(t.where(contactEmails, inJsonList(contactEmails.contactId, owned)))
          ).map((r) => r.email),
          ...(await trashedEmails(t, trashed)),
        ],
        actor.now,
      )
    : [];
  const action = opts.erase ? "record.erased" : "record.deleted";
  const affected = [...owned, ...trashed];
  // Erasure also reaches what is kept under the ids of contacts merged into these.
  const traced = opts.erase ? await withMergedIds(t, affected) : null;
  const eraseDetail: Record<string, boolean> = opts.erase ? { suppressed: suppression.length > 0 } : {};
  // The audit trail is append-only, so it names contacts by id only: a deleted person's name must not
  // outlive them there.
  const audit = opts.bulk
    ? auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetLabel: `${affected.length} contacts (bulk)`,
        detail: { bulk: true, count: affected.length, ids: affected.join(" "), ...eraseDetail },
        ...actor,
      })
    : auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetId: String(affected[0]),
        targetLabel: `Contact #${affected[0]}`,
        ...(opts.erase ? { detail: eraseDetail } : {}),
        ...actor,
      });
  const results = await rawBatchResults(db, [
    // Erasing skips the trash (and empties it of them); deleting moves them there, before the rows go.
    ...(opts.erase ? eraseFromTrashStatements(t, "contact", affected) : trashStatements(t, "contact", owned, actor)),
    // Counted inside the batch, just before the delete: if someone else deleted some of these a
    // moment ago, they are not subtracted twice.
    t.update(tenantCounters, {
      contacts: sql`max(0, ${tenantCounters.contacts} - (SELECT count(*) FROM (${ownedIdsSql(t, owned)})))`,
    }),
    ...deleteNotesOfStatements(t, "contact", owned),
    ...deleteTasksOfStatements(t, "contact", owned),
    ...deleteInteractionsOfStatements(t, "contact", owned),
    ...valueStatements,
    t.delete(activities, eq(activities.subjectType, "contact"), inJsonList(activities.subjectId, owned)),
    t.delete(recentViews, eq(recentViews.subjectType, "contact"), inJsonList(recentViews.subjectId, owned)),
    // The import history keeps what an import wrote about a person (for undo); once they are gone it
    // must not keep them, and undo has nothing left to do for them.
    t.delete(importRecords, eq(importRecords.entityType, "contact"), inJsonList(importRecords.entityId, owned)),
    ...suppression,
    // An erased person leaves no copy in the webhook outbox (the receivers have what was sent) or the API's kept answers.
    ...(traced
      ? [erasedFromWebhookEvents(t, traced), erasedFromApiAnswers(t, traced), ...erasedFromDealTimelines(t, traced)]
      : []),
    audit,
    // Only the id: an erased person's details must not travel on, and a deleted one's are in the trash.
    webhookEventInsert(
      t,
      "contact.deleted",
      sql`json_object('id', c.id, 'erased', json(${opts.erase ? "true" : "false"}), 'merged_into', NULL)`,
      sql`FROM contacts c WHERE c.tenant_id = ${tenantId} AND c.id IN (${ownedIdsSql(t, owned)})`,
      actor.now,
    ),
    // The tenant condition is inside the id list, which drives the delete by primary key.
    db
      .delete(contacts)
      .where(sql`${contacts.id} IN (${ownedIdsSql(t, owned)})`)
      .returning({ id: contacts.id }),
  ]);
  return (results.at(-1)?.results ?? []).length + trashed.length;
}

/** The addresses of trashed contacts, read from their snapshot (for the suppression list). */
async function trashedEmails(t: TenantDb, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await t.db.all<{ email: string }>(
    sql`SELECT json_extract(r.data, '$.email') AS email FROM trash_items i
      JOIN trash_rows r ON r.tenant_id = i.tenant_id AND r.item_id = i.id AND r.table_name = 'contact_emails'
      WHERE i.tenant_id = ${t.tenantId} AND i.kind = 'contact' AND i.record_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  );
  return rows.map((r) => r.email);
}
