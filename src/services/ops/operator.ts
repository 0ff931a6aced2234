/** What every operator action carries: who acts and why, recorded in an audit entry with no actor. */
import type { Database } from "../../db/client";
import type { RequestMeta } from "../../lib/actor";
import { type AuditEvent, auditInsert } from "../audit/audit";

/** Who acts and why; both are required and both go into the audit entry. */
export interface OperatorNote {
  operator: string;
  reason: string;
}

/** The audit insert of an operator action: no workspace, no actor; the note first in its detail. */
export function operatorAudit(
  db: Database,
  note: OperatorNote,
  meta: RequestMeta,
  e: Pick<AuditEvent, "action" | "targetType" | "targetId" | "detail">,
) {
  return auditInsert(db, {
    tenantId: null,
    actorUserId: null,
    ...e,
    detail: { operator: note.operator, reason: note.reason, ...e.detail },
    ...meta,
  });
}
