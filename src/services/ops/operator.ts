/**
 * Who acts on an account and how the action is written down: an operator through /ops (automation: an
 * entry with no workspace and no actor), or a staff member in the console (an entry in each workspace
 * the account belongs to, the staff member as actor, so the customer sees it in their trail).
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships } from "../../db/schema";
import type { RequestMeta } from "../../lib/actor";
import { type AuditAction, type AuditEvent, auditInsert } from "../audit/audit";
import { staffAuditInsert } from "../staff/staff-audit";

/** Who acts and why; both are required and both go into the audit entry. */
export interface OperatorNote {
  operator: string;
  reason: string;
}

/** A staff member acting from the console, with the reason (and ticket) typed in its form. */
export interface StaffNote {
  staff: { id: string; name: string };
  reason: string;
  ticket: string | null;
  /** Erasure: the admin who asked, when another one approved and so acts. */
  askedBy?: string;
}

export type AccountActor = { operator: OperatorNote } | { staff: StaffNote };

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

/** What an account action records, with the action's name for each kind of actor. */
export interface AccountActionEntry extends Pick<AuditEvent, "targetType" | "targetId" | "targetLabel" | "detail"> {
  opsAction: AuditAction;
  staffAction: AuditAction;
}

/**
 * The audit inserts of an account action: the operator's one entry, or the staff member's entry in each
 * of `tenantIds` (the workspaces whose trails, and whose member's profile, show it); with none, one
 * entry without a workspace (the console's trail, and the account's data export when it targets the user).
 */
export function accountActionAudit(
  db: Database,
  by: AccountActor,
  meta: RequestMeta,
  tenantIds: string[],
  e: AccountActionEntry,
): [AuditInsert, ...AuditInsert[]] {
  if ("operator" in by)
    return [
      operatorAudit(db, by.operator, meta, {
        action: e.opsAction,
        targetType: e.targetType,
        targetId: e.targetId,
        detail: e.detail,
      }),
    ];
  const { staff, reason, ticket, askedBy } = by.staff;
  const detail = {
    reason,
    ...(ticket ? { ticket } : {}),
    ...(askedBy ? { asked_by: askedBy } : {}),
    ...e.detail,
  };
  const insert = (tenantId: string | null) =>
    staffAuditInsert(db, {
      staffId: staff.id,
      staffName: staff.name,
      tenantId,
      action: e.staffAction,
      targetType: e.targetType,
      targetId: e.targetId,
      targetLabel: e.targetLabel,
      detail,
      ...meta,
    });
  const [first, ...rest] = tenantIds;
  return first === undefined ? [insert(null)] : [insert(first), ...rest.map(insert)];
}

type AuditInsert = ReturnType<typeof auditInsert>;

/** The workspaces an account belongs to (any role, open or closed): where a staff action on it is recorded. */
export async function workspaceIdsOf(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
  return rows.map((r) => r.tenantId);
}
