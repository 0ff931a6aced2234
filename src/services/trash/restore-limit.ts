/**
 * The Free plan's contact limit on a restore. A restore is an undo, and an undo may take a workspace past the limit
 * (billing never takes records away: a past-due or downgraded workspace over it must still get back what it deleted),
 * but only while nothing was added since the delete; otherwise the restore counts as a new contact would, inside the
 * batch (services/billing/limits.ts). Without that, delete 200, create 200, restore 200 would grow a Free workspace
 * past its limit without bound.
 */
import { sql, type SQL } from "drizzle-orm";
import { auditLog, type TrashItem } from "../../db/schema";
import type { TenantDb } from "../../db/scoped";
import { auditRow, type AuditEvent } from "../audit/audit";
import { insertWhere } from "../../db/sql";
import { stillTrashed } from "./items";
import { contactWithinLimit } from "../billing/limits";

/**
 * SQL: the restore of `item` is an undo. Since its delete, the workspace created no contact (one live now, or in the
 * trash since) and restored none under the limit check; undos in between only gave back what was there before, so
 * this one puts back no more than the workspace held. Same-millisecond creates count as after (`>=`).
 */
export function undoOnly(t: TenantDb, item: TrashItem): SQL {
  const since = item.deletedAt;
  return sql`(NOT EXISTS (SELECT 1 FROM contacts c WHERE c.tenant_id = ${t.tenantId} AND c.created_at >= ${since})
    AND NOT EXISTS (SELECT 1 FROM trash_items ti JOIN trash_rows tr ON tr.tenant_id = ti.tenant_id
        AND tr.item_id = ti.id AND tr.table_name = 'contacts'
      WHERE ti.tenant_id = ${t.tenantId} AND ti.kind = 'contact' AND ti.id > ${item.id}
        AND json_extract(tr.data, '$.created_at') >= ${since})
    AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = ${t.tenantId} AND a.action = 'record.restored'
      AND a.target_type = 'contact' AND a.created_at >= ${since} AND json_extract(a.detail, '$.limit_checked') = 1))`;
}

/** SQL: the trashed contact may come back: an undo, or room under the Free limit (a paid plan always has room). */
export function restoreAllowed(t: TenantDb, item: TrashItem, freeMaxContacts: number): SQL {
  return sql`(${undoOnly(t, item)} OR ${contactWithinLimit(t.tenantId, freeMaxContacts)})`;
}

/**
 * The restore's audit entry, written only while the item is still in the trash (so a restore that found it gone
 * leaves none), naming the trash item (a second Undo finds where it went). A contact's restore that was not an undo
 * is marked `limit_checked`, so a later undo of an older delete counts it as an addition, as a create (decided in the
 * batch, as the guard is). Goes in the batch before the item's delete.
 */
export function restoreAudit(t: TenantDb, item: TrashItem, e: AuditEvent, freeMaxContacts: number | null): SQL {
  const values = auditRow(e).values;
  const limited = item.kind === "contact" && freeMaxContacts !== null;
  const detail = limited
    ? sql`CASE WHEN ${undoOnly(t, item)} THEN json_object('trash_item', ${item.id})
        ELSE json_object('trash_item', ${item.id}, 'limit_checked', json('true')) END`
    : sql`json_object('trash_item', ${item.id})`;
  return insertWhere({ table: auditLog, values: { ...values, detail } }, stillTrashed(t, item.id));
}
