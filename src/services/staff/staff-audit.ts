/**
 * What staff do is written to the audit trail like anything else: with the workspace it touched (so the
 * customer sees it on their audit page) or none (sign-ins, managing staff), the actor being the staff
 * member's id, which no customer account has, and their name in the detail as it was at the time.
 */
import type { Database } from "../../db/client";
import type { RequestMeta } from "../../lib/actor";
import { auditInsert, type AuditAction, type AuditEvent } from "../audit/audit";

export interface StaffAuditEvent extends RequestMeta {
  staffId: string;
  staffName?: string;
  action: AuditAction;
  tenantId?: string | null;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  detail?: AuditEvent["detail"];
}

/** The entry as the audit trail keeps it. */
export function staffAuditEntry(e: StaffAuditEvent): AuditEvent {
  return {
    tenantId: e.tenantId ?? null,
    actorUserId: e.staffId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetLabel: e.targetLabel,
    detail: e.staffName ? { staff: e.staffName, ...e.detail } : e.detail,
    ip: e.ip,
    userAgent: e.userAgent,
    now: e.now,
  };
}

export function staffAuditInsert(db: Database, e: StaffAuditEvent) {
  return auditInsert(db, staffAuditEntry(e));
}
