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

/** Erasing (a privacy request) rather than deleting: audited as such, optionally suppressing future imports. */
export interface EraseOptions {
  /** SUPPRESSION_KEY: the contacts' email addresses go onto the tenant's suppression list (as keyed hashes). */
  suppressKey?: string;
}

/**
 * Deletes contacts of the tenant with everything that refers to them: notes, logged interactions, custom
 * values, activity, recent views and the import history's rows about them (emails, phones and tags go by
 * foreign-key cascade, the search index by trigger), adjusts the counters and writes the audit entry, all in one
 * batch. With `erase`, the entry says "erased" and the addresses may be suppressed in the same batch.
 * Ids that are not the tenant's are ignored. Returns how many were deleted.
 */
export async function deleteContacts(
  t: TenantDb,
  actor: Actor,
  ids: number[],
  opts: { bulk: boolean; erase?: EraseOptions },
): Promise<number> {
  const { db, tenantId } = t;
  const unique = [...new Set(ids)].slice(0, BULK_MAX_IDS);
  const owned = (await ownedContacts(t, unique)).map((c) => c.id);
  if (owned.length === 0) return 0;
  const fields = await listCustomFields(t, "contact");
  const valueStatements = fields.length ? [deleteValuesStatement(t, fields, owned)] : [];
  const suppressKey = opts.erase?.suppressKey;
  const suppression = suppressKey
    ? await suppressStatements(
        db,
        tenantId,
        suppressKey,
        (
          await db
            .select({ email: contactEmails.email })
            .from(contactEmails)
            .where(t.where(contactEmails, inJsonList(contactEmails.contactId, owned)))
        ).map((r) => r.email),
        actor.now,
      )
    : [];
  const action = opts.erase ? "record.erased" : "record.deleted";
  const eraseDetail: Record<string, boolean> = opts.erase ? { suppressed: suppression.length > 0 } : {};
  // The audit trail is append-only, so it names contacts by id only: a deleted person's name must not
  // outlive them there.
  const audit = opts.bulk
    ? auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetLabel: `${owned.length} contacts (bulk)`,
        detail: { bulk: true, count: owned.length, ids: owned.join(" "), ...eraseDetail },
        ...actor,
      })
    : auditInsert(db, {
        tenantId,
        actorUserId: actor.userId,
        action,
        targetType: "contact",
        targetId: String(owned[0]),
        targetLabel: `Contact #${owned[0]}`,
        ...(opts.erase ? { detail: eraseDetail } : {}),
        ...actor,
      });
  const results = await db.batch([
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
    audit,
    // The tenant condition is inside the id list, which drives the delete by primary key.
    db
      .delete(contacts)
      .where(sql`${contacts.id} IN (${ownedIdsSql(t, owned)})`)
      .returning({ id: contacts.id }),
  ]);
  return (results[results.length - 1] as { id: number }[]).length;
}
