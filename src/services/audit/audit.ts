/** The audit trail: who did what, when, from where. Append-only; never a secret or token. */
import { desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import type { KeyActor, RequestMeta } from "../../lib/actor";
import { auditErasures, auditLog, staff, users } from "../../db/schema";
import type { AuditAction } from "./actions";

export { AUDIT_ACTIONS, type AuditAction } from "./actions";

/** An entry: who did what to what, with the request's facts (spread a RequestMeta or an Actor in). */
export interface AuditEvent extends RequestMeta {
  tenantId: string | null;
  actorUserId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** An audit entry's row: for `auditInsert`, or for `insertWhere` when it must follow a condition in the batch. */
export function auditRow(e: AuditEvent) {
  const values: typeof auditLog.$inferInsert = {
    tenantId: e.tenantId,
    actorUserId: e.actorUserId,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    targetLabel: e.targetLabel?.slice(0, 300) ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
    ip: e.ip,
    userAgent: e.userAgent?.slice(0, 512) ?? null,
    createdAt: e.now,
  };
  return { table: auditLog, values };
}

/** An audit insert, to go in the same batch as the change it records. */
export function auditInsert(db: Database, e: AuditEvent) {
  return db.insert(auditLog).values(auditRow(e).values);
}

/**
 * An audit insert about a workspace setting (tag, custom field, pipeline, stage, lost reason) that `actor`
 * changed: the target's type is the action's first word; `target.id` is left out when it is not known yet.
 */
export function settingAudit(
  t: TenantDb,
  actor: KeyActor,
  action: AuditAction,
  target: { id?: number; label: string },
  detail?: AuditEvent["detail"],
) {
  return auditInsert(t.db, settingAuditEvent(t, actor, action, target, detail));
}

/** settingAudit's entry as an event, for `auditRow` and `insertWhere` when it must follow a condition in the batch. */
export function settingAuditEvent(
  t: TenantDb,
  actor: KeyActor,
  action: AuditAction,
  target: { id?: number; label: string },
  detail?: AuditEvent["detail"],
): AuditEvent {
  return {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action,
    targetType: action.split(".")[0],
    targetId: target.id === undefined ? undefined : String(target.id),
    targetLabel: target.label,
    detail,
    ...actor,
  };
}

/** Records an event on its own (when there is no other write to batch it with). */
export async function recordAudit(db: Database, e: AuditEvent): Promise<void> {
  await auditInsert(db, e);
}

export interface AuditFilter {
  action?: AuditAction;
  actorUserId?: string;
  /** Keyset cursor: entries older than these ids, one per database the trail is on. */
  before?: AuditCursor;
}

/**
 * Where a page of the trail ends on each database: the control database's entries (sign-ins, account and team
 * changes) and, for a workspace on a shard, those written there with its records (docs/scale.md, item 11).
 */
export interface AuditCursor {
  control?: number;
  records?: number;
}

const cursorPart = (text: string | undefined) => {
  const n = Number(text);
  return text && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** The cursor a link's `before` holds ("control.records", either side empty), or none when malformed. */
export function parseAuditCursor(text: string | undefined): AuditCursor | undefined {
  if (!text || !/^\d*(\.\d*)?$/.test(text)) return undefined;
  const [control, records] = text.split(".");
  const cursor = { control: cursorPart(control), records: cursorPart(records) };
  return cursor.control || cursor.records ? cursor : undefined;
}

export const auditCursorText = (c: AuditCursor) => `${c.control ?? ""}.${c.records ?? ""}`;

export const AUDIT_PAGE_SIZE = 50;

function auditQuery(t: TenantDb, db: Database, filter: AuditFilter, before: number | undefined) {
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actorUserId: auditLog.actorUserId,
      actorEmail: users.email,
      // A staff member (the console, the support view): shown as support, never by address.
      actorStaffName: staff.name,
      targetType: auditLog.targetType,
      targetLabel: auditLog.targetLabel,
      detail: auditLog.detail,
      ip: auditLog.ip,
      userAgent: auditLog.userAgent,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(staff, eq(staff.id, auditLog.actorUserId))
    .where(
      t.where(
        auditLog,
        filter.action ? eq(auditLog.action, filter.action) : undefined,
        filter.actorUserId ? eq(auditLog.actorUserId, filter.actorUserId) : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
}

/**
 * One page of a tenant's audit trail, newest first, with each actor's current email (or none). A workspace on a
 * shard has entries on both databases: each is read by its own keyset and the two are merged by time.
 */
export async function listAudit(t: TenantDb, filter: AuditFilter) {
  const split = t.db !== t.control;
  const [onControl, onRecords] = await Promise.all([
    auditQuery(t, t.control, filter, filter.before?.control),
    split ? auditQuery(t, t.db, filter, filter.before?.records) : [],
  ]);
  // Staff are on the control database only: name those who acted on the shard from there.
  const unnamed = [...new Set(onRecords.filter((r) => r.actorUserId && !r.actorEmail).map((r) => r.actorUserId!))];
  const staffNames = unnamed.length
    ? new Map(
        (await t.control.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, unnamed))).map(
          (s) => [s.id, s.name],
        ),
      )
    : new Map<string, string>();
  const merged = [
    ...onControl.map((r) => ({ ...r, side: "control" as const })),
    ...onRecords.map((r) => ({
      ...r,
      actorStaffName: r.actorStaffName ?? staffNames.get(r.actorUserId ?? "") ?? null,
      side: "records" as const,
    })),
  ].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  const page = merged.slice(0, AUDIT_PAGE_SIZE);
  if (merged.length <= AUDIT_PAGE_SIZE) return { entries: page, nextBefore: null };
  const lowest = (side: "control" | "records") =>
    page
      .filter((e) => e.side === side)
      .reduce<number | undefined>((m, e) => (m === undefined || e.id < m ? e.id : m), undefined);
  const next = {
    control: lowest("control") ?? filter.before?.control,
    records: lowest("records") ?? filter.before?.records,
  };
  return { entries: page, nextBefore: auditCursorText(next) };
}

/** Erases a departed member's personal data from the trail; the entries themselves stay. */
export function anonymiseActor(db: Database, userId: string) {
  return db
    .update(auditLog)
    .set({ actorUserId: null, ip: null, userAgent: null })
    .where(eq(auditLog.actorUserId, userId));
}

/** What a former member becomes in entries about them. */
export const FORMER_MEMBER = "former member";

/**
 * An entry's detail with every value that holds an address, or the user's id, set to null. The
 * append-only trigger (migration 0011) allows exactly this expression's result, so the two must match.
 */
function auditDetailRedacted(userId: string) {
  return sql`CASE WHEN ${auditLog.detail} IS NULL THEN NULL ELSE (
    SELECT json_group_object(j.key, CASE
      WHEN j.type = 'text' AND (instr(j.value, '@') > 0 OR j.value = ${userId}) THEN NULL
      WHEN j.type = 'true' THEN json('true')
      WHEN j.type = 'false' THEN json('false')
      WHEN j.type IN ('object', 'array') THEN json(j.value)
      ELSE j.value END)
    FROM json_each(${auditLog.detail}) j
  ) END`;
}

/**
 * Erases a deleted user from the entries about them (invited, accepted, role changed, removed, made
 * owner, failed sign-ins into their account...): the target becomes "former member", their id and the
 * addresses in the detail go, and so do the IP and device of attempts on their account. The entries
 * stay. Three statements for the same batch as the deletion: the flag row the append-only trigger
 * checks, the update, and the flag's removal.
 */
export function anonymiseTarget(db: Database, user: { id: string; email: string }) {
  const anonymousAttempt = sql`${auditLog.action} IN ('auth.sign_in_failed', 'password.reset_requested')`;
  return [
    db.insert(auditErasures).values({ userId: user.id, email: user.email }).onConflictDoNothing(),
    db
      .update(auditLog)
      .set({
        targetId: sql`CASE WHEN ${auditLog.targetId} = ${user.id} THEN NULL ELSE ${auditLog.targetId} END`,
        targetLabel: sql`CASE WHEN ${auditLog.targetLabel} IS NULL THEN NULL ELSE ${FORMER_MEMBER} END`,
        detail: auditDetailRedacted(user.id),
        ip: sql`CASE WHEN ${anonymousAttempt} THEN NULL ELSE ${auditLog.ip} END`,
        userAgent: sql`CASE WHEN ${anonymousAttempt} THEN NULL ELSE ${auditLog.userAgent} END`,
      })
      .where(or(eq(auditLog.targetId, user.id), eq(auditLog.targetLabel, user.email))),
    db.delete(auditErasures).where(eq(auditErasures.userId, user.id)),
  ] as const;
}
