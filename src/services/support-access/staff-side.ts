/**
 * Support access, the staff side: the directory (one workspace by its exact id or its owner's exact
 * address; no list to browse), the grant a staff member may use now, asking a workspace for access, and
 * break-glass (an admin's written reason, live only once a second admin approves).
 */
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { scoped } from "../../db/scoped";
import {
  memberships,
  supportGrants,
  tenantBilling,
  tenantCounters,
  tenants,
  users,
  type SupportAccess,
  type SupportGrant,
} from "../../db/schema";
import type { StaffAuth } from "../../auth/staff-session";
import type { RequestMeta } from "../../lib/actor";
import { isId, newId } from "../../lib/ids";
import { auditRow } from "../audit/audit";
import { staffAuditEntry, staffAuditInsert } from "../staff/staff-audit";
import { supportAccessRequestedMail } from "../../mail/support-access-messages";
import {
  claimGrant,
  GRANT_DURATIONS,
  liveCondition,
  ownerMail,
  ownerOf,
  startedMail,
  SUPPORT_ACCESS_PAGE,
  type GrantDuration,
} from "./grants";
import { mailLink } from "../reminders/links";

export interface DirectoryEntry {
  id: string;
  name: string;
  createdAt: number;
  closedAt: number | null;
  billingState: string;
  contacts: number;
  companies: number;
  deals: number;
}

/** The workspaces an exact workspace id or owner address names (an owner may have several). */
export async function findWorkspaces(db: Database, query: string): Promise<DirectoryEntry[]> {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const byId = isId(q);
  /* all tenants: the directory looks a workspace up by its exact id or its owner's exact address */
  const rows = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      createdAt: tenants.createdAt,
      closedAt: tenants.closedAt,
      billingState: sql<string>`coalesce(${tenantBilling.state}, 'free')`,
      contacts: sql<number>`coalesce(${tenantCounters.contacts}, 0)`,
      companies: sql<number>`coalesce(${tenantCounters.companies}, 0)`,
      deals: sql<number>`coalesce(${tenantCounters.deals}, 0)`,
    })
    .from(tenants)
    .leftJoin(tenantBilling, eq(tenantBilling.tenantId, tenants.id))
    .leftJoin(tenantCounters, eq(tenantCounters.tenantId, tenants.id))
    .where(
      byId
        ? eq(tenants.id, q)
        : sql`${tenants.id} IN (SELECT ${memberships.tenantId} FROM ${memberships} INNER JOIN ${users}
            ON ${users.id} = ${memberships.userId} WHERE ${users.email} = ${q} AND ${memberships.role} = 'owner')`,
    )
    .limit(20);
  return rows;
}

/** The grant this staff member may use in the workspace now, or null (then every support route is a 403). */
export async function usableGrant(
  db: Database,
  tenantId: string,
  staffId: string,
  now: number,
): Promise<SupportGrant | null> {
  const t = scoped(db, tenantId);
  const [grant] = await db
    .select()
    .from(supportGrants)
    .where(
      t.where(supportGrants, liveCondition(now), or(isNull(supportGrants.staffId), eq(supportGrants.staffId, staffId))),
    )
    // Read and write before read-only, then the one lasting longest.
    .orderBy(desc(supportGrants.access), desc(supportGrants.expiresAt))
    .limit(1);
  return grant ?? null;
}

/** This staff member's grants and requests for one workspace, newest first. */
export function grantsForStaff(db: Database, tenantId: string, staffId: string) {
  const t = scoped(db, tenantId);
  return db
    .select()
    .from(supportGrants)
    .where(t.where(supportGrants, or(isNull(supportGrants.staffId), eq(supportGrants.staffId, staffId))))
    .orderBy(desc(supportGrants.createdAt))
    .limit(20);
}

export interface AccessAsk {
  access: SupportAccess;
  duration: GrantDuration;
  ticket: string | null;
  message: string | null;
}

/** Asks the workspace's owner for access: nothing opens until an owner or admin approves. */
export async function requestAccess(
  db: Database,
  who: StaffAuth,
  tenantId: string,
  ask: AccessAsk,
  baseUrl: string,
  meta: RequestMeta,
): Promise<{ ok: true; mailIds: string[] } | { ok: false }> {
  const t = scoped(db, tenantId);
  const owner = await ownerOf(t);
  if (!owner) return { ok: false };
  const id = newId();
  const mail = ownerMail(
    t,
    owner,
    supportAccessRequestedMail({
      tenantName: owner.tenantName,
      staffName: who.name,
      access: ask.access,
      duration: GRANT_DURATIONS[ask.duration].label,
      ticket: ask.ticket,
      message: ask.message,
      link: mailLink(baseUrl, tenantId, SUPPORT_ACCESS_PAGE),
    }),
    meta.now,
  );
  await db.batch([
    t.insert(supportGrants, {
      id,
      kind: "request",
      access: ask.access,
      durationMs: GRANT_DURATIONS[ask.duration].ms,
      staffId: who.id,
      staffName: who.name,
      ticket: ask.ticket,
      reason: ask.message,
      createdAt: meta.now,
    }),
    staffAuditInsert(db, {
      staffId: who.id,
      staffName: who.name,
      tenantId,
      action: "support.requested",
      targetType: "support_grant",
      targetId: id,
      ...meta,
    }),
    mail.query,
  ]);
  return { ok: true, mailIds: [mail.id] };
}

