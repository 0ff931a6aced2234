/** Audit entries that a batch writes only when its change really happens (billing's conditional writes). */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, tenantBilling } from "../../db/schema";
import type { AuditAction } from "../audit/audit";

/**
 * An audit insert that writes a row only where `where` holds on the tenant's billing row, evaluated
 * inside the batch: a change is recorded exactly when it happens, and never by a request that lost.
 */
export function auditWhere(
  db: Database,
  where: SQL,
  e: {
    action: AuditAction;
    targetType: string;
    targetId: string;
    targetLabel?: string;
    detail?: SQL;
    actorUserId: string | null;
    ip?: string | null;
    userAgent?: string | null;
    now: number;
  },
) {
  return db.insert(auditLog).select(
    db
      .select({
        // Every column, in the table's order, as drizzle's insert-select requires; a null id takes the next one.
        id: sql<number>`null`.as("id"),
        tenantId: tenantBilling.tenantId,
        actorUserId: sql<string | null>`${e.actorUserId}`.as("actor_user_id"),
        action: sql<string>`${e.action}`.as("action"),
        targetType: sql<string>`${e.targetType}`.as("target_type"),
        targetId: sql<string>`${e.targetId}`.as("target_id"),
        targetLabel: sql<string | null>`${e.targetLabel ?? null}`.as("target_label"),
        detail: (e.detail ? sql<string | null>`${e.detail}` : sql<string | null>`null`).as("detail"),
        ip: sql<string | null>`${e.ip ?? null}`.as("ip"),
        userAgent: sql<string | null>`${e.userAgent?.slice(0, 512) ?? null}`.as("user_agent"),
        createdAt: sql<number>`${e.now}`.as("created_at"),
      })
      .from(tenantBilling)
      .where(where),
  );
}
