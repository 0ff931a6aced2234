/** The audit trail: who did what, when, from where. Append-only; never a secret or token. */
import { desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { TenantDb } from "../../db/scoped";
import type { KeyActor, RequestMeta } from "../../lib/actor";
import { auditErasures, auditLog, staff, users } from "../../db/schema";

export const AUDIT_ACTIONS = {
  "auth.sign_up": "Signed up",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.sign_out": "Signed out",
  "email.verified": "Verified email",
  "email.change_requested": "Asked to change email",
  "email.changed": "Changed email",
  "password.reset_requested": "Asked for a password reset",
  "password.reset": "Reset password",
  "password.changed": "Changed password",
  "session.revoked": "Ended a session",
  "session.revoked_others": "Ended all other sessions",
  "invitation.created": "Invited",
  "invitation.resent": "Resent invitation",
  "invitation.revoked": "Revoked invitation",
  "invitation.accepted": "Accepted invitation",
  "member.role_changed": "Changed role",
  "member.removed": "Removed member",
  "member.left": "Left (deleted their account)",
  "ownership.transferred": "Transferred ownership",
  "tenant.switched": "Switched workspace",
  "permission.denied": "Was refused access",
  "billing.customer_created": "Created the Stripe customer",
  "billing.checkout_started": "Started checkout",
  "billing.portal_opened": "Opened the billing portal",
  "billing.subscription_changed": "Subscription changed (Stripe)",
  "billing.payment_failed": "Payment failed (Stripe)",
  "record.deleted": "Deleted a record",
  "record.restored": "Restored a record from the trash",
  "record.purged": "Deleted a record from the trash for good",
  "deal.created": "Created a deal",
  "deal.updated": "Changed a deal",
  "deal.won": "Marked a deal won",
  "deal.lost": "Marked a deal lost",
  "deal.reopened": "Reopened a deal",
  "record.erased": "Erased a record (privacy request)",
  "suppression.removed": "Took an address off the suppression list",
  "profile.updated": "Changed their name",
  "calendar_feed.on": "Turned on their calendar feed",
  "calendar_feed.rotated": "Gave their calendar feed a new address",
  "calendar_feed.off": "Turned off their calendar feed",
  "privacy.export_requested": "Asked for a copy of their data",
  "privacy.export_downloaded": "Downloaded their data",
  "tag.created": "Created a tag",
  "webhook.created": "Added a webhook endpoint",
  "webhook.enabled": "Enabled a webhook endpoint",
  "webhook.disabled": "Disabled a webhook endpoint",
  "webhook.deleted": "Deleted a webhook endpoint",
  "webhook.secret_shown": "Showed a webhook endpoint's signing secret",
  "tag.updated": "Changed a tag",
  "tag.deleted": "Deleted a tag",
  "custom_field.created": "Created a custom field",
  "custom_field.updated": "Changed a custom field",
  "custom_field.deleted": "Deleted a custom field",
  "workspace.updated": "Changed workspace settings",
  "workspace.created": "Created the workspace",
  "pipeline.created": "Added a pipeline",
  "pipeline.renamed": "Renamed a pipeline",
  "pipeline.moved": "Reordered the pipelines",
  "pipeline.deleted": "Deleted a pipeline",
  "stage.created": "Added a pipeline stage",
  "stage.updated": "Changed a pipeline stage",
  "stage.moved": "Reordered a pipeline's stages",
  "stage.deleted": "Removed a pipeline stage",
  "lost_reason.created": "Added a lost reason",
  "lost_reason.updated": "Renamed a lost reason",
  "lost_reason.moved": "Reordered the lost reasons",
  "lost_reason.deleted": "Removed a lost reason",
  // API keys (src/services/api/): a use's actor is the key (target), not a member; never the secret.
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "api_key.used": "Used an API key",
  "data.exported": "Exported data",
  "data.imported": "Started an import",
  "data.import_undone": "Undid an import",
  "data.import_cancelled": "Cancelled an import",
  "workspace.closed": "Closed the workspace",
  "workspace.reopened": "Reopened the workspace",
  "workspace.reopen_link_sent": "Asked for a new link to reopen the workspace",
  // Operator actions (npm run ops): actor null, detail {operator, reason}.
  "ops.account_erased": "Support erased an account",
  "ops.account_exported": "Support exported an account's data",
  "ops.email_corrected": "Support corrected an email address",
  "ops.contact_messages_erased": "Support erased a sender's contact-page messages",
  "ops.email_preferences_set": "Support changed email preferences",
  // Staff (src/services/staff/): the actor is a staff member's id; detail.staff their name then.
  "staff.signed_in": "Staff signed in to the console",
  "staff.created": "Added a staff member",
  "staff.disabled": "Disabled a staff member",
  "support.granted": "Gave support access",
  "support.requested": "Support asked for access",
  "support.request_approved": "Approved support's request for access",
  "support.request_declined": "Declined support's request for access",
  "support.ended": "Ended support access",
  "support.viewed": "Support viewed",
  "support.acted": "Support changed",
  "support.break_glass_requested": "Support asked for emergency access",
  "support.break_glass_opened": "Support opened emergency access (second admin approved)",
  // Account actions from the console (src/routes/staff/accounts.tsx), in each workspace of the account.
  "support.account_exported": "Support exported an account's data (on its request)",
  "support.email_corrected": "Support corrected an email address (on request)",
  "support.email_preferences_set": "Support changed email preferences (on request)",
  "support.account_erase_requested": "Support asked to erase an account",
  "support.account_erased": "Support erased an account (second admin approved)",
  "support.workspace_move_started": "Staff started moving the workspace to another database",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

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

/** An audit insert, to go in the same batch as the change it records. */
export function auditInsert(db: Database, e: AuditEvent) {
  return db.insert(auditLog).values({
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
  });
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
  return auditInsert(t.db, {
    tenantId: t.tenantId,
    actorUserId: actor.userId,
    action,
    targetType: action.split(".")[0],
    targetId: target.id === undefined ? undefined : String(target.id),
    targetLabel: target.label,
    detail,
    ...actor,
  });
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