/** Break-glass lasts at most a day; a longer need is a grant the customer gives. */
export const BREAK_GLASS_DURATIONS: GrantDuration[] = ["1h", "24h"];

/** An admin's emergency request: written down, not live until a second admin approves. */
export async function requestBreakGlass(
  db: Database,
  who: StaffAuth,
  tenantId: string,
  input: { access: SupportAccess; duration: GrantDuration; reason: string },
  meta: RequestMeta,
): Promise<string> {
  const id = newId();
  await db.batch([
    scoped(db, tenantId).insert(supportGrants, {
      id,
      kind: "break_glass",
      access: input.access,
      durationMs: GRANT_DURATIONS[input.duration].ms,
      staffId: who.id,
      staffName: who.name,
      reason: input.reason,
      createdAt: meta.now,
    }),
    // The console's own trail (no workspace): the workspace is told once the glass is broken.
    staffAuditInsert(db, {
      staffId: who.id,
      staffName: who.name,
      action: "support.break_glass_requested",
      targetType: "workspace",
      targetId: tenantId,
      detail: { reason: input.reason },
      ...meta,
    }),
  ]);
  return id;
}

/** Break-glass requests waiting for a second admin, across workspaces (the console's queue). */
export function pendingBreakGlass(db: Database, now: number) {
  /* all tenants: staff admins see every emergency request waiting for a second admin */
  return db
    .select({
      id: supportGrants.id,
      tenantId: supportGrants.tenantId,
      tenantName: tenants.name,
      staffId: supportGrants.staffId,
      staffName: supportGrants.staffName,
      access: supportGrants.access,
      durationMs: supportGrants.durationMs,
      reason: supportGrants.reason,
      createdAt: supportGrants.createdAt,
    })
    .from(supportGrants)
    .innerJoin(tenants, eq(tenants.id, supportGrants.tenantId))
    .where(
      sql`${supportGrants.kind} = 'break_glass' AND ${supportGrants.startedAt} IS NULL AND ${supportGrants.endedAt} IS NULL
        AND ${supportGrants.createdAt} > ${now - 24 * 60 * 60 * 1000}`,
    )
    .orderBy(desc(supportGrants.createdAt))
    .limit(50);
}

export type BreakGlassApproval = { ok: true; mailIds: string[] } | { ok: false; reason: "not_found" | "same_person" };

/** A second admin opens the glass: it starts now; the workspace's trail and owner are told. */
export async function approveBreakGlass(
  db: Database,
  approver: StaffAuth,
  id: string,
  baseUrl: string,
  meta: RequestMeta,
): Promise<BreakGlassApproval> {
  const [request] = await db
    .select()
    .from(supportGrants)
    /* all tenants: a break-glass request is found by its own random id from the console's queue */
    .where(sql`${supportGrants.id} = ${id} AND ${supportGrants.kind} = 'break_glass' AND ${supportGrants.startedAt} IS NULL
      AND ${supportGrants.endedAt} IS NULL AND ${supportGrants.createdAt} > ${meta.now - 24 * 60 * 60 * 1000}`)
    .limit(1);
  if (!request) return { ok: false, reason: "not_found" };
  if (request.staffId === approver.id) return { ok: false, reason: "same_person" };
  const t = scoped(db, request.tenantId);
  const expiresAt = meta.now + request.durationMs;
  const mail = await startedMail(
    t,
    {
      access: request.access,
      expiresAt,
      who: request.staffName ?? "CustomerTrackr support",
      emergencyReason: request.reason ?? "",
      link: mailLink(baseUrl, request.tenantId, SUPPORT_ACCESS_PAGE),
    },
    meta.now,
  );
  // Two admins approving at once: only the one whose batch opens it writes the entry and the mail.
  const waiting = and(isNull(supportGrants.startedAt), isNull(supportGrants.endedAt));
  const opened = await claimGrant(
    t,
    id,
    waiting,
    t
      .update(
        supportGrants,
        { startedAt: meta.now, expiresAt, approvedByStaffId: approver.id },
        eq(supportGrants.id, id),
        waiting,
      )
      .returning({ id: supportGrants.id }),
    [
      auditRow(
        staffAuditEntry({
          staffId: approver.id,
          staffName: approver.name,
          tenantId: request.tenantId,
          action: "support.break_glass_opened",
          targetType: "support_grant",
          targetId: id,
          targetLabel: `${request.staffName ?? "support"}, ${request.access === "read" ? "read-only" : "read and write"}`,
          detail: { reason: request.reason ?? "", asked_by: request.staffName ?? "" },
          ...meta,
        }),
      ),
      mail?.row ?? null,
    ],
  );
  return opened ? { ok: true, mailIds: mail ? [mail.id] : [] } : { ok: false, reason: "not_found" };
}
